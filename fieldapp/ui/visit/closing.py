"""The end of a visit: the summary the collector checks before finishing, and the wrong-address note.

The summary names everything the visit record will say — check-in, identity, recording consent,
entry, the letter, a plan or promise, the follow-up, evidence — so nothing is queued unseen.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from fieldapp.core.money import format_amount, parse_amount, to_minor
from fieldapp.core.visit import VisitSession
from fieldapp.ui.labels import Labels


class VisitSummary(QObject):
    """The lines of a visit's summary, in the collector's language."""

    def lines(self, session: VisitSession, case: dict[str, Any]) -> list[str]:
        labels = Labels(self)
        payload = session.payload
        facts = session.runner.visit_fields()["facts"]
        out = [self.tr("Outcome: {outcome}").format(outcome=labels.outcome(session.outcome))]
        if payload.get("outcome_override") == "wrong_address":
            out.append(self.tr("Wrong address: {note}").format(note=payload.get("note", "")))
            return out
        out.append(self.tr("Checked in at the address on the case") if session.checked_in
                   else self.tr("Not checked in"))
        if session.is_third_party:
            person = payload.get("contact_label") or self.tr("someone else")
            out.append(self.tr("Identity: not the debtor (spoke with {person}); nothing about the debt was "
                               "said").format(person=person))
        else:
            out.append(self.tr("Identity: confirmed") if facts.get("identity_confirmed")
                       else self.tr("Identity: not confirmed"))
            out.append(self.tr("Recording: the debtor consented") if facts.get("recording_consent")
                       else self.tr("Recording: no consent given"))
            out.append(self.tr("Entry: invited in by the debtor") if facts.get("entry_consent")
                       else self.tr("Entry: talked at the door"))
        printed = len(session.letters())
        out.append(self.tr("Notice letter: {delivery} ({n} printed)").format(
            delivery=labels.delivery(session.delivery()), n=printed))
        plan = session.plan_answer()
        if plan.startswith("promise:"):
            out.append(self.tr("Promise to pay recorded in the plan editor"))
        elif plan:
            out.append(self.tr("Repayment plan {id} signed and sealed").format(id=plan[:8]))
        promise = session.promise()
        if promise is not None:
            currency = case.get("currency") or "CNY"
            try:
                amount = format_amount(to_minor(parse_amount(promise["amount"], currency), currency), currency)
            except ValueError:
                amount = promise["amount"]
            out.append(self.tr("Promise to pay {amount} on {date} (tracked as a promise)").format(
                amount=amount, date=promise["due_on"]))
        if payload.get("follow_up_on"):
            out.append(self.tr("Follow-up on {date}").format(date=payload["follow_up_on"]))
        out.append(self.tr("Evidence attached: {n}").format(n=len(payload.get("attachments", []))))
        if payload.get("flagged"):
            out.append(self.tr("This visit is flagged for your team lead."))
        return out


class WrongAddressDialog(QDialog):
    """Confirm that the address is wrong, and say what was found there (the lead traces the debtor by it)."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Not the right address"))
        self.setModal(True)
        layout = QVBoxLayout(self)
        text = QLabel(self.tr("End this visit as \u201cwrong address\u201d? Say what you found, for example "
                              "\u201cnew tenant since March, does not know the debtor\u201d. Say nothing about the "
                              "debt to anyone here."))
        text.setWordWrap(True)
        layout.addWidget(text)
        self.note = QPlainTextEdit()
        self.note.setObjectName("wrongAddressNote")
        self.note.setPlaceholderText(self.tr("What you found at the address"))
        self.note.setMaximumHeight(120)
        layout.addWidget(self.note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm = self.buttons.addButton(self.tr("End visit: wrong address"),
                                              QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm.setEnabled(False)
        self.note.textChanged.connect(lambda: self.confirm.setEnabled(bool(self.note.toPlainText().strip())))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(560, 280)

    def text(self) -> str:
        return self.note.toPlainText().strip()
