"""Engines and transactions: where the database URL comes from, and how a turn commits."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import platformdirs
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from intents.store.migrations import migrate

ENV_URL = "HEART_TO_HEART_DB"
T = TypeVar("T")


class StoreBusy(Exception):
    """The database stayed busy through every retry; the front end apologises and asks again."""


def default_url() -> str:
    """HEART_TO_HEART_DB if set, else an SQLite file in the user's data directory."""
    url = os.environ.get(ENV_URL)
    if url:
        return url
    folder = Path(platformdirs.user_data_dir("heart-to-heart", appauthor=False))
    return f"sqlite:///{folder / 'heart-to-heart.db'}"


def open_engine(url: str | None = None, *, migrate_schema: bool = True) -> Engine:
    """An engine for `url`, SQLite set up for several processes, migrated to the latest schema."""
    url = url or default_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(url, parsed.database)
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)
    if migrate_schema:
        run_with_retry(lambda: migrate(engine))
    return engine


def _sqlite_engine(url: str, database: str | None) -> Engine:
    if database and database != ":memory:":
        path = Path(database)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            # Check-ins are intimate: the file is readable by its owner only, from its first byte.
            fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(fd)
    engine = create_engine(url, connect_args={"timeout": 5, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN IMMEDIATE: the write lock is taken up front,
        # so two processes never deadlock upgrading a read lock.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


RETRIES = 6


def is_transient(error: BaseException) -> bool:
    """SQLite's "database is locked", PostgreSQL's serialization failures and deadlocks."""
    if isinstance(error, OperationalError) and any(
        word in str(error).lower() for word in ("locked", "busy")
    ):
        return True
    if isinstance(error, DBAPIError):
        code = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
        return code in ("40001", "40P01")
    return False


def run_with_retry(
    work: Callable[[], T], retries: int = RETRIES, sleep: Callable[[float], None] = time.sleep
) -> T:
    """Run `work` (a whole transaction) again, a bounded number of times, on transient conflicts."""
    for attempt in range(retries):
        try:
            return work()
        except DBAPIError as error:
            if not is_transient(error):
                raise
            if attempt == retries - 1:
                raise StoreBusy("the database stayed busy") from error
            sleep(0.02 * (2**attempt) * (0.5 + random.random()))
    raise AssertionError("unreachable")


def in_transaction(engine: Engine, work: Callable[[Connection], T]) -> T:
    """One transaction around `work`, retried as a whole when the database is busy."""

    def attempt() -> T:
        with engine.begin() as conn:
            return work(conn)

    return run_with_retry(attempt)
