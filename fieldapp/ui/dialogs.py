"""Dialogs: plain-language errors with "copy details", logging a contact attempt, settings."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDateTime, Qt, QTimeZone
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldapp.app.contacts import ContactAttemptInput

log = logging.getLogger(__name__)


def report_error(parent: QWidget | None, message: str, details: str = "", *, title: str = "") -> None:
    """Tell the person what happened in plain words; the technical details go to the log only.

    The dialog offers "Copy details" so support can be sent the traceback without it being shown.
    """
    if details:
        log.error("%s\n%s", message, details)
    dialog = ErrorDialog(parent, message, details, title=title)
    dialog.open()


class ErrorDialog(QDialog):
    """A plain message, an OK button and (when there are details) a "Copy details" button."""

    def __init__(self, parent: QWidget | None, message: str, details: str = "", *, title: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("errorDialog")
        self.setWindowTitle(title or self.tr("Something went wrong"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.details = details
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(16)
        self.message_label = QLabel(message)
        self.message_label.setWordWrap(True)
        self.message_label.setMinimumWidth(380)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        if details:
            self.copy_button = QPushButton(self.tr("Copy details"))
            self.copy_button.setToolTip(self.tr("Copy the technical details for support (they are also in the log)"))
            self.copy_button.clicked.connect(self._copy)
            buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout.addWidget(buttons)

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.details)
        self.copy_button.setText(self.tr("Copied"))


def inform(parent: QWidget | None, title: str, message: str) -> QMessageBox:
    """A non-blocking information box (server decisions: a case closed, the device revoked)."""
    box = QMessageBox(QMessageBox.Icon.Information, title, message, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


# ---------------------------------------------------------------------------------- contact attempt
def _qzone(tz_name: str, fallback: str) -> QTimeZone:
    """The debtor's zone for Qt; the collector's working zone when the name is unknown."""
    for name in (tz_name, fallback):
        zone = QTimeZone(name.encode())
        if zone.isValid():
            return zone
    return QTimeZone(QTimeZone.Initialization.UTC)


def zoned_datetime_edit(value: dt.datetime, tz_name: str, *, fallback: dt.tzinfo) -> QDateTimeEdit:
    """A date-time field in the debtor's zone ``tz_name`` (``fallback``, the collector's, if unknown)."""
    from fieldapp.core.clock import zone_name

    return _zoned_edit(value, _qzone(tz_name, zone_name(fallback)))


def _zoned_edit(value: dt.datetime, zone: QTimeZone) -> QDateTimeEdit:
    """A date-time field that shows and takes wall-clock time in ``zone``, not the laptop's.

    QDateTimeEdit converts what it is given to its own zone, which is the laptop's by default: the
    zone is set first, so the field reads the debtor's time on a laptop set to any zone.
    """
    edit = QDateTimeEdit()
    edit.setTimeZone(zone)
    edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(value.timestamp()), zone))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    return edit


def _to_utc(value: QDateTime) -> dt.datetime:
    return dt.datetime.fromtimestamp(value.toSecsSinceEpoch(), dt.UTC)


class ContactAttemptDialog(QDialog):
    """Log a call, SMS or message to the debtor: channel, time, outcome, appointment, note.

    Times are entered in the debtor's local time (``tz_name``), which the dialog names; ``now`` is
    the collector's trusted now (CollectorDay.now()), ``work_zone`` the collector's zone name (used
    when the debtor's zone is unknown).
    """

    def __init__(self, parent: QWidget | None, *, debtor_name: str, tz_name: str,
                 now: dt.datetime, work_zone: str = "Asia/Shanghai", rule_notice: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("contactAttemptDialog")
        self.setWindowTitle(self.tr("Log contact attempt"))
        self.tz_name = tz_name
        qzone = _qzone(tz_name, work_zone)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(14)
        heading = QLabel(self.tr("Contact attempt with {name}").format(name=debtor_name))
        heading.setObjectName("sectionTitle")
        layout.addWidget(heading)
        # What the rule pack says about calling now (a block, or a reason the lead will review).
        self.rule_notice = QLabel(rule_notice)
        self.rule_notice.setObjectName("error")
        self.rule_notice.setWordWrap(True)
        self.rule_notice.setMinimumWidth(420)
        self.rule_notice.setVisible(bool(rule_notice))
        layout.addWidget(self.rule_notice)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.setVerticalSpacing(12)
        form.setHorizontalSpacing(16)

        self.channel = QComboBox()
        for value, label in (("call", self.tr("Phone call")), ("sms", self.tr("SMS")),
                             ("wechat", self.tr("WeChat")), ("letter", self.tr("Letter"))):
            self.channel.addItem(label, value)
        form.addRow(self.tr("Channel"), self.channel)

        zone_note = self.tr("debtor's local time, {zone}").format(zone=tz_name)
        self.attempted_at = _zoned_edit(now, qzone)
        self.attempted_at.setToolTip(zone_note)
        form.addRow(self.tr("Time"), self.attempted_at)

        self.outcome = QComboBox()
        for value, label in (
            ("connected", self.tr("Spoke with the debtor")),
            ("appointment", self.tr("Appointment agreed")),
            ("no_answer", self.tr("No answer")),
            ("busy", self.tr("Busy")),
            ("sms_sent", self.tr("Message sent")),
            ("third_party", self.tr("Someone else answered (nothing said about the debt)")),
            ("refused", self.tr("Refused to talk")),
            ("wrong_number", self.tr("Wrong number")),
        ):
            self.outcome.addItem(label, value)
        form.addRow(self.tr("Outcome"), self.outcome)

        self.has_appointment = QCheckBox(self.tr("Visit time agreed"))
        self.appointment_at = _zoned_edit(now.replace(minute=0, second=0, microsecond=0)
                                          + dt.timedelta(days=1, hours=1), qzone)
        self.appointment_at.setToolTip(zone_note)
        self.appointment_at.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(self.has_appointment)
        row.addWidget(self.appointment_at, 1)
        form.addRow(self.tr("Appointment"), row)

        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(self.tr("What was said, in a few words"))
        self.note.setFixedHeight(90)
        form.addRow(self.tr("Note"), self.note)
        layout.addLayout(form)

        # Shown when the attempt, at its own time, broke a rule: it is logged, but only with the reason why.
        self.broken = QLabel("")
        self.broken.setObjectName("error")
        self.broken.setWordWrap(True)
        self.broken.hide()
        layout.addWidget(self.broken)
        self.justification = QPlainTextEdit()
        self.justification.setObjectName("justification")
        self.justification.setPlaceholderText(self.tr("Why did this contact happen? Your team lead will review it"))
        self.justification.setFixedHeight(70)
        self.justification.hide()
        layout.addWidget(self.justification)
        self._reviewer: Callable[[ContactAttemptInput], tuple[str, str] | None] | None = None
        self._broken_rule = ""

        zone = QLabel(self.tr("Times are the debtor's local time ({zone}).").format(zone=tz_name))
        zone.setObjectName("muted")
        layout.addWidget(zone)
        self.error = QLabel("")
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("primary")
        self.save_button.setText(self.tr("Save to outbox"))
        self.buttons.accepted.connect(self._validate)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.has_appointment.toggled.connect(self.appointment_at.setEnabled)
        self.outcome.currentIndexChanged.connect(self._outcome_changed)
        for changed in (self.channel.currentIndexChanged, self.outcome.currentIndexChanged,
                        self.attempted_at.dateTimeChanged):
            changed.connect(lambda *_: self._review())
        self.result_input: ContactAttemptInput | None = None
        self._now = now

    def _outcome_changed(self) -> None:
        if self.outcome.currentData() == "appointment":
            self.has_appointment.setChecked(True)

    def set_reviewer(self, reviewer: Callable[[ContactAttemptInput], tuple[str, str] | None]) -> None:
        """``reviewer(entry)`` names the rule the entry breaks at its own time and why — (rule id, reason) —
        or None; asked again whenever the channel, time or outcome changes."""
        self._reviewer = reviewer
        self._review()

    def fill(self, entry: ContactAttemptInput) -> None:
        """Show what was typed before (the dialog asked again), so nothing has to be typed twice."""
        self.channel.setCurrentIndex(max(0, self.channel.findData(entry.channel)))
        self.outcome.setCurrentIndex(max(0, self.outcome.findData(entry.outcome)))
        self.attempted_at.setDateTime(QDateTime.fromSecsSinceEpoch(int(entry.attempted_at.timestamp()),
                                                                   self.attempted_at.timeZone()))
        if entry.appointment_at is not None:
            self.has_appointment.setChecked(True)
            self.appointment_at.setDateTime(QDateTime.fromSecsSinceEpoch(int(entry.appointment_at.timestamp()),
                                                                         self.appointment_at.timeZone()))
        self.note.setPlainText(entry.note)
        self.justification.setPlainText(entry.justification)

    def _entry(self) -> ContactAttemptInput:
        appointment = _to_utc(self.appointment_at.dateTime()) if self.has_appointment.isChecked() else None
        return ContactAttemptInput(
            channel=self.channel.currentData(), attempted_at=_to_utc(self.attempted_at.dateTime()),
            outcome=self.outcome.currentData(), appointment_at=appointment, note=self.note.toPlainText().strip(),
            justification=self.justification.toPlainText().strip() if self._broken_rule else "")

    def _review(self) -> None:
        broken = self._reviewer(self._entry()) if self._reviewer is not None else None
        self._broken_rule = broken[0] if broken else ""
        if broken:
            self.broken.setText(self.tr("This contact broke rule {rule}: {reason} It is logged as it happened and "
                                        "flagged for your team lead: write why it happened.").format(
                rule=broken[0], reason=broken[1]))
        self.broken.setVisible(bool(broken))
        self.justification.setVisible(bool(broken))

    def _validate(self) -> None:
        attempted = _to_utc(self.attempted_at.dateTime())
        appointment = _to_utc(self.appointment_at.dateTime()) if self.has_appointment.isChecked() else None
        outcome = self.outcome.currentData()
        problem = ""
        if attempted > self._now + dt.timedelta(minutes=5):
            problem = self.tr("The attempt cannot be in the future.")
        elif outcome == "appointment" and appointment is None:
            problem = self.tr("Enter the visit time that was agreed.")
        elif appointment is not None and appointment <= attempted:
            problem = self.tr("The agreed visit time must be after the call.")
        elif len(self.note.toPlainText()) > 2000:
            problem = self.tr("The note is too long (2,000 characters at most).")
        elif self._broken_rule and not self.justification.toPlainText().strip():
            problem = self.tr("Write why this contact happened although it broke rule {rule}.").format(
                rule=self._broken_rule)
        elif len(self.justification.toPlainText()) > 2000:
            problem = self.tr("The explanation is too long (2,000 characters at most).")
        if problem:
            self.error.setText(problem)
            self.error.show()
            if self._broken_rule and not self.justification.toPlainText().strip():
                self.justification.setFocus()
            return
        self.result_input = self._entry()
        self.accept()


# ------------------------------------------------------------------------------------------ settings
class SettingsDialog(QDialog):
    """The few things a collector may change: when the app locks itself."""

    def __init__(self, parent: QWidget | None, idle_lock_minutes: float) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.idle_minutes = QDoubleSpinBox()
        self.idle_minutes.setDecimals(0)
        self.idle_minutes.setRange(1, 240)
        self.idle_minutes.setValue(max(1.0, idle_lock_minutes))
        self.idle_minutes.setSuffix(self.tr(" min"))
        form.addRow(self.tr("Lock after being idle for"), self.idle_minutes)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def zone_of(tz_name: str) -> dt.tzinfo:
    try:
        return ZoneInfo(tz_name)
    except Exception:  # noqa: BLE001
        return dt.UTC
