"""The Today and Outbox models: qtmodeltester on each, and the words and marks a collector reads."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt

from fieldapp.app import outbox, route
from fieldapp.app.cases import Appointment, OutboxRow
from fieldapp.core.clock import CollectorDay
from fieldapp.ui.models import CaseIdRole
from fieldapp.ui.page_models import OutboxModel, TodayModel

pytestmark = pytest.mark.gui

NOON = dt.datetime(2026, 12, 4, 4, 0, tzinfo=dt.UTC)  # 12:00 in Beijing


def stop(n: int, state: str, *, outcome: str = "", is_next: bool = False) -> route.RouteStop:
    at = NOON + dt.timedelta(hours=n - 3)
    return route.RouteStop(Appointment(n, at, "Asia/Shanghai", f"债务人{n}", f"朝阳区建国路 {n} 号", "朝阳区", "北京",
                                       "13800138000"), state, outcome, "", is_next)


@pytest.fixture
def day(work_zone: dt.tzinfo) -> CollectorDay:
    return CollectorDay.at(NOON, work_zone)


def test_today_model_names_each_stops_state_and_marks_the_next(qtmodeltester: Any, styled_app: Any,
                                                               day: CollectorDay) -> None:
    model = TodayModel(day=day)
    model.set_rows([stop(1, route.DONE, outcome="promise_to_pay"), stop(2, route.MISSED),
                    stop(3, route.TO_DO, is_next=True), stop(4, route.TO_DO)])
    qtmodeltester.check(model)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)] == [
        "Time", "Status", "Name", "Address", "Phone"]
    assert [model.index(r, 1).data() for r in range(4)] == [
        "Done: Promise to pay", "Missed", "Next: To do", "To do"]
    assert model.index(0, 0).data() == "10:00" and model.index(2, 3).data() == "朝阳区建国路 3 号"
    assert model.next_row() == 2 and model.index(2, 0).data(CaseIdRole) == 3
    assert model.index(2, 2).data(Qt.ItemDataRole.BackgroundRole) is not None  # the next stop stands out
    assert model.index(3, 2).data(Qt.ItemDataRole.BackgroundRole) is None
    assert model.index(2, 4).data(Qt.ItemDataRole.FontRole).bold()
    assert model.rowCount(model.index(0, 0)) == 0 and model.index(0, 0).parent() == QModelIndex()


def test_outbox_model_says_what_a_person_did(qtmodeltester: Any, styled_app: Any, day: CollectorDay) -> None:
    rows = [OutboxRow(f"r{n}", kind, case_id, "王芳", NOON + dt.timedelta(minutes=n), state, reason, 0)
            for n, (kind, case_id, state, reason) in enumerate([
                ("audit_event", 1, "pending", ""), ("visit", 1, "pending", ""), ("audit_event", 1, "pending", ""),
                ("plan", 1, "rejected", "over authority"), ("audit_event", 2, "pending", ""),
                ("audit_event", 2, "pending", "")])]
    model = OutboxModel(day=day)
    model.set_rows(outbox.fold(rows))
    qtmodeltester.check(model)
    assert [(model.index(r, 0).data(), model.index(r, 1).data()) for r in range(model.rowCount())] == [
        ("Refused by the server", "Repayment plan"),
        ("Waiting to sync", "Visit, with 2 audit entries"),
        ("Waiting to sync", "Audit trail (2 entries)"),
    ]
    assert model.index(0, 4).data() == "over authority"
    assert model.kind_label("something_new") == "Other record"  # never a raw code on screen
