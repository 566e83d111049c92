"""Sync against a real server on loopback: online, offline and back, refused records, removed cases, revocation."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from fieldapp.app.settings import UiSettings
from fieldapp.ui.access import EnrollmentWidget
from fieldapp.ui.app import AppController
from fieldapp.ui.main_window import MainWindow
from fieldapp.ui.pages import RejectedDialog
from fieldapp.ui.sync_adapter import SyncAdapter

pytestmark = [pytest.mark.gui, pytest.mark.e2e]

FAST_SYNC = {"use_network_information": False, "probe_interval_ms": 200,
             "client_options": {"backoff_base": 0.01, "backoff_max": 0.05, "max_total_wait": 0.5,
                                "max_attempts": 2, "timeout": (2, 15)}}


@pytest.fixture
def window(qtbot: Any, styled_app: Any, enrolled_client: Any) -> Any:
    adapter = SyncAdapter(enrolled_client.store, **FAST_SYNC)
    win = MainWindow(enrolled_client.store, adapter)
    adapter.setParent(win)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(adapter.finished, timeout=20_000):
        win.start()
    qtbot.waitUntil(lambda: win.cases_page.model.rowCount() == 3, timeout=10_000)
    yield win
    win.shutdown()


def _log_contact(qtbot: Any, win: MainWindow, row: int = 0) -> int:
    """Log a call on the row's case; returns how many records it queued (the call, and at night the audited
    refusal of "may I call now")."""
    page = win.cases_page
    page._selected_id = None
    page.view.clearSelection()
    page.view.selectRow(row)
    qtbot.waitUntil(lambda: page.detail.detail is not None and page.model.case_id(row) == page.detail.detail.case["id"])
    with qtbot.waitSignal(page.contact_dialog_checked, timeout=10_000):
        win.log_action.trigger()
    dialog = page.contact_dialog
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("no_answer"))
    queued = 2 if dialog.rule_notice.isVisible() else 1
    if dialog.justification.isVisible():  # at night (this runs at any hour) the call needs its reason
        dialog.justification.setPlainText("the debtor asked to be called now")
    with qtbot.waitSignal(page.contact_logged, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    return queued


def _pending(win: MainWindow) -> Any:
    return win.pending_label.property("count")


def test_sync_offline_and_back_online(qtbot: Any, window: MainWindow, enrolled_client: Any) -> None:
    server = enrolled_client.server
    qtbot.waitUntil(lambda: window.online_label.text().endswith("Online"), timeout=10_000)
    assert window.last_sync_label.text().startswith("Last sync: today")

    # online: a logged attempt is sent at once
    _log_contact(qtbot, window, 0)
    qtbot.waitUntil(lambda: _pending(window) == 0 and not window.adapter.busy, timeout=20_000)

    # the server goes away: the status says offline, the work is kept
    server.stop()
    queued = _log_contact(qtbot, window, 1)
    qtbot.waitUntil(lambda: window.online_label.text().endswith("Offline"), timeout=20_000)
    qtbot.waitUntil(lambda: _pending(window) == queued, timeout=10_000)
    assert window.cases_page.model.rowCount() == 3
    assert "cannot be reached" in window.notice_label.text()

    # back online: the probe notices, the outbox empties
    server.start()
    qtbot.waitUntil(lambda: window.online_label.text().endswith("Online"), timeout=30_000)
    qtbot.waitUntil(lambda: _pending(window) == 0, timeout=30_000)


def test_refused_records_are_listed_with_the_servers_reason(
        qtbot: Any, window: MainWindow, enrolled_client: Any) -> None:
    from fieldapp.store import repo

    # a kind this server does not know (as from a newer app version): refused, the queue goes on
    with enrolled_client.store.session() as session:
        repo.enqueue(session, "future_kind", {"x": 1}, case_id=None)
        session.commit()
    with qtbot.waitSignal(window.adapter.finished, timeout=20_000):
        window.sync_action.trigger()
    qtbot.waitUntil(lambda: window.rejected_button.isVisible(), timeout=10_000)
    assert window.rejected_button.text() == "1 refused"
    qtbot.mouseClick(window.rejected_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(getattr(window, "rejected_dialog", None), RejectedDialog))
    model = window.rejected_dialog.model
    assert model.rowCount() == 1
    assert "not known to this server" in model.index(0, 4).data()
    window.rejected_dialog.close()


def test_a_case_taken_away_disappears_with_a_notice(qtbot: Any, window: MainWindow, enrolled_client: Any) -> None:
    page = window.cases_page
    row = next(r for r in range(3) if page.model.case_row(r).debtor_name.endswith("2"))
    page.view.selectRow(row)
    qtbot.waitUntil(lambda: page.detail.detail is not None)
    name = page.detail.detail.case["debtor_name"]
    enrolled_client.admin("unassign", "LN000002")
    with qtbot.waitSignal(window.adapter.finished, timeout=20_000):
        window.adapter.sync_now()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10_000)
    assert "reassigned to someone else or closed" in window.notice_label.text()
    qtbot.waitUntil(lambda: getattr(window, "case_gone_box", None) is not None, timeout=10_000)
    assert "no longer on this laptop" in window.case_gone_box.text() and name in window.case_gone_box.text()
    assert "no longer on this laptop" in page.detail.placeholder.text()
    window.case_gone_box.close()


def test_a_revoked_device_locks_and_is_wiped(qtbot: Any, styled_app: Any, enrolled_client: Any) -> None:
    from client_fixtures import TEST_SECRET

    from fieldapp.store.db import DeviceStore

    data_dir = enrolled_client.data_dir
    device_id = enrolled_client.store.get_meta("device_id")
    controller = AppController(styled_app, UiSettings(), adapter_options=FAST_SYNC,
                               open_store=lambda secret: DeviceStore.open(secret, data_dir),
                               store_exists=lambda: DeviceStore.exists(data_dir))
    try:
        controller.start()
        unlock = controller.access.centralWidget()
        qtbot.keyClicks(unlock.secret, TEST_SECRET)
        with qtbot.waitSignal(controller.workspace_opened, timeout=10_000):
            qtbot.mouseClick(unlock.unlock_button, Qt.MouseButton.LeftButton)
        window = controller.window
        qtbot.waitUntil(lambda: window.cases_page.model.rowCount() == 3 and not window.adapter.busy, timeout=20_000)
        enrolled_client.admin("revoke-device", device_id)
        with qtbot.waitSignal(controller.locked, timeout=20_000):
            window.adapter.sync_now()
        assert controller.store is None and controller.window is None
        assert not (data_dir / "device.key").exists() and not (data_dir / "device.db").exists()
        assert isinstance(controller.access.centralWidget(), EnrollmentWidget)
        assert "revoked" in controller.revoked_box.text() and "wiped" in controller.revoked_box.text()
        controller.revoked_box.close()
    finally:
        controller.shutdown()
        controller.access.close()


def test_clock_skew_over_five_minutes_is_flagged(qtbot: Any, window: MainWindow, enrolled_client: Any) -> None:
    store = enrolled_client.store
    with store.session() as session:
        store.set_meta(session, "clock_skew_seconds", "-420.0")
        session.commit()
    window.refresh_status()
    qtbot.waitUntil(lambda: window.skew_label.isVisible())
    assert "7 min" in window.skew_label.text()
    with store.session() as session:
        store.set_meta(session, "clock_skew_seconds", "12.5")
        session.commit()
    window.refresh_status()
    qtbot.waitUntil(lambda: not window.skew_label.isVisible())


def test_sync_reports_its_phases_as_signals(qtbot: Any, window: MainWindow) -> None:
    phases: list[str] = []
    started: list[bool] = []
    window.adapter.started.connect(lambda: started.append(True))
    window.adapter.progress.connect(lambda phase, done, total: phases.append(phase))
    with qtbot.waitSignal(window.adapter.finished, timeout=20_000) as finished:
        window.sync_action.trigger()
    assert started == [True]
    assert "push" in phases and "pull" in phases
    assert finished.args[0].finished_at is not None
    assert not window.sync_progress.isVisible()
