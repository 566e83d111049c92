"""A plan signed in the editor goes to a real server, a lead approves it, and the collector's summary shows it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from test_editor import draw

from fieldapp.core.plans import APPROVED, PENDING_APPROVAL

pytestmark = [pytest.mark.gui, pytest.mark.e2e]


def test_signed_in_the_editor_approved_by_the_lead_shown_on_the_case(qtbot: Any, styled_app: Any,
                                                                      enroll_store: Any) -> None:
    from PySide6.QtCore import Qt

    from fieldapp.store.models import Case
    from fieldapp.ui.plans.editor import PlanEditorDialog
    from fieldapp.ui.plans.summary import PlanSummaryWidget

    collector = enroll_store("wang", cases=1, team="north")
    lead = enroll_store("li", cases=0, role="lead", team="north")
    collector.client().sync()
    with collector.store.session() as session:
        case_id = session.scalars(select(Case.id)).one()

    dialog = PlanEditorDialog(None, collector.store, case_id, language="zh-CN")
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.ready, timeout=5000):
        dialog.show()
    qtbot.waitExposed(dialog)
    dialog.count.setValue(3)
    dialog.waiver.setText(str(int(dialog.context.total_due * 30 / 100)))  # beyond a collector's 20 %
    assert dialog.verdict.status == PENDING_APPROVAL
    qtbot.mouseClick(dialog.to_sign_button, Qt.MouseButton.LeftButton)
    draw(dialog.pads["debtor"])
    draw(dialog.pads["collector"], 9)
    with qtbot.waitSignal(dialog.sealed, timeout=5000):
        qtbot.mouseClick(dialog.seal_button, Qt.MouseButton.LeftButton)
    sealed = dialog.sealed_plan

    report = collector.client().sync()  # the plan, its audit events, both images and stroke files
    assert report.rejected == 0 and report.attachments_uploaded == 4
    pending = lead.client().team_plans()
    assert [p.plan_id for p in pending] == [sealed.id] and pending[0].sealed["seal_sha256"] == sealed.seal
    lead.client().decide_plan(sealed.id, "approve", "同意减免，请按期跟进")
    collector.client().sync()

    summary = PlanSummaryWidget(collector.store, case_id)
    qtbot.addWidget(summary)
    qtbot.waitUntil(lambda: summary.history is not None, timeout=5000)
    assert summary.history.plans[0].status == APPROVED
    assert "Approved by li" in summary.texts()[0] and "同意减免，请按期跟进" in summary.texts()[0]
