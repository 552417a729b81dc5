"""Tables. Every row belongs to a household, so forgetting a household is one delete per table."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on every database."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


metadata = MetaData()

legacy = MetaData()
schema_version = Table("schema_version", legacy, Column("version", Integer, nullable=False))
"""Before Alembic: a database at version 1 is stamped with revision 0001 (see migrations.py)."""

households = Table(
    "households",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(255), nullable=False, unique=True),
    Column("timezone", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)


def _household_id() -> Column[int]:
    return Column(
        "household_id",
        Integer,
        ForeignKey("households.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


people = Table(
    "people",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _household_id(),
    Column("position", Integer, nullable=False),
    Column("name", String(80)),
    Column("key", String(255)),
    UniqueConstraint("household_id", "position"),
)

nightly_questions = Table(
    "nightly_questions",
    metadata,
    _household_id(),
    Column("day", Date, nullable=False),
    Column("question_id", String(64), nullable=False),
    UniqueConstraint("household_id", "day"),
)

asked_questions = Table(
    "asked_questions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _household_id(),
    Column("question_id", String(64), nullable=False),
    Column("cycle", Integer, nullable=False),
    Column("asked_at", UTCDateTime, nullable=False),
    UniqueConstraint("household_id", "cycle", "question_id"),
)

check_ins = Table(
    "check_ins",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _household_id(),
    Column("person_id", Integer, ForeignKey("people.id", ondelete="SET NULL")),
    Column("day", Date, nullable=False),
    Column("rating", Integer, nullable=False),
    Column("appreciation", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("request_id", String(255), unique=True),
)

reminders = Table(
    "reminders",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _household_id(),
    Column("at_time", String(5), nullable=False),
    Column("token", String(255)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_delivered_on", Date),
    Column("on_date", Date),
    # One daily reminder per time; one-off reminders (with a date) once per day and time.
    Index(
        "uq_reminders_daily",
        "household_id",
        "at_time",
        unique=True,
        sqlite_where=text("on_date IS NULL"),
        postgresql_where=text("on_date IS NULL"),
    ),
    Index(
        "uq_reminders_once",
        "household_id",
        "on_date",
        "at_time",
        unique=True,
        sqlite_where=text("on_date IS NOT NULL"),
        postgresql_where=text("on_date IS NOT NULL"),
    ),
)
"""Without on_date a reminder fires every day; with it, once, on that local day."""

timers = Table(
    "timers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _household_id(),
    Column("started_at", UTCDateTime, nullable=False),
    Column("ends_at", UTCDateTime, nullable=False),
    Column("stopped", Boolean, nullable=False, default=False),
    Column("announced", Boolean, nullable=False, default=False),
    Column("token", String(255)),
    Column("kind", String(20)),
)
"""Phone-free time has no kind; a practice's timer names its practice (listening, closing)."""

conversation_state = Table(
    "conversation_state",
    metadata,
    Column(
        "household_id",
        Integer,
        ForeignKey("households.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("data", Text, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

HOUSEHOLD_TABLES = (
    conversation_state,
    check_ins,
    people,
    nightly_questions,
    asked_questions,
    reminders,
    timers,
)
"""Tables holding a household's rows, children first (the order deletes run in)."""

remote_deletions = Table(
    "remote_deletions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("owner_key", String(255), nullable=False, index=True),  # the household's key
    Column("token", String(255), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    UniqueConstraint("owner_key", "token"),
)
"""Amazon reminders to delete: kept until Amazon confirms; retried on the next request."""
