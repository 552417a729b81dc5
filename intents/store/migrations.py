"""The schema's versions, with Alembic: run at start-up, in one transaction, under a lock.

Revisions live in intents/store/alembic/versions/ and are applied in batch mode (SQLite cannot
ALTER most things in place). Databases made before Alembic carry a `schema_version` table at
version 1, which is the frozen revision 0001: they are stamped with it, then upgraded.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, func, inspect, select, text

from intents.store import schema

SCRIPTS = Path(__file__).parent / "alembic"


def _config(conn: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    config.attributes["connection"] = conn
    return config


def head() -> str:
    """The newest revision this program knows."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    found = ScriptDirectory.from_config(config).get_current_head()
    assert found is not None
    return found


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine) -> str:
    """Bring the database to the newest revision; safe when several processes start at once."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(4242)"))
        # SQLite: BEGIN IMMEDIATE (see database.py) already holds the write lock.
        config = _config(conn)
        tables = inspect(conn).get_table_names()
        if "alembic_version" not in tables and "schema_version" in tables:
            version = conn.execute(select(func.max(schema.schema_version.c.version))).scalar()
            if version == 1:
                command.stamp(config, "0001")
            else:
                raise RuntimeError(f"unknown pre-Alembic schema version {version}")
        current = current_revision(conn)
        known = {rev.revision for rev in ScriptDirectory.from_config(config).walk_revisions()}
        if current is not None and current not in known:
            raise RuntimeError(f"the database is at revision {current}, newer than this program")
        command.upgrade(config, "head")
    return head()
