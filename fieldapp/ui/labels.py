"""Words for the codes the screens show (contact and visit outcomes, notice deliveries), in one place.

Every screen that names an outcome asks here, so the case detail, the visit summary and Today say
the same thing in both languages.
"""

from __future__ import annotations

from PySide6.QtCore import QObject


class Labels(QObject):
    def outcome(self, code: str) -> str:
        """A contact attempt's or a visit's outcome."""
        return {
            "connected": self.tr("Spoke with the debtor"), "no_answer": self.tr("No answer"),
            "busy": self.tr("Busy"), "wrong_number": self.tr("Wrong number"),
            "third_party": self.tr("Someone else answered"), "refused": self.tr("Refused"),
            "sms_sent": self.tr("Message sent"), "appointment": self.tr("Appointment agreed"),
            "paid_on_spot": self.tr("Paid on the spot"), "plan_signed": self.tr("Plan signed"),
            "promise_to_pay": self.tr("Promise to pay"), "disputes_debt": self.tr("Disputes the debt"),
            "hardship": self.tr("Hardship or vulnerability reported"), "not_at_home": self.tr("Not at home"),
            "moved": self.tr("Moved"), "wrong_address": self.tr("Wrong address"), "deceased": self.tr("Deceased"),
            "third_party_only": self.tr("Third party only"),
        }.get(code, code or self.tr("none"))

    def delivery(self, code: str) -> str:
        """How a notice letter reached (or did not reach) the debtor."""
        return {
            "handed_to_debtor": self.tr("handed to the verified debtor"),
            "sealed_envelope": self.tr("sealed envelope to an adult household member"),
            "refused": self.tr("refused"),
            "not_delivered": self.tr("not delivered"),
        }.get(code, code)
