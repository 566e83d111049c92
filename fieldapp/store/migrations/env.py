"""Alembic environment for the device store: always run on a connection handed in by DeviceStore."""

from __future__ import annotations

from alembic import context

from fieldapp.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable by running alembic by hand
    raise RuntimeError("the device store's migrations run through fieldapp.store.migrations.upgrade_to_head")

# render_as_batch: SQLite cannot ALTER most things, so later revisions copy-and-move tables.
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
