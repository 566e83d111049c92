"""The end of a visit through real widgets: the summary says what will be recorded, a wrong address
needs a confirmation and a note, a promise made from the plan step moves the visit on, and nothing
is recorded as handed over before a letter was printed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import select
from test_wizard import choose, local, make_window, next_step, open_wizard, step_id, trusted_clock

from fieldapp.store.models import PromiseRow, Visit
from fieldapp.ui.plans.editor import PlanEditorDialog

pytestmark = pytest.mark.gui

MORNING = local("Asia/Shanghai", 2026, 11, 25, 10, 0)


@pytest.fixture
def window(qtbot: Any, styled_app: Any, store: Any) -> Any:
    win = make_window(qtbot, store, trusted_clock(MORNING))
    yield win
    win.shutdown()


def to_the_notice(qtbot: Any, wizard: Any) -> None:
    next_step(qtbot, wizard)  # check in
    choose(wizard, "verified")
    next_step(qtbot, wizard)
    next_step(qtbot, wizard)  # introduce
    choose(wizard, "agree")
    next_step(qtbot, wizard)
    while step_id(wizard) != "notice":
        if step_id(wizard) == "entry":
            choose(wizard, "at_door")
        next_step(qtbot, wizard)


def test_a_wrong_address_asks_first_and_keeps_what_was_found(qtbot: Any, window: Any, store: Any) -> None:
    wizard = open_wizard(qtbot, window, 1)
    wizard.wrong_address_button.click()
    dialog = wizard.wrong_address_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    assert not dialog.confirm.isEnabled()  # no note, no ending
    dialog.reject()
    assert wizard.isVisible() and not wizard.session.payload.get("outcome_override")  # cancelled: the visit goes on
    wizard.wrong_address_button.click()
    dialog = wizard.wrong_address_dialog
    dialog.note.setPlainText("新租户三月起住这里，不认识王小明")
    assert dialog.confirm.isEnabled()
    with qtbot.waitSignal(window.visit_launcher.finished, timeout=10_000):
        dialog.confirm.click()
    with store.session() as session:
        visit = session.scalars(select(Visit).where(Visit.case_id == 1)).one()
        assert visit.state == "complete" and visit.outcome == "wrong_address"
        assert visit.payload["note"].startswith("新租户")


def test_handed_over_needs_a_printed_letter_and_a_scripted_promise_is_tracked(
        qtbot: Any, window: Any, store: Any) -> None:
    wizard = open_wizard(qtbot, window, 1)
    to_the_notice(qtbot, wizard)
    choose(wizard, "signed")
    wizard.next_button.click()
    assert step_id(wizard) == "notice" and "No notice letter has been printed" in wizard.problem.text()
    choose(wizard, "refused")
    next_step(qtbot, wizard)
    choose(wizard, "promise")
    next_step(qtbot, wizard)
    next_step(qtbot, wizard)  # the date: a week from today, filled in
    wizard.answers.input.setText("3,000元")
    next_step(qtbot, wizard)
    assert step_id(wizard) == "closing", wizard.problem.text()
    next_step(qtbot, wizard)
    choose(wizard, "promise_to_pay")
    next_step(qtbot, wizard)
    next_step(qtbot, wizard)  # no follow-up date
    summary = wizard.summary_detail.text()
    due = MORNING.date() + dt.timedelta(days=7)
    for line in ("Checked in at the address", "Identity: confirmed", "Recording: the debtor consented",
                 "Entry: talked at the door", "Notice letter: refused (0 printed)",
                 f"Promise to pay ¥3,000.00 on {due.isoformat()}"):
        assert line in summary, (line, summary)
    with qtbot.waitSignal(window.visit_launcher.finished, timeout=10_000):
        wizard.next_button.click()
    with store.session() as session:
        promises = session.scalars(select(PromiseRow).where(PromiseRow.case_id == 1)).all()
    assert [(p.due_on, p.amount_minor) for p in promises] == [(due, 300_000)]


def test_a_promise_from_the_plan_step_answers_it(qtbot: Any, window: Any, store: Any) -> None:
    wizard = open_wizard(qtbot, window, 1)
    to_the_notice(qtbot, wizard)
    choose(wizard, "refused")
    next_step(qtbot, wizard)
    choose(wizard, "plan")
    next_step(qtbot, wizard)
    assert step_id(wizard) == "plan"

    def promise_in_the_editor() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PlanEditorDialog) or dialog.context is None:
            QTimer.singleShot(50, promise_in_the_editor)
            return
        dialog.tabs.setCurrentIndex(1)
        dialog.promise_amount.setText("500")
        dialog.record_promise()

    QTimer.singleShot(50, promise_in_the_editor)
    wizard.open_plan_editor()  # modal, as the step's button opens it
    qtbot.waitUntil(wizard.is_saved, timeout=10_000)
    assert wizard.session.plan_answer().startswith("promise:")
    next_step(qtbot, wizard)
    assert step_id(wizard) == "closing", wizard.problem.text()
