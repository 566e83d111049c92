"""A sealed plan's agreement again: preview, print or save a copy (same seal, same verification code)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldapp.app import plans as persist
from fieldapp.ui.pdfview import PdfPreview, print_pdf, save_pdf
from fieldapp.ui.tasks import Task


class AgreementDialog(QDialog):
    """Renders the agreement of ``plan_id`` on a Task and shows it; ``ready`` fires when it is shown."""

    ready = Signal()

    def __init__(self, parent: QWidget | None, store: Any, case_id: int, plan_id: str, *,
                 language: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agreementDialog")
        self.setWindowTitle(self.tr("Repayment agreement"))
        self.resize(900, 820)
        self.plan_id = plan_id
        self.pdf = b""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        self.message = QLabel(self.tr("Making the agreement…"))
        self.message.setObjectName("muted")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.preview = PdfPreview()
        layout.addWidget(self.preview, 1)
        bar = QHBoxLayout()
        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.setShortcut("Ctrl+P")
        self.print_button.setToolTip(self.tr("Print a copy (Ctrl+P)"))
        self.print_button.clicked.connect(lambda: self.print_copy())
        self.save_button = QPushButton(self.tr("Save as PDF…"))
        self.save_button.clicked.connect(lambda: self.save_copy())
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        for button in (self.print_button, self.save_button):
            button.setEnabled(False)
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(close)
        layout.addLayout(bar)
        Task(self, persist.agreement_pdf, store, case_id, plan_id, language=language).on_done(self._done).on_error(
            self._failed).start()

    def _done(self, pdf: bytes) -> None:
        self.pdf = pdf
        self.message.setText(self.tr("A copy of the signed agreement, with the same seal and verification code."))
        self.preview.set_pdf(pdf)
        self.print_button.setEnabled(True)
        self.save_button.setEnabled(True)
        self.ready.emit()

    def _failed(self, exc: BaseException, details: str) -> None:
        self.message.setObjectName("error")
        self.message.setStyleSheet("color: #a11d12; font-weight: 600;")
        from fieldapp.ui.plans.widgets import reason_text

        self.message.setText(self.tr("The agreement cannot be shown: %1").replace("%1", reason_text(exc)))

    def print_copy(self, *, printer: Any = None, ask: bool = True) -> bool:
        if not self.pdf:
            return False
        try:
            return print_pdf(self, self.pdf, copies=1, printer=printer, ask=ask)
        except (ValueError, RuntimeError) as exc:
            self._failed(exc, "")
            return False

    def save_copy(self, path: Any = None) -> Any:
        if not self.pdf:
            return None
        try:
            return save_pdf(self, self.pdf, f"agreement-{self.plan_id[:8]}.pdf", path=path)
        except OSError as exc:
            self._failed(exc, "")
            return None


__all__ = ("AgreementDialog",)
