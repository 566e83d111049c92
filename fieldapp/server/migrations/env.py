"""Alembic environment for the server schema: runs on the engine handed over by db.upgrade_to_head."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from fieldapp.server.db import Base, make_engine

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine: Engine | None = config.attributes.get("engine")
    owned = engine is None
    if engine is None:
        engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                # SQLite cannot ALTER most things: batch mode copies the table instead.
                render_as_batch=connection.dialect.name == "sqlite",
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        if owned:
            engine.dispose()


if context.is_offline_mode():  # pragma: no cover - offline SQL scripts are not part of our workflow
    raise SystemExit("offline migrations are not supported; run `fieldapp admin init-db`")
run_migrations_online()
