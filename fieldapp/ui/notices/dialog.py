"""Preview, print and save a case's notice letter, or today's route as one print job.

Rendering and the print record run on Tasks; painting on the printer runs on the GUI thread
(QPainter on a QPrinter). A notice that may not be printed — identity not confirmed where no sealed
envelope is allowed, a blocking flag, an empty required value — is refused in words, and the
refusal is audited like every print.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fieldapp.app import notices as service
from fieldapp.app.visits import audit
from fieldapp.core.clock import CollectorDay, TrustedClock
from fieldapp.core.notices import MissingNoticeValues, NoticeError
from fieldapp.ui.dialogs import report_error
from fieldapp.ui.pdfview import PdfPreview, PrintJob, ask_printer, save_pdf
from fieldapp.ui.tasks import Task

log = logging.getLogger(__name__)


def _lang(language: str) -> str:
    return "zh-CN" if language.lower().replace("_", "-").startswith("zh") else "en"


def _prepare_one(store: Any, case_id: int, language: str, now: dt.datetime,
                 identity_confirmed: bool | None) -> tuple[service.PrintPermission, service.PreparedNotice | None, Any]:
    """Worker: may it print, and the rendered notice (or the NoticeError that refused it)."""
    permission = service.print_permission(store, case_id, now=now, identity_confirmed=identity_confirmed)
    if not permission.allowed:
        return permission, None, None
    try:
        return permission, service.prepare_notice(store, case_id, language=language, now=now), None
    except NoticeError as exc:
        return permission, None, exc


class _NoticeBase(QDialog):
    """The shared frame: a message line, the preview, copies, Print / Save as PDF / Close."""

    printed = Signal(list)  # the verification tokens recorded
    refused = Signal(str)  # the reason shown
    ready = Signal()

    def __init__(self, parent: QWidget | None, store: Any, *, language: str,
                 clock: TrustedClock | CollectorDay) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.store = store
        self.language = _lang(language)
        self.clock = clock
        self.resize(900, 960)
        #: The printer boundary: tests put a PDF-format QPrinter here and turn the question off.
        self.printer_factory = lambda: QPrinter(QPrinter.PrinterMode.HighResolution)
        self.ask_printer = True
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.setSpacing(10)
        self.heading = QLabel("")
        self.heading.setObjectName("sectionTitle")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.message = QLabel(self.tr("Preparing the notice letter…"))
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        self.preview = PdfPreview()
        layout.addWidget(self.preview, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(self.tr("Copies")))
        self.copies = QSpinBox()
        self.copies.setRange(1, 20)
        self.copies.setValue(1)
        self.copies.setMinimumWidth(90)
        buttons.addWidget(self.copies)
        buttons.addStretch(1)
        self.save_button = QPushButton(self.tr("Save as PDF…"))
        self.save_button.setShortcut("Ctrl+S")
        self.save_button.setToolTip(self.tr("Save the notice as a PDF file (Ctrl+S)"))
        self.save_button.clicked.connect(lambda _checked=False: self.save())  # not clicked's flag as the path
        buttons.addWidget(self.save_button)
        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.setObjectName("primary")
        self.print_button.setShortcut("Ctrl+P")
        self.print_button.setToolTip(self.tr("Choose a printer and the number of copies (Ctrl+P)"))
        self.print_button.clicked.connect(self.print_)
        buttons.addWidget(self.print_button)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self._set_enabled(False)

    def _now(self) -> dt.datetime:
        return self.clock.now()

    def _set_enabled(self, on: bool) -> None:
        self.print_button.setEnabled(on)
        self.save_button.setEnabled(on)
        self.copies.setEnabled(on)

    def _refuse(self, text: str) -> None:
        self.message.setText(text)
        self.message.setObjectName("error")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self._set_enabled(False)
        self.refused.emit(text)

    def pdf(self) -> bytes:
        raise NotImplementedError

    def suggested_name(self) -> str:
        return "notice.pdf"

    def print_(self) -> None:
        """The print dialog (printer, copies), then the pages one by one off the GUI thread (PrintJob)."""
        printer = self.printer_factory()
        copies = self.copies.value()
        if self.ask_printer:
            if not ask_printer(self, printer, copies=copies):
                return
            copies = printer.copyCount()
        job = PrintJob(self, printer, self.pdf(), copies=copies)
        job.progress.connect(lambda done, total: self.message.setText(
            self.tr("Printing sheet {done} of {total}…").format(done=done, total=total)))
        job.finished.connect(lambda ok, problem: self._print_finished(ok, problem, copies))
        self._set_enabled(False)
        self.close_button.setEnabled(False)
        self.print_job = job
        job.start()

    def _print_finished(self, ok: bool, problem: str, copies: int) -> None:
        self._set_enabled(True)
        self.close_button.setEnabled(True)
        if not ok:
            report_error(self, self.tr("The notice could not be printed: {problem}").format(problem=problem))
            return
        self._record_print(copies)

    def _record_print(self, copies: int) -> None:
        raise NotImplementedError

    def save(self, path: str | None = None) -> None:
        try:
            target = save_pdf(self, self.pdf(), self.suggested_name(), path=path)
        except OSError as exc:
            report_error(self, self.tr("The file could not be saved: {problem}").format(problem=str(exc)))
            return
        if target is not None:
            self.message.setText(self.tr("Saved to {path}.").format(path=str(target)))

    def _recorded(self, tokens: list[str]) -> None:
        self.message.setText(self.tr("Printed and recorded ({n} notices). The next sync registers them for "
                                     "verification.").format(n=len(tokens)))
        self.printed.emit(tokens)

    def _record_failed(self, exc: BaseException, details: str) -> None:
        report_error(self, self.tr("The notice was printed but could not be recorded on this laptop. Tell your "
                                   "team lead."), details)


class NoticeDialog(_NoticeBase):
    """One case's notice. ``identity_confirmed`` comes from a running visit (None: the store decides)."""

    def __init__(self, parent: QWidget | None, store: Any, case_id: int, *, language: str = "zh-CN",
                 clock: TrustedClock | CollectorDay, visit_id: str | None = None,
                 identity_confirmed: bool | None = None) -> None:
        super().__init__(parent, store, language=language, clock=clock)
        self.setObjectName("noticeDialog")
        self.setWindowTitle(self.tr("Notice letter"))
        self.case_id = case_id
        self.visit_id = visit_id
        self.prepared: service.PreparedNotice | None = None
        self.permission: service.PrintPermission | None = None
        self.heading.setText(self.tr("Notice letter"))
        Task(self, _prepare_one, store, case_id, self.language, self._now(), identity_confirmed).on_done(
            self._prepared).on_error(self._failed).start()

    def _prepared(self, result: tuple[Any, Any, Any]) -> None:
        permission, prepared, error = result
        self.permission = permission
        if not permission.allowed:
            reason = permission.reason.get(self.language) or permission.reason.get("en", "")
            text = self.tr("This notice cannot be printed: {reason}").format(reason=reason)
            Task(self, audit, self.store, service.AUDIT_NOTICE_REFUSED,
                 {"case_id": self.case_id, "rule_id": permission.rule_id, "reason": permission.reason},
                 case_id=self.case_id, at=self._now()).start()
            self._refuse(text)
            return
        if error is not None:
            if isinstance(error, MissingNoticeValues):
                text = self.tr("This notice cannot be printed because these required values are empty: {fields}. "
                               "Ask your team lead to complete the case or the issuer settings.").format(
                    fields=service.missing_fields_text(error, self.language))
            else:
                text = self.tr("This notice cannot be printed: {reason}").format(
                    reason=error.reason.get(self.language, str(error)))
            Task(self, audit, self.store, service.AUDIT_NOTICE_REFUSED,
                 {"case_id": self.case_id, "reason": error.reason, "fields": list(getattr(error, "fields", ()))},
                 case_id=self.case_id, at=self._now()).start()
            self._refuse(text)
            return
        self.prepared = prepared
        self.heading.setText(self.tr("Notice letter for {name}").format(name=prepared.debtor_name))
        if permission.mode == "sealed_envelope":
            self.message.setText(self.tr("For a sealed envelope only: {reason}").format(
                reason=permission.reason.get(self.language, "")))
        else:
            self.message.setText(self.tr("Hand it only to the verified debtor. Verification code {code}.").format(
                code=prepared.notice.verify_code))
        self.preview.set_pdf(prepared.pdf)
        self._set_enabled(True)
        self.ready.emit()

    def _failed(self, exc: BaseException, details: str) -> None:
        self._refuse(self.tr("The notice letter could not be prepared."))
        log.error("notice preparation failed: %s\n%s", exc, details)

    def pdf(self) -> bytes:
        assert self.prepared is not None
        return self.prepared.pdf

    def suggested_name(self) -> str:
        return self.prepared.suggested_name if self.prepared else "notice.pdf"

    def _record_print(self, copies: int) -> None:
        assert self.prepared is not None and self.permission is not None
        Task(self, service.record_printed, self.store, [self.prepared], at=self._now(), copies=copies,
             mode=self.permission.mode, visit_id=self.visit_id).on_done(self._recorded).on_error(
            self._record_failed).start()


