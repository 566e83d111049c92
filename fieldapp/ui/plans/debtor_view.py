"""The plan as the debtor sees it: a separate, uncluttered window in large type, in their language.

Shows only what the debtor agrees to — amounts, dates, what happens on a missed payment — never
the collector's policy checks. The texts are in the debtor's language (zh-CN or en), whatever
language the app itself runs in, so they come from this module rather than the app translations.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fieldapp.core.money import format_amount, to_minor
from fieldapp.core.plans import FREQUENCY_LABELS, RepaymentPlan
from fieldapp.documents.agreement_pdf import DEFAULT_TERMS, format_date

TEXTS = {
    "title": {"zh-CN": "您的还款计划", "en": "Your repayment plan"},
    "total_due": {"zh-CN": "欠款总额", "en": "Total owed"},
    "waiver": {"zh-CN": "减免", "en": "Waived"},
    "agreed_total": {"zh-CN": "您需还款总额", "en": "You pay in total"},
    "down_payment": {"zh-CN": "今天首付", "en": "Paid today"},
    "how": {"zh-CN": "{frequency}还款，共 {count} 期", "en": "{count} instalments, {frequency}"},
    "schedule": {"zh-CN": "还款日期和金额", "en": "Dates and amounts"},
    "down": {"zh-CN": "首付", "en": "Down payment"},
    "number": {"zh-CN": "第 {n} 期", "en": "Instalment {n}"},
    "terms": {"zh-CN": "如果未按期还款", "en": "If a payment is missed"},
    "pending": {"zh-CN": "此计划需要组长审批后生效，我们会通知您结果。",
                "en": "This plan takes effect once the team lead approves it; we will tell you the decision."},
    "back": {"zh-CN": "返回", "en": "Back"},
}

_STYLE = """
QWidget#debtorView { background: #ffffff; }
QLabel { color: #1d2b33; font-size: 18pt; }
QLabel#debtorTitle { font-size: 26pt; font-weight: 600; }
QLabel#debtorBig { font-size: 30pt; font-weight: 700; color: #1f6f8b; }
QLabel#debtorLabel { color: #3b4a52; }
QLabel#debtorSection { font-size: 20pt; font-weight: 600; padding: 14px 0 0 0; margin: 0; }
QLabel#debtorNote { background: #fff6db; border: 1px solid #e8d48a; border-radius: 8px; padding: 10px 14px; }
QLabel#debtorTerms { font-size: 16pt; color: #3b4a52; }
QFrame#debtorRule { color: #d5dde1; }
QPushButton { font-size: 16pt; min-height: 48px; padding: 4px 28px; }
"""


def _text(key: str, language: str, **values: object) -> str:
    return TEXTS[key][language].format(**values)


class DebtorPlanView(QDialog):
    """Shows ``plan`` to the debtor in ``language`` ("zh-CN" or "en"). Close it to return to the editor."""

    def __init__(self, plan: RepaymentPlan, language: str, parent: QWidget | None = None,
                 *, pending_approval: bool = False) -> None:
        super().__init__(parent)
        language = language if language in ("zh-CN", "en") else "zh-CN"
        self.language = language
        self.setObjectName("debtorViewDialog")
        self.setWindowTitle(_text("title", language))
        self.setStyleSheet(_STYLE)
        available = self.screen().availableGeometry()
        self.resize(min(920, available.width()), min(860, available.height()))
        money = lambda amount: format_amount(to_minor(amount, plan.currency), plan.currency)  # noqa: E731

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        body.setObjectName("debtorView")
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(48, 36, 48, 24)
        layout.setSpacing(14)

        layout.addWidget(self._label(_text("title", language), "debtorTitle"))
        figures = QGridLayout()
        figures.setHorizontalSpacing(24)
        figures.setVerticalSpacing(8)
        rows: list[tuple[str, str, str]] = [("total_due", money(plan.total_due), "")]
        if plan.waiver:
            rows.append(("waiver", "−" + money(plan.waiver), ""))
        rows.append(("agreed_total", money(plan.agreed_total), "debtorBig"))
        if plan.down_payment:
            rows.append(("down_payment", money(plan.down_payment), ""))
        for row, (key, value, name) in enumerate(rows):
            figures.addWidget(self._label(_text(key, language), "debtorLabel"), row, 0)
            figures.addWidget(self._label(value, name, right=True), row, 1)
        figures.setColumnStretch(0, 1)
        layout.addLayout(figures)
        regular = plan.regular_instalments
        layout.addWidget(self._label(_text("how", language, count=len(regular),
                                           frequency=FREQUENCY_LABELS[plan.frequency][language]), "debtorLabel"))
        if pending_approval:
            layout.addWidget(self._label(_text("pending", language), "debtorNote"))

        layout.addWidget(self._label(_text("schedule", language), "debtorSection"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(6)
        self.schedule_labels: list[tuple[QLabel, QLabel, QLabel]] = []
        for row, item in enumerate(plan.instalments):
            name = _text("down", language) if item.number == 0 else _text("number", language, n=item.number)
            labels = (self._label(name, "debtorLabel"), self._label(format_date(item.due_on, language)),
                      self._label(money(item.amount), right=True))
            for column, label in enumerate(labels):
                grid.addWidget(label, row, column)
            self.schedule_labels.append(labels)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)

        layout.addWidget(self._label(_text("terms", language), "debtorSection"))
        terms = plan.default_terms or DEFAULT_TERMS[language]
        layout.addWidget(self._label(terms.split("\n")[0], "debtorTerms"))
        layout.addStretch(1)

        bar = QHBoxLayout()
        bar.setContentsMargins(48, 8, 48, 20)
        bar.addStretch(1)
        self.back_button = QPushButton(_text("back", language))
        self.back_button.setDefault(True)
        self.back_button.clicked.connect(self.accept)
        bar.addWidget(self.back_button)
        outer.addLayout(bar)

    @staticmethod
    def _label(text: str, name: str = "", *, right: bool = False) -> QLabel:
        label = QLabel(text)
        label.setIndent(0)  # a styled label would otherwise indent its text by half an "x"
        if name:
            label.setObjectName(name)
        label.setWordWrap(not right)
        if right:
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return label


__all__ = ("DebtorPlanView", "TEXTS")
