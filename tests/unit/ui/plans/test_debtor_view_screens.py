"""The plan screens rendered to PNG (editor, show-the-debtor view, signatures, sealed agreement) in
Chinese and English: nothing clipped, no missing translations, large type for the debtor."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from test_editor import DEBTOR, draw, open_editor, plan_store, sign_and_seal  # noqa: F401 - fixture

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_plan_screens_render(qtbot: Any, styled_app: Any, plan_store: Any, shot_dir: Path,  # noqa: F811
                             language: str) -> None:
    from fieldapp.ui import i18n

    i18n.install(styled_app, language)
    debtor_language = "zh-CN" if language == "zh_CN" else "en"
    dialog = open_editor(qtbot, plan_store, debtor_language)
    dialog.resize(1280, 820)
    dialog.count.setValue(8)
    dialog.down_payment.setText("1000")
    dialog.waiver.setText("6000")
    qtbot.wait(50)
    dialog.grab().save(str(shot_dir / f"plan-editor-{language}.png"))
    if language == "zh_CN":
        assert "组长" in dialog.verdict_title.text()
        assert dialog.tabs.tabText(0) != "Repayment plan"

    dialog.tabs.setCurrentIndex(1)
    dialog.promise_amount.setText("20000")
    qtbot.wait(20)
    dialog.grab().save(str(shot_dir / f"plan-promise-{language}.png"))
    dialog.tabs.setCurrentIndex(0)

    view = dialog.show_debtor()
    qtbot.addWidget(view)
    qtbot.waitExposed(view)
    view.grab().save(str(shot_dir / f"plan-debtor-view-{language}.png"))
    from PySide6.QtWidgets import QScrollArea

    bar = view.findChild(QScrollArea).verticalScrollBar()
    bar.setValue(bar.maximum())
    view.grab().save(str(shot_dir / f"plan-debtor-view-end-{language}.png"))
    amount_label = view.schedule_labels[0][2]
    assert amount_label.font().pointSizeF() >= 18 or "18pt" in view.styleSheet()
    assert amount_label.alignment() & Qt.AlignmentFlag.AlignRight
    if debtor_language == "zh-CN":
        assert view.back_button.text() == "返回" and "年" in view.schedule_labels[0][1].text()
    view.accept()

    qtbot.mouseClick(dialog.to_sign_button, Qt.MouseButton.LeftButton)
    draw(dialog.pads["debtor"])
    draw(dialog.pads["collector"], 9)
    dialog.grab().save(str(shot_dir / f"plan-signatures-{language}.png"))
    dialog.stack.setCurrentIndex(0)
    sign_and_seal(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.preview.page_count > 0 and dialog.preview.page_pixmap(0) is not None, timeout=10000)
    dialog.grab().save(str(shot_dir / f"plan-sealed-{language}.png"))
    (shot_dir / f"agreement-{language}.pdf").write_bytes(dialog.agreement_pdf)
    assert DEBTOR in dialog.heading.text()

    from fieldapp.ui.plans.summary import PlanSummaryWidget

    summary = PlanSummaryWidget(plan_store, 7)
    qtbot.addWidget(summary)
    summary.resize(460, 260)
    summary.show()
    qtbot.waitUntil(lambda: bool(summary.cards) and summary.cards[0].isVisible(), timeout=5000)
    summary.grab().save(str(shot_dir / f"plan-summary-{language}.png"))
    if language == "zh_CN":
        assert "待组长审批" in summary.texts()[0]
