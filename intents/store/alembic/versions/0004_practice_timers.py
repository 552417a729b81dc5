"""Timers of a kind: besides phone-free time (no kind), the guided practices' timers, such as the
two minutes of active listening and the deep dive's closing minute, announced with their own words.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("timers") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=20), nullable=True))


def downgrade() -> None:
    op.execute("DELETE FROM timers WHERE kind IS NOT NULL")
    with op.batch_alter_table("timers") as batch:
        batch.drop_column("kind")
