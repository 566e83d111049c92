"""GUI test set-up: FieldApp's look on the test QApplication, stores filled with Chinese cases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True, scope="session")
def _pyside_refcount_guard() -> None:
    """See fieldapp/ui/compat.py: without it PySide6 6.12 on Python 3.11 aborts after enough calls."""
    from fieldapp.ui.compat import guard_singleton_refcounts

    guard_singleton_refcounts()


@pytest.fixture
def styled_app(qapp: Any) -> Any:
    """pytest-qt's QApplication with FieldApp's style, font and English translations."""
    from fieldapp.ui import i18n, style

    style.apply(qapp)
    i18n.install(qapp, "en")
    yield qapp
    i18n.install(qapp, "en")


@pytest.fixture
def filled_store(device_store: Any, now: Any) -> Iterator[Any]:
    """An unlocked DeviceStore with 120 generated Chinese cases, 8 appointments on Shanghai's today at
    ``now``, 3 logged calls; its team works in Beijing time, as the server would have published."""
    from fieldapp.app.sample_data import fill_store
    from fieldapp.store import repo

    fill_store(device_store, 120, now=now, contacts=3)
    with device_store.session() as session:
        for key, value in (("username", "zhangwei"), ("display_name", "张伟"), ("team", "浦东一组")):
            device_store.set_meta(session, key, value)
        repo.set_work_zone(session, "Asia/Shanghai")
        session.commit()
    yield device_store


@pytest.fixture
def shot_dir(tmp_path: Path) -> Path:
    """Where GUI tests write their PNGs (``FIELDAPP_SCREENSHOTS`` keeps them somewhere visible)."""
    import os

    folder = Path(os.environ.get("FIELDAPP_SCREENSHOTS", tmp_path / "screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


#: Qt messages that say nothing about FieldApp: the offscreen platform plugin cannot resize or raise
#: native windows and says so each time. Everything else still fails a test.
OFFSCREEN_NOISE = r"This plugin does not support (propagateSizeHints|raise)\(\)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """GUI tests run their live server on SQLite only: the server's own tests cover PostgreSQL."""
    return f"sqlite:///{tmp_path / 'server.db'}"
