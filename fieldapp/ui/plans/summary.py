"""A case's plans and promises at a glance, for the detail pane: status, the lead's decision, payments."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from fieldapp.app import plans as persist
from fieldapp.core.money import format_amount, to_minor
from fieldapp.ui.plans.schedule_model import display_date
from fieldapp.ui.tasks import Task


def _day(value: dt.date) -> str:
    return display_date(value)


class PlanSummaryWidget(QWidget):
    """Lists every plan (superseded ones too) and promise of ``case_id``; ``refresh()`` re-reads them.

    Reading runs on a Task; ``loaded`` fires when the list is shown. ``history`` holds what was read.
    """

    loaded = Signal()

    def __init__(self, store: Any, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planSummary")
        self.store = store
        self.case_id = case_id
        self.history: persist.CaseHistory | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(8)
        self.title = QLabel(self.tr("Plans and promises"))
        self.title.setObjectName("sectionTitle")
        self._layout.addWidget(self.title)
        self.cards: list[QLabel] = []
        self.boxes: list[QWidget] = []  # a card, or a card with its "Agreement…" button
        self.agreement_buttons: dict[str, QPushButton] = {}
        self.empty = QLabel(self.tr("No plan or promise yet."))
        self.empty.setObjectName("muted")
        self._layout.addWidget(self.empty)
        self._layout.addStretch(1)  # cards go above it, packed at the top
        self.refresh()

    def set_case(self, case_id: int) -> None:
        self.case_id = case_id
        self.refresh()

    def refresh(self) -> None:
        case_id = self.case_id
        Task(self, persist.case_history, self.store, case_id).on_done(
            lambda history: self._show(case_id, history)).on_error(self._failed).start()

    def status_text(self, status: str) -> str:
        return {
            "draft": self.tr("Draft"), "signed": self.tr("Signed"),
            "pending_approval": self.tr("Pending approval by the team lead"), "approved": self.tr("Approved"),
            "rejected": self.tr("Rejected"), "active": self.tr("Active"), "kept": self.tr("Kept so far"),
            "broken": self.tr("Broken: a payment is overdue"), "completed": self.tr("Completed"),
            "pending": self.tr("Waiting for the date"),
        }.get(status, status)

    def frequency_text(self, frequency: str) -> str:
        return {"monthly": self.tr("monthly"), "fortnightly": self.tr("every two weeks"),
                "weekly": self.tr("weekly")}.get(frequency, frequency)

    def texts(self) -> list[str]:
        """The cards' plain text, for tests and screen readers."""
        return [card.text() for card in self.cards]

    def _failed(self, exc: BaseException, details: str) -> None:
        self._clear()
        self.empty.setText(self.tr("Plans could not be read: %1").replace("%1", str(exc)))
        self.empty.show()

    def _clear(self) -> None:
        for box in self.boxes:
            self._layout.removeWidget(box)
            box.deleteLater()
        self.cards, self.boxes = [], []

    def _card(self, text: str, tone: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("card")
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        border = {"ok": "#a8d5b5", "warn": "#e8d48a", "bad": "#f2b8b0", "old": "#d5dde1"}[tone]
        label.setStyleSheet(f"QLabel {{ background: #ffffff; border: 1px solid {border}; border-left: 5px solid "
                            f"{border}; border-radius: 6px; padding: 8px 12px; }}")
        return label

    def _show(self, case_id: int, history: persist.CaseHistory) -> None:
        if case_id != self.case_id:
            return  # an older read for a case no longer shown
        self.history = history
        self._clear()
        self.agreement_buttons = {}
        for entry in history.plans:
            card = self._plan_card(entry)
            self.cards.append(card)
            self.boxes.append(self._with_button(card, entry.sealed.id) if entry.verification_token else card)
        for entry in history.promises:
            self.cards.append(self._promise_card(entry))
            self.boxes.append(self.cards[-1])
        for box in self.boxes:
            self._layout.insertWidget(self._layout.count() - 1, box)
        self.empty.setText(self.tr("No plan or promise yet."))
        self.empty.setVisible(not self.cards)
        self.loaded.emit()

    def open_agreement(self, plan_id: str) -> Any:
        """Show the agreement of one of the case's plans again (preview, print a copy, save)."""
        from fieldapp.ui.plans.agreement_dialog import AgreementDialog

        dialog = AgreementDialog(self, self.store, self.case_id, plan_id)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _with_button(self, card: QLabel, plan_id: str) -> QWidget:
        box = QWidget()
        row = QVBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(card)
        button = QPushButton(self.tr("Agreement…"))
        button.setToolTip(self.tr("Preview, print or save a copy of the signed agreement"))
        button.clicked.connect(lambda: self.open_agreement(plan_id))
        row.addWidget(button, 0, Qt.AlignmentFlag.AlignRight)
        self.agreement_buttons[plan_id] = button
        return box

    def _plan_card(self, entry: persist.PlanEntry) -> QLabel:
        plan = entry.sealed.plan
        cur = plan.currency
        money = lambda minor: format_amount(minor, cur)  # noqa: E731
        head = self.tr("Plan: %1 in %2 instalments, %3").replace("%1", money(to_minor(plan.agreed_total, cur)))
        head = head.replace("%2", str(len(plan.regular_instalments))).replace("%3", self.frequency_text(plan.frequency))
        lines = [f"<b>{html.escape(head)}</b>"]
        status = entry.status
        lines.append(html.escape(f"{self.status_text(status)} · "
                                 + self.tr("signed on %1").replace("%1", _day(plan.agreed_on))))
        if entry.superseded_by:
            lines.append(html.escape(self.tr("Replaced by a newer plan; kept on record.")))
        if status in ("approved", "rejected") or entry.decision_comment:
            who = entry.decided_by or self.tr("the team lead")
            verb = self.tr("Approved by %1") if status != "rejected" else self.tr("Rejected by %1")
            text = verb.replace("%1", who)
            if entry.decision_comment:
                text += f": “{entry.decision_comment}”"
            lines.append(html.escape(text))
        lines.append(html.escape(self._payments_line(entry)))
        tone = ("old" if entry.superseded_by else "bad" if status in ("broken", "rejected")
                else "warn" if status == "pending_approval" else "ok")
        return self._card("<br>".join(lines), tone)

    def _payments_line(self, entry: persist.PlanEntry) -> str:
        plan = entry.sealed.plan
        cur = plan.currency
        if entry.instalments:
            lines = entry.instalments
            paid = sum(1 for i in lines if i.status == "paid")
            overdue = sum(1 for i in lines if i.status == "overdue")
            upcoming = [i for i in lines if i.status != "paid"]
        else:
            lines = ()
            paid, overdue = 0, 0
            upcoming = [persist.InstalmentLine(i.number, i.due_on, to_minor(i.amount, cur), 0, "upcoming")
                        for i in plan.instalments]
        total = len(lines) or len(plan.instalments)
        text = self.tr("%1 of %2 payments made").replace("%1", str(paid)).replace("%2", str(total))
        if overdue:
            text += " · " + self.tr("%1 overdue").replace("%1", str(overdue))
        if upcoming:
            nxt = upcoming[0]
            text += " · " + self.tr("next due %1: %2").replace("%1", _day(nxt.due_on)).replace(
                "%2", format_amount(nxt.amount_minor - nxt.paid_minor, cur))
        return text

    def _promise_card(self, entry: persist.PromiseEntry) -> QLabel:
        promise = entry.promise
        amount = format_amount(to_minor(promise.amount, promise.currency), promise.currency)
        head = self.tr("Promise to pay %1 by %2").replace("%1", amount).replace("%2", _day(promise.due_on))
        tone = {"kept": "ok", "broken": "bad"}.get(entry.status, "warn")
        return self._card(f"<b>{html.escape(head)}</b><br>{html.escape(self.status_text(entry.status))}", tone)


__all__ = ("PlanSummaryWidget",)
