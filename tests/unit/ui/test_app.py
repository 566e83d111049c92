"""The doors into the app: enrollment against a real server, unlock (right and wrong PIN), locking."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from fieldapp.app.settings import UiSettings
from fieldapp.ui.access import EnrollmentWidget, UnlockWidget
from fieldapp.ui.app import AppController

pytestmark = pytest.mark.gui

FAST_SYNC = {"use_network_information": False, "probe_interval_ms": 200,
             "client_options": {"backoff_base": 0.01, "backoff_max": 0.05, "max_total_wait": 0.5,
                                "max_attempts": 2, "timeout": (2, 15)}}


@pytest.fixture
def controllers(styled_app: Any) -> Any:
    made: list[AppController] = []
    yield made
    for controller in made:
        controller.shutdown()
        controller.access.close()
        controller.access.deleteLater()


def _controller(controllers: list, app: Any, *, data_dir: Path | None = None, **kwargs: Any) -> AppController:
    from fieldapp.store.db import DeviceStore

    if data_dir is not None:
        kwargs.setdefault("open_store", lambda secret: DeviceStore.open(secret, data_dir))
        kwargs.setdefault("store_exists", lambda: DeviceStore.exists(data_dir))
    kwargs.setdefault("adapter_options", FAST_SYNC)
    controller = AppController(app, kwargs.pop("settings", UiSettings()), **kwargs)
    controllers.append(controller)
    return controller


def _unlock(qtbot: Any, controller: AppController, secret: str) -> None:
    widget = controller.access.centralWidget()
    assert isinstance(widget, UnlockWidget)
    widget.secret.clear()
    qtbot.keyClicks(widget.secret, secret)
    qtbot.mouseClick(widget.unlock_button, Qt.MouseButton.LeftButton)


@pytest.fixture
def closed_store(filled_store: Any, device_dir: Path) -> Path:
    """The filled store's folder, locked (as the app finds it at start-up)."""
    filled_store.close()
    return device_dir


def test_wrong_pin_says_so_and_touches_nothing_then_the_right_one_unlocks(
        qtbot: Any, styled_app: Any, controllers: list, closed_store: Path) -> None:
    key_before = (closed_store / "device.key").read_bytes()
    controller = _controller(controllers, styled_app, data_dir=closed_store)
    controller.start()
    widget = controller.access.centralWidget()
    assert isinstance(widget, UnlockWidget) and controller.access.isVisible()
    _unlock(qtbot, controller, "not-my-pin")
    qtbot.waitUntil(lambda: widget.error.isVisible(), timeout=10_000)
    assert "not right" in widget.error.text()
    assert controller.store is None and controller.window is None
    assert (closed_store / "device.key").read_bytes() == key_before
    with qtbot.waitSignal(controller.workspace_opened, timeout=10_000):
        _unlock(qtbot, controller, "pin-2468")
    assert controller.window is not None and controller.window.isVisible()
    assert not controller.access.isVisible()
    qtbot.waitUntil(lambda: controller.window.cases_page.model.rowCount() == 120, timeout=10_000)


def test_idle_lock_drops_the_store_and_asks_for_the_pin(
        qtbot: Any, styled_app: Any, controllers: list, closed_store: Path) -> None:
    settings = UiSettings(idle_lock_minutes=0.01)  # 0.6 s
    controller = _controller(controllers, styled_app, data_dir=closed_store, settings=settings)
    controller.start()
    with qtbot.waitSignal(controller.workspace_opened, timeout=10_000):
        _unlock(qtbot, controller, "pin-2468")
    with qtbot.waitSignal(controller.locked, timeout=10_000):
        pass
    assert controller.store is None and controller.window is None
    assert isinstance(controller.access.centralWidget(), UnlockWidget) and controller.access.isVisible()
    with qtbot.waitSignal(controller.workspace_opened, timeout=10_000):
        _unlock(qtbot, controller, "pin-2468")


