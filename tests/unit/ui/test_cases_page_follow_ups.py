"""Broken plans and follow-ups due in the case list: the Follow-up column, its filters, and its refreshes."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt

from fieldapp.app.cases import BROKEN, FOLLOW_UP_DUE, CaseFilter
from fieldapp.core.clock import CollectorDay
from fieldapp.ui.main_window import MainWindow
from fieldapp.ui.models import CaseListModel
from fieldapp.ui.sync_adapter import SyncAdapter

pytestmark = pytest.mark.gui

FOLLOW_UP_COLUMN = CaseListModel.COLUMNS.index("follow_up")


@pytest.fixture
def kinds(filled_store: Any, now: dt.datetime) -> dict[str, list[int]]:
    """Cases 1–30 with plans, promises and visits (sample_data.fill_follow_ups: five of each kind)."""
    from fieldapp.app.sample_data import fill_follow_ups

    return fill_follow_ups(filled_store, list(range(1, 31)), now=now)


@pytest.fixture
def window(qtbot: Any, styled_app: Any, filled_store: Any, kinds: dict[str, list[int]], clock: Any) -> Any:
    adapter = SyncAdapter(filled_store, use_network_information=False)
    win = MainWindow(filled_store, adapter, clock=clock)
    adapter.setParent(win)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.cases_page.model.loaded, timeout=10_000):
        win.start(autosync=False)
    qtbot.waitUntil(lambda: win.cases_page.model.settled(), timeout=10_000)
    yield win
    win.shutdown()


def _choose(qtbot: Any, page: Any, state: str) -> list[int]:
    with qtbot.waitSignal(page.model.loaded, timeout=10_000):
        page.state.setCurrentIndex(page.state.findData(state))
    qtbot.waitUntil(page.model.settled, timeout=10_000)
    return [page.model.case_id(r) for r in range(page.model.rowCount())]


def _cell(model: Any, case_id: int, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
    return model.index(model.row_of(case_id), FOLLOW_UP_COLUMN).data(role)


def _write_visit(store: Any, case_id: int, follow_up_on: dt.date, now: dt.datetime) -> None:
    from fieldapp.store.models import Visit

    with store.session() as session:
        session.add(Visit(id=str(uuid.uuid4()), case_id=case_id, started_at=now, ended_at=now, outcome="not_at_home",
                          state="complete", payload={"follow_up_on": follow_up_on.isoformat()}))
        session.commit()


def test_broken_plans_show_in_words_and_are_found_by_the_filter(qtbot: Any, window: Any,
                                                                kinds: dict[str, list[int]]) -> None:
    page = window.cases_page
    model = page.model
    assert model.headerData(FOLLOW_UP_COLUMN, Qt.Orientation.Horizontal) == "Follow-up"
    broken = kinds["broken"][0]
    assert _cell(model, broken) == "Plan broken"
    assert not _cell(model, broken, Qt.ItemDataRole.DecorationRole).isNull()  # an icon, not colour alone
    assert "broken" in _cell(model, broken, Qt.ItemDataRole.ToolTipRole)
    assert _cell(model, kinds["rejected"][0]) == "Plan rejected"
    assert _cell(model, kinds["overdue"][0]) == "Missed payment"  # past due on this laptop's reading
    later = kinds["later"][0]  # next week's follow-up: named with its date, in grey, with no icon (nothing due)
    assert re.fullmatch(r"Follow-up (\d{4}-)?\d\d-\d\d", _cell(model, later))
    assert _cell(model, later, Qt.ItemDataRole.DecorationRole) is None
    assert _cell(model, 100) == "" and _cell(model, 100, Qt.ItemDataRole.DecorationRole) is None

    shown = _choose(qtbot, page, BROKEN)
    assert sorted(shown) == sorted(kinds["broken"] + kinds["rejected"] + kinds["overdue"])
    assert page.count_label.text() == "15 cases"
    assert page.state.currentText() == "Broken plans"
    # the filter combines with search, as every other one does
    name = model.case_row(model.row_of(broken)).debtor_name
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        page.search.setText(name)
        page.apply_filter()
    assert broken in [model.case_id(r) for r in range(model.rowCount())]
    assert all(model.case_id(r) in shown for r in range(model.rowCount()))


def test_a_follow_up_due_today_shows_one_next_week_does_not(qtbot: Any, window: Any,
                                                            kinds: dict[str, list[int]]) -> None:
    page = window.cases_page
    model = page.model
    assert _cell(model, kinds["promise_due"][0]) == "Promise due"  # promised for today
    assert _cell(model, kinds["visit_due"][0]) == "Follow-up due"  # scheduled for yesterday
    shown = _choose(qtbot, page, FOLLOW_UP_DUE)
    assert sorted(shown) == sorted(kinds["promise_due"] + kinds["visit_due"])
    assert not set(shown) & set(kinds["later"])  # next week's follow-ups are not due
    assert page.state.currentText() == "Needs follow-up"


def test_due_is_judged_in_the_debtors_day(qtbot: Any, qtmodeltester: Any, filled_store: Any) -> None:
    """New York is 13 hours behind Shanghai: at 08:00 on the 2nd in Shanghai it is still the 1st there."""
    from fieldapp.store.models import Case

    with filled_store.session() as session:
        session.get(Case, 40).timezone = "America/New_York"
        session.commit()
    shanghai_morning = dt.datetime(2026, 12, 2, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    _write_visit(filled_store, 40, dt.date(2026, 12, 2), shanghai_morning)  # in New York
    _write_visit(filled_store, 41, dt.date(2026, 12, 2), shanghai_morning)  # in Shanghai
    model = CaseListModel(filled_store, day=CollectorDay.at(shanghai_morning, ZoneInfo("Asia/Shanghai")))
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.set_filter(CaseFilter(state=FOLLOW_UP_DUE))
    qtbot.waitUntil(model.settled, timeout=10_000)
    assert [model.case_id(r) for r in range(model.rowCount())] == [41]
    qtmodeltester.check(model)
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.set_filter(CaseFilter(sort_key="follow_up", descending=False))
    assert {model.case_id(0)} == {41} and _cell(model, 41) == "Follow-up due"
    assert _cell(model, 40) == "Follow-up 12-02"  # still ahead in New York: named, not due
    qtmodeltester.check(model)
    model.close()


def test_sorting_by_follow_up_puts_broken_plans_first(qtbot: Any, window: Any, kinds: dict[str, list[int]]) -> None:
    model = window.cases_page.model
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        window.cases_page.view.sortByColumn(FOLLOW_UP_COLUMN, Qt.SortOrder.AscendingOrder)
    ids = [model.case_id(r) for r in range(model.rowCount())]
    broken = sorted(kinds["broken"] + kinds["rejected"] + kinds["overdue"])
    due = sorted(kinds["promise_due"] + kinds["visit_due"])
    assert ids[:15] == broken and ids[15:25] == due and len(ids) == 120


def test_a_synced_plan_update_refreshes_the_row_and_the_detail(qtbot: Any, window: Any,
                                                               kinds: dict[str, list[int]]) -> None:
    """A lead's rejection arrives in a pull with no case changes: the row and the open case follow."""
    from fieldapp import protocol
    from fieldapp.store import repo
    from fieldapp.sync.client import SyncReport

    page = window.cases_page
    model = page.model
    case_id = kinds["promise_due"][0]
    plan_case = kinds["overdue"][0]  # an active plan the server has not judged yet
    page.select_case(plan_case)
    qtbot.waitUntil(lambda: page.detail.plan_summary is not None and page.detail.plan_summary.history is not None
                    and page.detail.plan_summary.case_id == plan_case, timeout=5000)
    assert "Active" in page.detail.plan_summary.texts()[0]
    with window.store.session() as session:
        plan = repo.plans_for_case(session, plan_case)[0]
        repo.apply_plan_updates(session, [protocol.PlanUpdate(
            plan_id=plan.id, case_id=plan_case, status="rejected", decided_by="李组长", comment="请重新协商")])
        promise = repo.promises_for_case(session, case_id)[0]
        repo.apply_promise_updates(session, [protocol.PromiseUpdate(promise_id=promise.id, case_id=case_id,
                                                                    status="kept", paid_minor=50_000)])
        session.commit()
    with qtbot.waitSignal(model.follow_ups_changed, timeout=5000) as changed:
        window.adapter.finished.emit(SyncReport())  # what the adapter says after such a pull
    assert changed.args == [True]
    qtbot.waitUntil(model.settled, timeout=5000)
    assert _cell(model, plan_case) == "Plan rejected"
    assert _cell(model, case_id) == ""  # the promise was kept
    qtbot.waitUntil(lambda: "Rejected by 李组长" in " ".join(page.detail.plan_summary.texts()), timeout=5000)
    # nothing changed since: the list is left alone
    with qtbot.waitSignal(model.follow_ups_changed, timeout=5000) as again:
        window.adapter.finished.emit(SyncReport())
    assert again.args == [False]


def test_a_finished_visit_refreshes_the_row(qtbot: Any, window: Any, collector_day: Any) -> None:
    """The visit wizard's follow-up date (VisitPayload.follow_up_on) shows once the visit is closed."""
    model = window.cases_page.model
    assert _cell(model, 50) == ""
    _write_visit(window.store, 50, collector_day.today(), collector_day.now())
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        window.visit_launcher.finished.emit(50)  # the wizard closed (it is destroyed)
    qtbot.waitUntil(model.settled, timeout=10_000)
    assert _cell(model, 50) == "Follow-up due"


def test_the_case_list_with_follow_ups_as_png(qtbot: Any, window: Any, shot_dir: Path) -> None:
    page = window.cases_page
    with qtbot.waitSignal(page.model.loaded, timeout=10_000):
        page.view.sortByColumn(FOLLOW_UP_COLUMN, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(page.model.settled, timeout=10_000)
    page.view.selectRow(0)
    qtbot.waitUntil(lambda: page.detail.plan_summary is not None and page.detail.plan_summary.history is not None,
                    timeout=5000)
    window.resize(1360, 820)
    path = shot_dir / "case-list-follow-ups.png"
    assert window.grab().save(str(path))
    assert path.stat().st_size > 10_000
