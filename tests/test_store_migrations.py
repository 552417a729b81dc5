"""Schema versions with Alembic: new databases, databases from before Alembic, and newer ones."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import create_engine, insert, inspect, select, text

from intents.store.database import open_engine
from intents.store.migrations import _config, current_revision, head, migrate
from intents.store.schema import households, metadata, schema_version


def test_a_new_database_is_created_at_the_newest_revision(db_url):
    engine = open_engine(db_url)
    with engine.connect() as conn:
        assert current_revision(conn) == head()
        tables = set(inspect(conn).get_table_names())
    assert {t.name for t in metadata.sorted_tables} <= tables
    assert migrate(engine) == head()  # a second start changes nothing
    engine.dispose()


def test_a_database_from_before_alembic_is_stamped_and_upgraded_keeping_its_rows(db_url):
    engine = create_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(_config(conn), "0001")  # the frozen first schema
        conn.execute(text("DROP TABLE alembic_version"))
        schema_version.create(conn)
        conn.execute(insert(schema_version).values(version=1))
        conn.execute(
            insert(households).values(key="local:old", timezone="UTC", created_at=datetime.now(UTC))
        )
    migrate(engine)
    with engine.connect() as conn:
        assert current_revision(conn) == head()
        assert "remote_deletions" in inspect(conn).get_table_names()
        assert conn.execute(select(households.c.key)).scalars().all() == ["local:old"]
    engine.dispose()


def test_a_database_newer_than_the_program_is_refused(db_url):
    engine = open_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(RuntimeError, match="newer than this program"):
        migrate(engine)
    engine.dispose()


def test_the_first_revision_is_frozen_not_derived_from_todays_models():
    from pathlib import Path

    import intents.store

    first = Path(intents.store.__file__).parent / "alembic" / "versions" / "0001_initial.py"
    source = first.read_text()
    assert "metadata" not in source and "intents.store.schema" not in source