def test_lock_from_the_menu_and_settings_are_kept(
        qtbot: Any, styled_app: Any, controllers: list, closed_store: Path) -> None:
    controller = _controller(controllers, styled_app, data_dir=closed_store)
    controller.start()
    with qtbot.waitSignal(controller.workspace_opened, timeout=10_000):
        _unlock(qtbot, controller, "pin-2468")
    controller._save_settings(25)
    assert UiSettings.load().idle_lock_minutes == 25
    with qtbot.waitSignal(controller.locked, timeout=5_000):
        qtbot.keyClick(controller.window, Qt.Key.Key_L,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert controller.store is None


def test_the_language_can_be_chosen_on_the_unlock_screen(
        qtbot: Any, styled_app: Any, controllers: list, closed_store: Path) -> None:
    from fieldapp.ui import i18n

    controller = _controller(controllers, styled_app, data_dir=closed_store)
    controller.start()
    try:
        menu = controller.access.menuBar().actions()[0].menu()
        chinese = next(a for a in menu.actions() if a.text() == "简体中文")
        chinese.trigger()
        widget = controller.access.centralWidget()
        assert isinstance(widget, UnlockWidget) and widget.unlock_button.text() == "解锁"
        assert UiSettings.load().language == "zh_CN"
    finally:
        i18n.install(styled_app, "en")


def test_the_demo_unlock_screen_names_only_what_unlocks_it(
        styled_app: Any, controllers: list, closed_store: Path) -> None:
    """The PIN, not the server passwords (typing those here fails: they are not this laptop's secret)."""
    controller = _controller(controllers, styled_app, data_dir=closed_store,
                             demo_credentials={"username": "zhangwei", "password": "demo-pass", "pin": "246810"})
    controller.start()
    widget = controller.access.centralWidget()
    assert "246810" in widget.credentials.text()
    assert "demo-pass" not in widget.credentials.text() and "zhangwei" not in widget.credentials.text()


def test_enrollment_against_a_live_server(
        qtbot: Any, styled_app: Any, controllers: list, live_server: Any, fast_kdf: None, tmp_path: Path) -> None:
    from client_fixtures import TEST_PASSWORD, case_row, write_cases_csv

    assert live_server.admin("add-user", "wangfang", "--role", "collector", password=TEST_PASSWORD).returncode == 0
    csv_path = write_cases_csv(tmp_path / "cases.csv", [case_row(i, "wangfang") for i in range(1, 4)])
    assert live_server.admin("import-cases", str(csv_path)).returncode == 0
    code = live_server.admin("enroll-code", "wangfang").stdout.strip().splitlines()[-1].strip()

    controller = _controller(controllers, styled_app, server_url_preset=live_server.url)
    controller.start()
    widget = controller.access.centralWidget()
    assert isinstance(widget, EnrollmentWidget)
    assert widget.server_url.text() == live_server.url and widget.server_url.isReadOnly()
    # a wrong code first: a plain message, back on the first page, nothing created
    qtbot.keyClicks(widget.code, "WRONG-CODE")
    qtbot.keyClicks(widget.username, "wangfang")
    qtbot.keyClicks(widget.password, TEST_PASSWORD)
    qtbot.mouseClick(widget.next_button, Qt.MouseButton.LeftButton)
    assert widget.pages.currentIndex() == 1
    qtbot.keyClicks(widget.pin, "pin-2468")
    qtbot.keyClicks(widget.pin_again, "pin-2469")
    qtbot.mouseClick(widget.enroll_button, Qt.MouseButton.LeftButton)
    assert "differ" in widget.pin_error.text()
    qtbot.keyClicks(widget.pin_again, "pin-2468")
    qtbot.mouseClick(widget.enroll_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: widget.details_error.isVisible(), timeout=15_000)
    assert widget.pages.currentIndex() == 0 and "did not accept" in widget.details_error.text()
    assert not controller._store_exists()
    # the right code: enrolled, unlocked, synced
    widget.code.setText(code)
    qtbot.mouseClick(widget.next_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(controller.workspace_opened, timeout=20_000):
        qtbot.mouseClick(widget.enroll_button, Qt.MouseButton.LeftButton)
    window = controller.window
    qtbot.waitUntil(lambda: window.cases_page.model.rowCount() == 3, timeout=20_000)
    qtbot.waitUntil(lambda: window.online_label.text().endswith("Online"), timeout=10_000)
    assert controller._store_exists()
