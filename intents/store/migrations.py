"""Versioned schema: each migration runs once, in order, inside one transaction."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Engine, func, insert, inspect, select, text, update

from intents.store import schema


def _v1_initial(conn: Connection) -> None:
    schema.metadata.create_all(
        conn, tables=[t for t in schema.metadata.sorted_tables if t is not schema.schema_version]
    )


MIGRATIONS: list[Callable[[Connection], None]] = [_v1_initial]
"""Append only. Migration N (1-based) brings the schema to version N."""

LATEST = len(MIGRATIONS)


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table("schema_version"):
        return 0
    return int(conn.execute(select(func.max(schema.schema_version.c.version))).scalar() or 0)


def migrate(engine: Engine) -> int:
    """Bring the database to the latest version; safe when several processes start at once."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(4242)"))
        schema.schema_version.create(conn, checkfirst=True)
        version = current_version(conn)
        if version > LATEST:
            raise RuntimeError(
                f"the database is at schema version {version}, newer than this program ({LATEST})"
            )
        for number in range(version + 1, LATEST + 1):
            MIGRATIONS[number - 1](conn)
        if version == 0:
            conn.execute(insert(schema.schema_version).values(version=LATEST))
        elif version < LATEST:
            conn.execute(update(schema.schema_version).values(version=LATEST))
    return LATEST
