"""The Alembic migrations build exactly the schema the ORM models describe, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from fieldapp.server import db


def test_upgrade_empty_database_to_head_matches_models(db_url: str) -> None:
    engine = db.make_engine(db_url)
    try:
        assert db.schema_revision(engine) is None
        db.upgrade_to_head(engine)
        db.upgrade_to_head(engine)  # a second start-up changes nothing
        assert db.schema_revision(engine) == db.head_revision()

        tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
        assert tables == set(db.Base.metadata.tables)
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.Base.metadata)
        assert diff == []

        with db.session_scope(db.make_sessionmaker(engine)) as session:
            meta = db.server_meta(session)
            assert len(meta.epoch) >= 8
            assert db.current_sequence(session) == 0
            assert db.next_sequence(session) == 1
            assert db.next_sequence(session, 5) == 6
    finally:
        engine.dispose()


def test_admin_commands_refuse_an_uninitialised_database(db_url: str, run_admin) -> None:
    result = run_admin(db_url, "stats", "--json")
    assert result.returncode != 0
    assert "init-db" in result.stderr
    assert "Traceback" not in result.stderr
