"""Alembic's environment: migrations run on the connection migrations.migrate() opened and locked.

Batch mode is on, so ALTERs work on SQLite (copy-and-move); every migration runs inside the one
transaction that migrate() holds, so a failure leaves the schema as it was.
"""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, render_as_batch=True, target_metadata=None)
with context.begin_transaction():
    context.run_migrations()
