"""The two doors into the app: first-run enrollment and the unlock screen (which works offline)."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from fieldapp.ui.tasks import Task

log = logging.getLogger(__name__)

# Shortest PIN or password accepted for unlocking the device.
MIN_SECRET_LENGTH = 6


def _card(title: str, subtitle: str) -> tuple[QFrame, QVBoxLayout]:
    card = QFrame()
    card.setObjectName("card")
    card.setFixedWidth(520)
    layout = QVBoxLayout(card)
    layout.setContentsMargins(36, 32, 36, 28)
    layout.setSpacing(16)
    heading = QLabel(title)
    heading.setObjectName("pageTitle")
    layout.addWidget(heading)
    if subtitle:
        sub = QLabel(subtitle)
        sub.setObjectName("muted")
        sub.setWordWrap(True)
        layout.addWidget(sub)
    return card, layout


def _centered(card: QWidget) -> QVBoxLayout:
    outer = QVBoxLayout()
    outer.addStretch(1)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(card)
    row.addStretch(1)
    outer.addLayout(row)
    outer.addStretch(2)
    return outer


def _busy_bar() -> QProgressBar:
    bar = QProgressBar()
    bar.setRange(0, 0)  # "working" without a percentage
    bar.setTextVisible(False)
    bar.setFixedHeight(8)
    bar.hide()
    return bar


class EnrollmentWidget(QWidget):
    """First run: server address, enrollment code, username and password, then the PIN twice.

    ``enroll_fn(server_url, code, username, password, secret, device_name=...)`` runs in a Task and
    returns an open DeviceStore; ``enrolled`` carries it.
    """

    enrolled = Signal(object)

    def __init__(self, enroll_fn: Callable[..., Any], *, server_url: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("enrollment")
        self._enroll_fn = enroll_fn
        self.pages = QStackedWidget()

        # page 1: who and where
        card, layout = _card(self.tr("Set up this laptop"),
                             self.tr("Enter the enrollment code IT gave you and your FieldApp account."))
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.setVerticalSpacing(12)
        self.server_url = QLineEdit(server_url)
        self.server_url.setPlaceholderText("https://fieldapp.example.com")
        if server_url:
            self.server_url.setReadOnly(True)
            self.server_url.setToolTip(self.tr("Set by your IT department"))
        self.code = QLineEdit()
        self.code.setPlaceholderText(self.tr("e.g. 7KQ4-M2XD"))
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Server"), self.server_url)
        form.addRow(self.tr("Enrollment code"), self.code)
        form.addRow(self.tr("Username"), self.username)
        form.addRow(self.tr("Password"), self.password)
        layout.addLayout(form)
        self.details_error = QLabel("")
        self.details_error.setObjectName("error")
        self.details_error.setWordWrap(True)
        self.details_error.hide()
        layout.addWidget(self.details_error)
        self.next_button = QPushButton(self.tr("Next"))
        self.next_button.setObjectName("primary")
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self._next)
        layout.addWidget(self.next_button, 0, Qt.AlignmentFlag.AlignRight)
        page1 = QWidget()
        page1.setLayout(_centered(card))
        self.pages.addWidget(page1)

        # page 2: the unlock secret
        card, layout = _card(self.tr("Choose your unlock PIN"),
                             self.tr("You will type it every time FieldApp starts or locks. At least {n} "
                                     "characters. It never leaves this laptop.").format(n=MIN_SECRET_LENGTH))
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.setVerticalSpacing(12)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_again = QLineEdit()
        self.pin_again.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("PIN or password"), self.pin)
        form.addRow(self.tr("Once more"), self.pin_again)
        layout.addLayout(form)
        self.pin_error = QLabel("")
        self.pin_error.setObjectName("error")
        self.pin_error.setWordWrap(True)
        self.pin_error.hide()
        layout.addWidget(self.pin_error)
        self.progress = _busy_bar()
        layout.addWidget(self.progress)
        buttons = QHBoxLayout()
        self.back_button = QPushButton(self.tr("Back"))
        self.back_button.clicked.connect(lambda: self.pages.setCurrentIndex(0))
        self.enroll_button = QPushButton(self.tr("Enroll this laptop"))
        self.enroll_button.setObjectName("primary")
        self.enroll_button.setDefault(True)
        self.enroll_button.clicked.connect(self._enroll)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.enroll_button)
        layout.addLayout(buttons)
        page2 = QWidget()
        page2.setLayout(_centered(card))
        self.pages.addWidget(page2)

        outer = QVBoxLayout(self)
        outer.addWidget(self.pages)
        for field in (self.code, self.username, self.password):
            field.returnPressed.connect(self._next)
        self.pin_again.returnPressed.connect(self._enroll)

    def showEvent(self, event: Any) -> None:  # noqa: N802
        super().showEvent(event)
        if self.pages.currentIndex() == 0:
            (self.code if self.server_url.isReadOnly() else self.server_url).setFocus()

    def _show(self, label: QLabel, text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))

    def _next(self) -> None:
        url = self.server_url.text().strip()
        if not url.startswith(("http://", "https://")):
            self._show(self.details_error, self.tr("Enter the server address, starting with https://"))
            return
        if not (self.code.text().strip() and self.username.text().strip() and self.password.text()):
            self._show(self.details_error, self.tr("Fill in the enrollment code, your username and your password."))
            return
        self._show(self.details_error, "")
        self.pages.setCurrentIndex(1)
        self.pin.setFocus()

    def _enroll(self) -> None:
        pin, again = self.pin.text(), self.pin_again.text()
        if len(pin) < MIN_SECRET_LENGTH:
            self._show(self.pin_error, self.tr("The PIN must have at least {n} characters.").format(n=MIN_SECRET_LENGTH))
            return
        if pin != again:
            self._show(self.pin_error, self.tr("The two entries differ. Type the same PIN twice."))
            self.pin_again.clear()
            return
        self._show(self.pin_error, "")
        self._set_busy(True)
        Task(self, self._enroll_fn, self.server_url.text().strip().rstrip("/"), self.code.text().strip(),
             self.username.text().strip(), self.password.text(), pin,
             device_name=socket.gethostname()).on_done(self._done).on_error(self._failed).start()

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.enroll_button.setEnabled(not busy)
        self.back_button.setEnabled(not busy)
        if busy:
            self.enroll_button.setText(self.tr("Enrolling…"))
        else:
            self.enroll_button.setText(self.tr("Enroll this laptop"))

    def _done(self, store: Any) -> None:
        self._set_busy(False)
        self.password.clear()
        self.pin.clear()
        self.pin_again.clear()
        self.enrolled.emit(store)

    def _failed(self, exc: BaseException, details: str) -> None:
        from fieldapp.ui.messages import describe_error

        self._set_busy(False)
        log.warning("enrollment failed: %s", exc)
        message, back_to_details = describe_error(exc, details)
        if back_to_details:
            self.pages.setCurrentIndex(0)
            self._show(self.details_error, message)
        else:
            self._show(self.pin_error, message)


class UnlockWidget(QWidget):
    """Every later start, and after an idle lock: the PIN, checked offline against the key file.

    ``open_fn(secret)`` runs in a Task and returns the open store; a wrong secret changes nothing.
    """

    unlocked = Signal(object)

    def __init__(self, open_fn: Callable[[str], Any], *, who: str = "", demo_credentials: dict | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unlock")
        self._open_fn = open_fn
        card, layout = _card(self.tr("FieldApp is locked"),
                             self.tr("Enter your PIN or password to continue. This works without a network."))
        if who:
            name = QLabel(who)
            name.setObjectName("sectionTitle")
            layout.insertWidget(1, name)
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setPlaceholderText(self.tr("PIN or password"))
        self.secret.returnPressed.connect(self._unlock)
        layout.addWidget(self.secret)
        self.error = QLabel("")
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        self.progress = _busy_bar()
        layout.addWidget(self.progress)
        self.unlock_button = QPushButton(self.tr("Unlock"))
        self.unlock_button.setObjectName("primary")
        self.unlock_button.setShortcut(QKeySequence(Qt.Key.Key_Return))
        self.unlock_button.clicked.connect(self._unlock)
        layout.addWidget(self.unlock_button)
        hint = QLabel(self.tr("Forgot it? IT can recover this laptop's unsynced work; do not reinstall."))
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        if demo_credentials and demo_credentials.get("pin"):
            # Only what unlocks this screen: the collector's and lead's server passwords do not, and
            # listing them here had people typing them in (the terminal prints them for the server).
            self.credentials = QLabel(self.tr("Demo laptop (for trying FieldApp only): unlock with PIN {pin}")
                                      .format(pin=demo_credentials["pin"]))
            self.credentials.setObjectName("credentials")
            self.credentials.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(self.credentials)
        self.setLayout(_centered(card))

    def showEvent(self, event: Any) -> None:  # noqa: N802
        super().showEvent(event)
        self.secret.setFocus()

    def _unlock(self) -> None:
        secret = self.secret.text()
        if not secret or not self.unlock_button.isEnabled():
            return
        self.unlock_button.setEnabled(False)
        self.progress.show()
        self.error.hide()
        Task(self, self._open_fn, secret).on_done(self._done).on_error(self._failed).start()

    def _done(self, store: Any) -> None:
        self.progress.hide()
        self.unlock_button.setEnabled(True)
        self.secret.clear()
        self.unlocked.emit(store)

    def _failed(self, exc: BaseException, details: str) -> None:
        from fieldapp.ui.messages import describe_error

        self.progress.hide()
        self.unlock_button.setEnabled(True)
        self.secret.selectAll()
        self.secret.setFocus()
        message, _ = describe_error(exc, details)
        self.error.setText(message)
        self.error.show()
