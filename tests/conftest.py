"""Shared test set-up: offscreen Qt, a private FIELDAPP_HOME per test, SQLite and PostgreSQL URLs,
and the one clock a test lives by.

Time is injected (STYLE.md 13): a test that needs "now" takes the ``now`` fixture — the machine's
clock read once, explicitly, so the suite runs at whatever instant libfaketime sets (``make
test-any-hour``) — and builds its data around it; "today" is the collector's day in ``work_zone``,
never the machine's zone. tests/unit/test_boundaries.py keeps implicit reads out of the code.
"""

from __future__ import annotations

import datetime as dt
import os
import time
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


@pytest.fixture
def now() -> dt.datetime:
    """The instant this test starts at, aware UTC: what every clock and every piece of data in it
    is built around (under libfaketime, the faked instant)."""
    from fieldapp.core.clock import device_now

    return device_now()


@pytest.fixture
def work_zone() -> dt.tzinfo:
    """The collector's working zone in tests: the sample cases' (and the demo team's) Beijing time."""
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Shanghai")


@pytest.fixture
def clock(now: dt.datetime) -> object:
    """A TrustedClock that learnt ``now`` from a server a moment ago and ticks with the monotonic clock."""
    from fieldapp.core.clock import TrustedClock

    trusted = TrustedClock(device_now=lambda: now + dt.timedelta(seconds=time.monotonic() - started))
    started = time.monotonic()
    trusted.learn(now)
    return trusted


@pytest.fixture
def collector_day(clock: object, work_zone: dt.tzinfo) -> object:
    """The collector's day: ``clock`` in ``work_zone``."""
    from fieldapp.core.clock import CollectorDay

    return CollectorDay(clock.now, work_zone)  # type: ignore[attr-defined]


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


#: Fixtures that start Qt: a test using any of them is a GUI test, whether or not its module says so.
QT_FIXTURES = {"qtbot", "qapp", "qtmodeltester", "styled_app"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """``-m "not gui"`` leaves out every test that drives Qt (marked here, not by hand)."""
    for item in items:
        if QT_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)


# Fixtures of each side live in tests/plugins/ (server_fixtures: live server processes and admin
# commands; client_fixtures: device stores and enrolled clients), so each can grow on its own.
import sys as _sys  # noqa: E402

_sys.path.insert(0, str(Path(__file__).parent / "plugins"))
pytest_plugins = ["server_fixtures", "client_fixtures"]
