"""Small pieces of the plan screens: a finger-sized count field, a form, the schedule table, dates, words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QDate, QLocale, Qt, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)


def ui_language() -> str:
    """The app's language as the core's texts name it ("zh-CN" or "en")."""
    return "zh-CN" if QLocale().language() == QLocale.Language.Chinese else "en"


def reason_text(exc: BaseException) -> str:
    """An error's sentence in the app's language (core errors carry zh-CN and en), else its message."""
    reason = getattr(exc, "reason", None)
    if isinstance(reason, dict):
        return str(reason.get(ui_language()) or reason.get("en") or exc)
    return str(exc)


def debtor_language(language: str) -> str:
    """"zh-CN" or "en" from any spelling of a language (zh_CN, zh, en_US…); Chinese unless English."""
    return "en" if (language or "").lower().startswith("en") else "zh-CN"


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def label(text: str = "", name: str = "", *, wrap: bool = True) -> QLabel:
    label = QLabel(text)
    if name:
        label.setObjectName(name)
    label.setWordWrap(wrap)
    return label


class CountEdit(QLineEdit):
    """A whole number in a plain line edit (the style's spin box arrows are too small for a finger;
    the editor puts big − and + buttons beside it). Up/Down keys step too."""

    valueChanged = Signal(int)  # noqa: N815 - named like QSpinBox's

    def __init__(self, minimum: int, maximum: int, value: int) -> None:
        super().__init__(str(value))
        self.minimum, self.maximum = minimum, maximum
        self._value = value
        self.setValidator(QIntValidator(minimum, maximum, self))
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.textChanged.connect(self._text_changed)

    def value(self) -> int:
        return self._value

    def setValue(self, value: int) -> None:  # noqa: N802 - like QSpinBox
        self.setText(str(max(self.minimum, min(self.maximum, int(value)))))

    def stepBy(self, steps: int) -> None:  # noqa: N802
        self.setValue(self._value + steps)

    def _text_changed(self, text: str) -> None:
        if text.isdigit() and self.minimum <= int(text) <= self.maximum and int(text) != self._value:
            self._value = int(text)
            self.valueChanged.emit(self._value)

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.stepBy(1 if event.key() == Qt.Key.Key_Up else -1)
            return
        super().keyPressEvent(event)


def form_layout(parent: QWidget | None = None) -> QFormLayout:
    """A form with labels on the left, spaced for a finger."""
    form = QFormLayout(parent) if parent is not None else QFormLayout()
    if parent is not None:
        form.setContentsMargins(0, 0, 0, 0)
    form.setVerticalSpacing(10)
    form.setHorizontalSpacing(14)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return form


def schedule_table(model: QAbstractItemModel) -> QTableView:
    """The read-only instalment table: number and amount sized to their contents, the date column stretched."""
    view = QTableView()
    view.setObjectName("scheduleView")
    view.setModel(model)
    view.verticalHeader().hide()
    view.setAlternatingRowColors(True)
    view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    header = view.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
    return view


def make_button(text: str, slot: Callable[[], Any], *, primary: bool = False, tip: str | None = None,
           shortcut: str | None = None) -> QPushButton:
    """A push button that calls ``slot()`` (never with ``clicked``'s checked flag)."""
    widget = QPushButton(text)
    if primary:
        widget.setObjectName("primary")
    if tip:
        widget.setToolTip(tip)
    if shortcut:
        widget.setShortcut(shortcut)
    widget.clicked.connect(lambda _checked=False: slot())
    return widget


def stepper(edit: CountEdit, *, fewer: str, more: str) -> tuple[QWidget, QPushButton, QPushButton]:
    """``edit`` between big − and + buttons (they repeat while held); returns the row and both buttons."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(6)
    less, plus = QPushButton("−"), QPushButton("+")
    for button, step, tip in ((less, -1, fewer), (plus, 1, more)):
        button.setFixedWidth(44)
        button.setAutoRepeat(True)
        button.setToolTip(tip)
        button.clicked.connect(lambda _checked=False, step=step: edit.stepBy(step))
    row.addWidget(less)
    row.addWidget(edit, 1)
    row.addWidget(plus)
    return box, less, plus


def date_edit(display_format: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(display_format)
    return edit
