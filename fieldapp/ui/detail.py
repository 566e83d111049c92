"""The selected case on the right: debtor, masked ID, amounts, DPD, flags, contact history, visits."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fieldapp.app.cases import CaseDetail
from fieldapp.core.clock import CollectorDay
from fieldapp.core.money import format_amount
from fieldapp.ui.labels import Labels
from fieldapp.ui.models import flag_label, format_date, format_local_time


def _label(text: str = "", name: str = "", wrap: bool = True) -> QLabel:
    label = QLabel(text)
    if name:
        label.setObjectName(name)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class CaseDetailPane(QScrollArea):
    """Shows one CaseDetail; ``log_contact_requested`` asks the page to open the contact dialog."""

    log_contact_requested = Signal()
    start_visit_requested = Signal()
    notice_requested = Signal()

    def __init__(self, parent: QWidget | None = None, store: Any = None, *, day: CollectorDay) -> None:
        super().__init__(parent)
        self.store = store
        self.day = day  # the collector's day: the debtor's zone is named when it differs from it
        self.plan_summary: QWidget | None = None
        self.setObjectName("detailScroll")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMinimumWidth(340)
        body = QWidget()
        body.setObjectName("detailPane")
        self.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)

        self.placeholder = _label(self.tr("Select a case to see its details."), "muted")
        layout.addWidget(self.placeholder)

        self.content = QWidget()
        content = QVBoxLayout(self.content)
        content.setContentsMargins(0, 0, 0, 0)
        content.setSpacing(10)
        self.name = _label("", "detailName")
        content.addWidget(self.name)
        self.subtitle = _label("", "muted")
        content.addWidget(self.subtitle)
        self.flags_row = QHBoxLayout()
        self.flags_row.setSpacing(6)
        self.flags_box = QWidget()
        self.flags_box.setLayout(self.flags_row)
        content.addWidget(self.flags_box)

        amounts = QFrame()
        amounts.setObjectName("card")
        grid = QGridLayout(amounts)
        grid.setContentsMargins(16, 12, 16, 12)
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(4)
        grid.addWidget(_label(self.tr("Total due"), "muted"), 0, 0)
        grid.addWidget(_label(self.tr("Days past due"), "muted"), 0, 1)
        self.total_due = _label("", "bigAmount", wrap=False)
        self.dpd = _label("", "bigAmount", wrap=False)
        grid.addWidget(self.total_due, 1, 0)
        grid.addWidget(self.dpd, 1, 1)
        self.breakdown = _label("", "muted")
        grid.addWidget(self.breakdown, 2, 0, 1, 2)
        content.addWidget(amounts)

        self.log_button = QPushButton(self.tr("Log contact attempt…"))
        self.log_button.setObjectName("primary")
        self.log_button.setToolTip(self.tr("Record a call or message to this debtor (Ctrl+L)"))
        self.log_button.clicked.connect(self.log_contact_requested)
        actions = QHBoxLayout()
        actions.setSpacing(8)
        self.visit_button = QPushButton(self.tr("Start visit"))
        self.visit_button.setObjectName("primary")
        self.visit_button.setToolTip(self.tr("Check the rules and start the guided visit (Ctrl+Shift+V)"))
        self.visit_button.clicked.connect(self.start_visit_requested)
        self.notice_button = QPushButton(self.tr("Notice letter…"))
        self.notice_button.setToolTip(self.tr("Preview, print or save the notice letter (Ctrl+Shift+N)"))
        self.notice_button.clicked.connect(self.notice_requested)
        actions.addWidget(self.visit_button, 1)
        actions.addWidget(self.log_button, 1)
        content.addLayout(actions)
        content.addWidget(self.notice_button)

        form = QFormLayout()
        form.setVerticalSpacing(8)
        form.setHorizontalSpacing(14)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self.fields: dict[str, QLabel] = {}
        for key, title in (
            ("appointment", self.tr("Appointment")),
            ("phone", self.tr("Phone")),
            ("address", self.tr("Address")),
            ("id_number", self.tr("ID number")),
            ("account", self.tr("Account")),
            ("creditor", self.tr("Creditor")),
            ("overdue_since", self.tr("Overdue since")),
            ("last_payment", self.tr("Last payment")),
            ("risk", self.tr("Risk grade")),
        ):
            self.fields[key] = _label()
            form.addRow(_label(title, "muted", wrap=False), self.fields[key])
        content.addLayout(form)

        content.addWidget(_label(self.tr("Contact history"), "sectionTitle"))
        self.contacts = _label()
        self.contacts.setTextFormat(Qt.TextFormat.RichText)
        content.addWidget(self.contacts)
        content.addWidget(_label(self.tr("Visits so far"), "sectionTitle"))
        self.visits = _label()
        self.visits.setTextFormat(Qt.TextFormat.RichText)
        content.addWidget(self.visits)
        self.plan_box = QVBoxLayout()  # the plans part (fieldapp.ui.plans), when it is in this build
        self.plan_box.setContentsMargins(0, 0, 0, 0)
        content.addLayout(self.plan_box)
        layout.addWidget(self.content)
        layout.addStretch(1)
        self.content.hide()
        self.detail: CaseDetail | None = None

    # -- labels for stored codes
    def channel_label(self, channel: str) -> str:
        return {"call": self.tr("Phone call"), "sms": self.tr("SMS"), "wechat": self.tr("WeChat"),
                "letter": self.tr("Letter")}.get(channel, channel)

    def outcome_label(self, outcome: str) -> str:
        return Labels(self).outcome(outcome) if outcome else ""

    # -- showing a case
    def clear(self, message: str = "") -> None:
        self.detail = None
        self.content.hide()
        self.placeholder.setText(message or self.tr("Select a case to see its details."))
        self.placeholder.show()

    def show_detail(self, detail: CaseDetail) -> None:
        previous = self.detail.case.get("id") if self.detail is not None else None
        self.detail = detail
        c = detail.case
        if c.get("id") != previous:
            self.verticalScrollBar().setValue(0)  # another case starts at its top, not where the last one was
        tz = c.get("timezone") or "Asia/Shanghai"
        currency = c.get("currency") or "CNY"
        self.name.setText(c["debtor_name"])
        self.subtitle.setText(" · ".join(p for p in (c.get("city"), c.get("district"), c.get("product")) if p))
        while self.flags_row.count():
            item = self.flags_row.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for flag in c.get("flags") or []:
            chip = QLabel(flag_label(flag))
            chip.setObjectName("flag")
            self.flags_row.addWidget(chip)
        self.flags_row.addStretch(1)
        self.flags_box.setVisible(bool(c.get("flags")))
        self.total_due.setText(format_amount(c["total_due"], currency))
        self.dpd.setText(str(c["dpd"]))
        self.breakdown.setText(self.tr("Principal {principal} · fees and interest {fees}").format(
            principal=format_amount(c["principal"], currency), fees=format_amount(c["fees"], currency)))
        appointment = c.get("appointment_at")
        self.fields["appointment"].setText(format_local_time(appointment, tz, day=self.day) if appointment else self.tr("none"))
        self.fields["phone"].setText(c.get("phone") or "")
        self.fields["address"].setText(c.get("address") or "")
        self.fields["id_number"].setText(c.get("id_number_masked") or "")
        self.fields["account"].setText(c.get("account_ref") or "")
        self.fields["creditor"].setText(" · ".join(p for p in (c.get("creditor"), c.get("product")) if p))
        self.fields["overdue_since"].setText(format_date(c.get("overdue_since")))
        if c.get("last_payment_date"):
            amount = c.get("last_payment_amount")
            self.fields["last_payment"].setText(
                format_date(c["last_payment_date"])
                + (f" · {format_amount(amount, currency)}" if amount is not None else ""))
        else:
            self.fields["last_payment"].setText(self.tr("none on record"))
        self.fields["risk"].setText(c.get("risk_grade") or "")
        self._show_plan_summary(int(c["id"]))
        self.contacts.setText(self._contacts_html(detail, tz))
        self.visits.setText(self._visits_html(detail, tz))
        self.placeholder.hide()
        self.content.show()

    def _show_plan_summary(self, case_id: int) -> None:
        """The repayment plans of the case (fieldapp.ui.plans), when that part is in this build."""
        if self.store is None:
            return
        try:
            from fieldapp.ui.plans.summary import PlanSummaryWidget
        except ImportError:
            return
        if self.plan_summary is None:
            self.plan_summary = PlanSummaryWidget(self.store, case_id, self)
            self.plan_box.addWidget(self.plan_summary)
        else:
            self.plan_summary.set_case(case_id)  # type: ignore[attr-defined]

    def _contacts_html(self, detail: CaseDetail, tz: str) -> str:
        if not detail.contacts:
            none = self.tr("No contact attempts yet.")  # outside the f-string, where lupdate finds it
            return f"<span style='color:#55656e'>{html.escape(none)}</span>"
        rows = []
        # outside the f-strings below, so pyside6-lupdate finds them
        flagged_text = html.escape(self.tr("flagged for the team lead"))
        waiting_text = html.escape(self.tr("waiting to sync"))
        for a in detail.contacts:
            line = (f"<b>{html.escape(format_local_time(a['attempted_at'], tz, day=self.day))}</b> · "
                    f"{html.escape(self.channel_label(a['channel']))} · {html.escape(self.outcome_label(a['outcome']))}")
            if a.get("appointment_at"):
                line += " → " + html.escape(self.tr("visit {time}").format(
                    time=format_local_time(a["appointment_at"], tz, day=self.day)))
            if a.get("flagged"):
                line += f" <span style='color:#a11d12'>({flagged_text})</span>"
            if a["id"] in detail.pending_contacts:
                line += f" <span style='color:#8a5a00'>({waiting_text})</span>"
            if a.get("note"):
                line += f"<br><span style='color:#3b4a52'>{html.escape(a['note'])}</span>"
            rows.append(f"<p style='margin:0 0 8px 0'>{line}</p>")
        return "".join(rows)

    def _visits_html(self, detail: CaseDetail, tz: str) -> str:
        if not detail.visits:
            none = self.tr("No visits yet.")
            return f"<span style='color:#55656e'>{html.escape(none)}</span>"
        rows = []
        for v in detail.visits:
            started: dt.datetime | None = v.get("started_at")
            line = f"<b>{html.escape(format_local_time(started, tz, day=self.day))}</b>"
            if v.get("outcome"):
                line += " · " + html.escape(self.outcome_label(v["outcome"]))
            if v.get("state") == "draft":
                line += " · " + html.escape(self.tr("not finished"))
            rows.append(f"<p style='margin:0 0 8px 0'>{line}</p>")
        return "".join(rows)

    def current_case(self) -> dict[str, Any] | None:
        return self.detail.case if self.detail else None
