"""The wizard's answer area: the input the current step asks for, and what the collector enters in it.

It draws choices as numbered buttons (the number key picks one), a text, number or amount field
(committed after a short pause, or at once on Next), a date with an optional "set this date", a
date and time in the debtor's zone, or a button for an attachment or the plan editor. It only
reports: ``chosen`` and ``entered`` carry the answer to the wizard, which gives it to the runner.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldapp.core.scripts import Step

# A typed answer is committed this long after the last key (and at once on Next or close).
TEXT_SAVE_DELAY_MS = 400


class AnswerArea(QWidget):
    chosen = Signal(str)
    # (value, capture kind): a typed, picked or toggled answer, ready for the runner
    entered = Signal(object, str)
    # a plain-language problem with what was typed (not a whole number …)
    invalid = Signal(str)
    attach_requested = Signal()
    plan_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(10)
        self.choice_group: QButtonGroup | None = None
        self.input: QWidget | None = None
        self.date_toggle: QCheckBox | None = None
        self.plan_status: QLabel | None = None
        self._kind = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TEXT_SAVE_DELAY_MS)
        self._timer.timeout.connect(self._commit_text)

    # ------------------------------------------------------------------ drawing
    def clear(self) -> None:
        self._timer.stop()
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.choice_group = None
        self.input = None
        self.date_toggle = None
        self.plan_status = None
        self._kind = ""

    def show_choices(self, step: Step, pending: Any, open_values: Iterable[str], text: Callable[[Any], str]) -> None:
        self.clear()
        open_values = set(open_values)
        self.choice_group = QButtonGroup(self)
        self.choice_group.setExclusive(True)
        for number, choice in enumerate(step.choices, start=1):
            # the number key picks the answer: routine answers without the mouse
            button = QPushButton(f"{number}   {text(choice.text)}" if number <= 9 else text(choice.text))
            if number <= 9:
                button.setShortcut(QKeySequence(str(number)))
            button.setObjectName("visitChoice")
            button.setCheckable(True)
            button.setProperty("value", choice.value)
            button.setChecked(pending == choice.value)
            button.setEnabled(choice.value in open_values)
            if choice.value not in open_values:
                button.setToolTip(self.tr("Not possible at this point of the visit"))
            button.clicked.connect(lambda _c=False, v=choice.value: self.chosen.emit(v))
            self.choice_group.addButton(button)
            self._layout.addWidget(button)

    def show_capture(self, step: Step, pending: Any, *, today: dt.date,
                     datetime_edit: Callable[[], QDateTimeEdit]) -> None:
        """The input for a ``capture`` step; ``datetime_edit`` makes a date-time field in the debtor's zone."""
        self.clear()
        kind = self._kind = step.capture or "text"
        if kind == "text":
            edit = QPlainTextEdit()
            edit.setObjectName("visitInput")
            edit.setFixedHeight(140)
            edit.setPlaceholderText(self.tr("Type what the person said"))
            if isinstance(pending, str):
                edit.setPlainText(pending)
            edit.textChanged.connect(self._timer.start)
            self._add_input(edit)
        elif kind in ("amount", "number"):
            line = QLineEdit()
            line.setObjectName("visitInput")
            if kind == "amount":
                line.setPlaceholderText(self.tr("Amount in digits, e.g. 3000 or 3,000.50"))
            if pending is not None:
                line.setText(str(pending))
            line.textChanged.connect(self._timer.start)
            self._add_input(line)
        elif kind == "date":
            self._show_date(step, pending, today)
        elif kind == "datetime":
            moment = datetime_edit()
            moment.setObjectName("visitInput")
            moment.dateTimeChanged.connect(lambda _d: self._commit_datetime())
            self._add_input(moment)
        elif kind == "attachment":
            button = QPushButton(self.tr("Choose the file…"))
            button.setObjectName("visitSecondary")
            button.clicked.connect(self.attach_requested)
            self._layout.addWidget(button)
            if pending:
                done = QLabel(self.tr("Attached: {sha}…").format(sha=str(pending)[:12]))
                done.setObjectName("visitMuted")
                self._layout.addWidget(done)
        elif kind == "plan":
            button = QPushButton(self.tr("Open the repayment plan…"))
            button.setObjectName("visitSecondary")
            button.clicked.connect(self.plan_requested)
            self._layout.addWidget(button)
            self.plan_status = QLabel(self.tr("Plan {id} sealed.").format(id=str(pending)[:12]) if pending
                                      else self.tr("No plan sealed yet."))
            self.plan_status.setObjectName("visitMuted")
            self._layout.addWidget(self.plan_status)

    def _add_input(self, widget: QWidget) -> None:
        self.input = widget
        self._layout.addWidget(widget)

    def _show_date(self, step: Step, pending: Any, today: dt.date) -> None:
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        edit = QDateEdit()
        edit.setObjectName("visitInput")
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        value = dt.date.fromisoformat(pending) if isinstance(pending, str) else today + dt.timedelta(days=7)
        edit.setDate(QDate(value.year, value.month, value.day))
        row.addWidget(edit)
        if not step.required:
            use = QCheckBox(self.tr("Set this date"))
            use.setChecked(pending is not None)
            edit.setEnabled(pending is not None)
            use.toggled.connect(edit.setEnabled)
            use.toggled.connect(lambda _on: self._commit_date())
            row.addWidget(use)
            self.date_toggle = use
        row.addStretch(1)
        edit.dateChanged.connect(lambda _d: self._commit_date())
        self.input = edit
        self._layout.addWidget(holder)
        if step.required and pending is None:
            self._commit_date()

    # ------------------------------------------------------------------ committing
    def flush(self) -> None:
        """Commit what is typed now, even if the pause before saving has not passed (Next)."""
        if isinstance(self.input, (QPlainTextEdit, QLineEdit)):
            self._timer.stop()
            self._commit_text()

    def flush_pending(self) -> None:
        """Commit typing still waiting for its pause (the wizard is closing)."""
        if self._timer.isActive():
            self._timer.stop()
            self._commit_text()

    def _commit_text(self) -> None:
        if isinstance(self.input, QPlainTextEdit):
            text = self.input.toPlainText()
        elif isinstance(self.input, QLineEdit):
            text = self.input.text()
        else:
            return
        value: Any = text.strip()
        if not value:
            return
        if self._kind == "number":
            try:
                value = int(value)
            except ValueError:
                self.invalid.emit(self.tr("Enter a whole number."))
                return
        self.entered.emit(value, self._kind)

    def _commit_date(self) -> None:
        if not isinstance(self.input, QDateEdit):
            return
        if self.date_toggle is not None and not self.date_toggle.isChecked():
            return
        qd = self.input.date()
        self.entered.emit(dt.date(qd.year(), qd.month(), qd.day()).isoformat(), "date")

    def _commit_datetime(self) -> None:
        if not isinstance(self.input, QDateTimeEdit):
            return
        moment = dt.datetime.fromtimestamp(self.input.dateTime().toSecsSinceEpoch(), dt.UTC)
        self.entered.emit(moment.isoformat(), "datetime")
