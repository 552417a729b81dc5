"""Shared fixtures: a real database per test (SQLite file by default), a settable clock."""

from __future__ import annotations

import os
import random
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from intents.companion import Companion, build_companion
from intents.store.database import open_engine

TEST_DB_ENV = "HEART_TO_HEART_TEST_DB"
"""A PostgreSQL server URL (e.g. postgresql+psycopg://postgres@127.0.0.1/postgres): tests that
use the `engine` fixture then run against a fresh database on it instead of SQLite."""


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    # 18:00 in London on a Tuesday evening.
    return Clock(datetime(2026, 11, 24, 18, 0, tzinfo=UTC))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> Iterator[str]:
    """A fresh, empty database: an SQLite file, or a new database on $HEART_TO_HEART_TEST_DB.

    Every test that uses the database runs on both. Without a PostgreSQL server the PostgreSQL
    half is skipped, except in CI, where it must run (`./dev test` starts one).
    """
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'heart.db'}"
        return
    server = os.environ.get(TEST_DB_ENV)
    if not server:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs PostgreSQL: set {TEST_DB_ENV} (./dev test starts a server)")
        pytest.skip(f"no PostgreSQL server ({TEST_DB_ENV} is not set; ./dev test starts one)")
    name = f"h2h_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = open_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def companion(engine: Engine, clock: Clock) -> Companion:
    return build_companion(
        engine=engine, clock=clock, rng=random.Random(7), timezone="Europe/London"
    )


@pytest.fixture
def world(tmp_path, companion, clock) -> Iterator[tuple[object, object]]:
    """The skill on a real HTTP server, and a local HTTPS stub of Amazon's Reminders API that it
    calls: (the Alexa test client, the stub's record of what it was asked)."""
    from tests.alexa.harness import Alexa, app_for, make_config
    from tests.alexa.pki import make_authority
    from tests.alexa.reminders_api import reminders_api
    from tests.alexa.server import serving

    authority = make_authority(clock.now)
    with reminders_api(tmp_path, clock.now) as (api_url, api_ca, service):
        config = make_config(tmp_path, authority, companion, clock, {}, api_ca=api_ca)
        with serving(app_for(config)) as url:
            yield Alexa(url, authority, clock, api_endpoint=api_url), service
