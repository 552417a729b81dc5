"""One-off reminders: a reminder with a date fires once, on that day; without one, every day.

The old unique key (household, time) would forbid a plan on Saturday at seven beside a daily
reminder at seven, so it becomes two partial unique indexes: one daily reminder per time, and one
plan per day and time.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

DAILY = sa.text("on_date IS NULL")
ONCE = sa.text("on_date IS NOT NULL")
# SQLite reports the unnamed unique key of 0001 without a name: the convention names it here.
NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _old_unique_name() -> str:
    if op.get_bind().dialect.name == "postgresql":
        return "reminders_household_id_at_time_key"
    return "uq_reminders_household_id"


def upgrade() -> None:
    with op.batch_alter_table("reminders", naming_convention=NAMING) as batch:
        batch.add_column(sa.Column("on_date", sa.Date(), nullable=True))
        batch.drop_constraint(_old_unique_name(), type_="unique")
    op.create_index(
        "uq_reminders_daily",
        "reminders",
        ["household_id", "at_time"],
        unique=True,
        sqlite_where=DAILY,
        postgresql_where=DAILY,
    )
    op.create_index(
        "uq_reminders_once",
        "reminders",
        ["household_id", "on_date", "at_time"],
        unique=True,
        sqlite_where=ONCE,
        postgresql_where=ONCE,
    )


def downgrade() -> None:
    op.drop_index("uq_reminders_once", table_name="reminders")
    op.drop_index("uq_reminders_daily", table_name="reminders")
    op.execute("DELETE FROM reminders WHERE on_date IS NOT NULL")
    with op.batch_alter_table("reminders") as batch:
        batch.drop_column("on_date")
        batch.create_unique_constraint(
            "reminders_household_id_at_time_key", ["household_id", "at_time"]
        )
