"""Today as the day's route and the Outbox as what a person did, in the real window (offscreen)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from client_fixtures import give_issuer
from PySide6.QtCore import Qt

from fieldapp.app import route, visits
from fieldapp.app.sample_data import fill_store
from fieldapp.core.clock import TrustedClock
from fieldapp.store import repo
from fieldapp.ui.main_window import MainWindow
from fieldapp.ui.models import CaseListModel
from fieldapp.ui.sync_adapter import SyncAdapter

pytestmark = pytest.mark.gui

# 14:00 in Beijing on a Friday: the sample route runs 09:30, 10:45, 12:00, 13:15, 14:30 … 18:15.
AFTERNOON = dt.datetime(2026, 12, 4, 6, 0, tzinfo=dt.UTC)


def visit_id(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"today-page-{name}"))


def finish(store: Any, case_id: int, started: dt.datetime, outcome: str) -> None:
    record = {"outcome": outcome, "script_id": "cn-home-visit", "script_version": "1.1.0", "script_hash": "x",
              "attachments": [], "flagged": False}
    visits.complete_visit(store, visit_id(f"done-{case_id}"), case_id, started, {"follow_up_on": ""}, record,
                          started + dt.timedelta(minutes=30), [("visit_step", {"step": "identity"}, started)])


@pytest.fixture
def window(qtbot: Any, styled_app: Any, device_store: Any) -> Any:
    for creditor in {r.creditor for r in fill_store(device_store, 40, now=AFTERNOON)}:
        give_issuer(device_store, creditor)
    with device_store.session() as session:
        repo.set_work_zone(session, "Asia/Shanghai")
        session.commit()
    clock = TrustedClock(device_now=lambda: AFTERNOON)
    clock.learn(AFTERNOON)
    adapter = SyncAdapter(device_store, use_network_information=False)
    win = MainWindow(device_store, adapter, language="en", clock=clock)
    adapter.setParent(win)
    qtbot.addWidget(win)
    win.resize(1366, 728)
    win.show()
    with qtbot.waitSignal(win.cases_page.model.loaded, timeout=10_000):
        win.start(autosync=False)
    win.show_page("today")
    qtbot.waitUntil(lambda: win.today_page.model.rowCount() == 8, timeout=10_000)
    yield win
    win.shutdown()


def states(page: Any) -> list[str]:
    return [page.model.index(r, 1).data() for r in range(page.model.rowCount())]


def test_today_is_the_route_with_each_stops_state_and_the_next_selected(qtbot: Any, window: Any) -> None:
    page = window.today_page
    # 14:00: the three stops before 13:00 were missed, 13:15 is the next one (45 minutes late, not missed yet)
    assert states(page) == ["Missed"] * 3 + ["Next: To do"] + ["To do"] * 4
    assert page.view.currentIndex().row() == 3 and page.visit_button.isEnabled()
    assert page.summary.text() == "8 appointments today: 0 done, 0 in progress, 3 missed, 5 to do."
    first = page.model.row_at(0).case_id
    second = page.model.row_at(3).case_id
    finish(window.store, first, AFTERNOON - dt.timedelta(hours=4), "promise_to_pay")
    visits.save_draft(window.store, visit_id("draft"), second, AFTERNOON - dt.timedelta(minutes=40),
                      {"revision": 1}, [])
    window._visit_finished(first)  # what the launcher says when a wizard closes
    qtbot.waitUntil(lambda: states(page)[0] == "Done: Promise to pay", timeout=10_000)
    assert states(page)[3] == "Next: In progress"
    assert page.summary.text() == "8 appointments today: 1 done, 1 in progress, 2 missed, 4 to do."
    # a done stop cannot be started again from the route
    page.view.setCurrentIndex(page.model.index(0, 0))
    assert not page.visit_button.isEnabled()
    # the case list says the case was visited, and when
    model = window.cases_page.model
    qtbot.waitUntil(lambda: model.settled() and model.row_of(first) >= 0, timeout=10_000)
    row = model.row_of(first)
    assert model.index(row, CaseListModel.COLUMNS.index("status")).data() == "Visited"
    assert model.index(row, CaseListModel.COLUMNS.index("last_contact")).data() == "Today"


def test_start_visit_from_the_route_opens_that_stops_visit(qtbot: Any, window: Any) -> None:
    page = window.today_page
    stop = page.selected_stop()
    assert stop is not None and stop.is_next and stop.state == route.TO_DO
    opened: list[Any] = []
    window.visit_launcher.opened.connect(opened.append)
    window.visit_launcher.blocked.connect(opened.append)
    qtbot.mouseClick(page.visit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    wizard = opened[0]
    assert window.current_page() == "today"  # the collector stays on the route
    assert wizard.case["id"] == stop.case_id
    wizard.close()


def test_ctrl_enter_on_the_route_starts_the_selected_stop(qtbot: Any, window: Any) -> None:
    page = window.today_page
    page.view.setFocus()
    page.view.setCurrentIndex(page.model.index(5, 0))
    wanted = page.model.row_at(5).case_id
    with qtbot.waitSignal(page.start_visit, timeout=5_000) as signal:
        qtbot.keyClick(page.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert signal.args == [wanted]


def test_the_outbox_shows_a_visit_as_one_line(qtbot: Any, window: Any) -> None:
    case_id = window.today_page.model.row_at(0).case_id
    finish(window.store, case_id, AFTERNOON - dt.timedelta(hours=4), "not_at_home")
    window.show_page("outbox")
    page = window.outbox_page
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    assert page.model.index(0, 1).data() == "Visit, with 2 audit entries"
    assert page.summary.text().startswith("1 waiting to be sent, 0 refused by the server. Their 2 audit entries")
