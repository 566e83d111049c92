"""Shared test set-up: offscreen Qt, a private FIELDAPP_HOME per test, SQLite and PostgreSQL URLs."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PG_ENV = "FIELDAPP_TEST_PG_URL"


@pytest.fixture(autouse=True)
def fieldapp_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own FIELDAPP_HOME and never touches a real home directory."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("FIELDAPP_HOME", str(home))
    for var in ("FIELDAPP_DB", "FIELDAPP_PASSWORD", "FIELDAPP_PASSPHRASE"):
        monkeypatch.delenv(var, raising=False)
    return home


def _fresh_pg_database(base_url: str) -> Iterator[str]:
    """Create a throw-away database next to ``base_url``'s and drop it afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"fieldapp_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name}
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty server database URL: every server test runs once on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'server.db'}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"PostgreSQL tests need {PG_ENV} (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)")
    yield from _fresh_pg_database(base)


# Fixtures of each side live in tests/plugins/ (server_fixtures: live server processes and admin
# commands; client_fixtures: device stores and enrolled clients), so each can grow on its own.
import sys as _sys  # noqa: E402

_sys.path.insert(0, str(Path(__file__).parent / "plugins"))
pytest_plugins = ["server_fixtures", "client_fixtures"]
