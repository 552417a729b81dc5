"""The first schema, frozen: written out table by table, never derived from today's models.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _household_id() -> sa.Column:
    return sa.Column("household_id", sa.Integer(), nullable=False)


def _cascade() -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["household_id"], ["households.id"], ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "households",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_table(
        "asked_questions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _household_id(),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("cycle", sa.Integer(), nullable=False),
        sa.Column("asked_at", sa.DateTime(), nullable=False),
        _cascade(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("household_id", "cycle", "question_id"),
    )
    op.create_index(
        "ix_asked_questions_household_id", "asked_questions", ["household_id"], unique=False
    )
    op.create_table(
        "conversation_state",
        _household_id(),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        _cascade(),
        sa.PrimaryKeyConstraint("household_id"),
    )
    op.create_table(
        "nightly_questions",
        _household_id(),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        _cascade(),
        sa.UniqueConstraint("household_id", "day"),
    )
    op.create_index(
        "ix_nightly_questions_household_id", "nightly_questions", ["household_id"], unique=False
    )
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _household_id(),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=True),
        sa.Column("key", sa.String(length=255), nullable=True),
        _cascade(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("household_id", "position"),
    )
    op.create_index("ix_people_household_id", "people", ["household_id"], unique=False)
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _household_id(),
        sa.Column("at_time", sa.String(length=5), nullable=False),
        sa.Column("token", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_delivered_on", sa.Date(), nullable=True),
        _cascade(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("household_id", "at_time"),
    )
    op.create_index("ix_reminders_household_id", "reminders", ["household_id"], unique=False)
    op.create_table(
        "timers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _household_id(),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("stopped", sa.Boolean(), nullable=False),
        sa.Column("announced", sa.Boolean(), nullable=False),
        sa.Column("token", sa.String(length=255), nullable=True),
        _cascade(),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_timers_household_id", "timers", ["household_id"], unique=False)
    op.create_table(
        "check_ins",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _household_id(),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("appreciation", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("request_id", sa.String(length=255), nullable=True),
        _cascade(),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("request_id"),
    )
    op.create_index("ix_check_ins_household_id", "check_ins", ["household_id"], unique=False)


def downgrade() -> None:
    for table in (
        "check_ins",
        "timers",
        "reminders",
        "people",
        "nightly_questions",
        "conversation_state",
        "asked_questions",
        "households",
    ):
        op.drop_table(table)