def _prepare_route(store: Any, case_ids: list[int], language: str, now: dt.datetime) -> service.PreparedBatch:
    return service.prepare_batch(store, case_ids, language=language, now=now)


class TodayNoticesDialog(_NoticeBase):
    """Today's route: one notice per appointment that may be printed, in one PDF and one print job."""

    def __init__(self, parent: QWidget | None, store: Any, case_ids: list[int], *, language: str = "zh-CN",
                 day: CollectorDay) -> None:
        super().__init__(parent, store, language=language, clock=day)
        self.day = day
        self.setObjectName("todayNoticesDialog")
        self.setWindowTitle(self.tr("Today's notices"))
        self.heading.setText(self.tr("Notice letters for today's route"))
        self.batch: service.PreparedBatch | None = None
        Task(self, _prepare_route, store, list(case_ids), self.language, self._now()).on_done(
            self._prepared).on_error(self._failed).start()

    def _prepared(self, batch: service.PreparedBatch) -> None:
        self.batch = batch
        lines = []
        if batch.notices:
            lines.append(self.tr("{n} notices in one print job. Hand each only to the verified debtor, or "
                                 "seal it in an envelope where that is allowed.").format(n=len(batch.notices)))
        for name, reason in batch.skipped:
            lines.append(self.tr("Left out: {name} — {reason}").format(
                name=name, reason=reason.get(self.language) or reason.get("en", "")))
        if not batch.notices:
            self._refuse("\n".join(lines) or self.tr("There are no appointments today."))
            return
        self.message.setText("\n".join(lines))
        self.preview.set_pdf(batch.pdf)
        self._set_enabled(True)
        self.ready.emit()

    def _failed(self, exc: BaseException, details: str) -> None:
        self._refuse(self.tr("Today's notices could not be prepared."))
        log.error("route notices failed: %s\n%s", exc, details)

    def pdf(self) -> bytes:
        assert self.batch is not None
        return self.batch.pdf

    def suggested_name(self) -> str:
        return f"notices-{self.day.today().isoformat()}.pdf"  # the collector's day, as on the Today page

    def _record_print(self, copies: int) -> None:
        assert self.batch is not None
        Task(self, service.record_printed, self.store, self.batch.notices, at=self._now(), copies=copies,
             mode="route", batch=True).on_done(self._recorded).on_error(self._record_failed).start()
