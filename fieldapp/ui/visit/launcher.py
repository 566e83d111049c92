""""Start visit" on a case: resume an unfinished visit or check the rule pack first, then open the wizard.

The check reads the trusted clock (server time at the last sync plus monotonic time), the case's
flags and the contact history; a hard rule blocks with its reason in plain words, a soft rule asks
for a written justification and flags the visit for the team lead. Every check result is audited.
"""

from __future__ import annotations

import logging
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from fieldapp.app import visits as service
from fieldapp.app.visits import VisitContext
from fieldapp.core.clock import TrustedClock
from fieldapp.core.rules import Verdict
from fieldapp.ui.dialogs import report_error
from fieldapp.ui.messages import describe_error
from fieldapp.ui.tasks import Task

log = logging.getLogger(__name__)


def _lang(language: str) -> str:
    return "zh-CN" if language.lower().replace("_", "-").startswith("zh") else "en"


class RuleDialog(QDialog):
    """A rule's answer in plain words: blocked (OK only) or "write why" (a justification box)."""

    def __init__(self, parent: QWidget | None, verdict: Verdict, *, language: str, what: str,
                 justify: bool) -> None:
        super().__init__(parent)
        self.setObjectName("ruleDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.verdict = verdict
        self.setWindowTitle(self.tr("Not allowed now") if not justify else self.tr("A reason is needed"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(14)
        title = QLabel(what)
        title.setObjectName("sectionTitle")
        title.setWordWrap(True)
        layout.addWidget(title)
        reason = verdict.reason.get(language) or verdict.reason.get("en", "")
        self.reason_label = QLabel(reason)
        self.reason_label.setWordWrap(True)
        self.reason_label.setMinimumWidth(460)
        self.reason_label.setStyleSheet("font-size: 14pt;")
        self.reason_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.reason_label)
        rule = QLabel(self.tr("Rule {rule}. This check is recorded.").format(rule=verdict.rule_id or ""))
        rule.setObjectName("muted")
        layout.addWidget(rule)
        self.justification = QPlainTextEdit()
        self.justification.setPlaceholderText(self.tr("Write why this is needed; your team lead will review it"))
        self.justification.setFixedHeight(110)
        self.justification.setVisible(justify)
        layout.addWidget(self.justification)
        if justify:
            buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
            self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
            self.ok_button.setText(self.tr("Go ahead, flagged for the lead"))
            self.ok_button.setEnabled(False)
            self.justification.textChanged.connect(
                lambda: self.ok_button.setEnabled(bool(self.justification.toPlainText().strip())))
        else:
            buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def text(self) -> str:
        return self.justification.toPlainText().strip()


class VisitLauncher(QObject):
    """Runs the "Start visit" flow for one case at a time; the main window owns one.

    ``blocked(verdict)`` when a rule refused the visit, ``opened(wizard)`` when the wizard is shown,
    ``finished(case_id)`` when a visit was completed, ``resume_offered(dialog)`` for tests.
    """

    blocked = Signal(object)
    opened = Signal(object)
    finished = Signal(int)
    resume_offered = Signal(object)

    def __init__(self, parent: QWidget, store: Any, *, language: str = "zh-CN",
                 clock: TrustedClock | None = None) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.store = store
        self.language = _lang(language)
        #: Set to inject time (tests); None reads the store's trusted clock at each start.
        self.clock = clock
        self.wizard: Any = None
        self.dialog: QDialog | None = None

    def start(self, case_id: int) -> None:
        if self.wizard is not None and shiboken6.isValid(self.wizard) and self.wizard.isVisible():
            self.wizard.raise_()
            self.wizard.activateWindow()
            return
        Task(self, service.visit_start, self.store, case_id).on_done(self._loaded).on_error(self._error).start()

    def _error(self, exc: BaseException, details: str) -> None:
        report_error(self.parent_widget, describe_error(exc, details)[0], details)

    def _loaded(self, result: tuple[VisitContext | None, TrustedClock, Any]) -> None:
        context, store_clock, settings = result
        if context is None:
            report_error(self.parent_widget, self.tr("This case is no longer on this laptop."))
            return
        self.settings = settings
        clock = self.clock or store_clock
        if context.draft is not None:
            self._offer_resume(context, clock)
            return
        self._check(context, clock, resume=None)

    def _offer_resume(self, context: VisitContext, clock: TrustedClock) -> None:
        from PySide6.QtWidgets import QMessageBox

        from fieldapp.core.clock import CollectorDay
        from fieldapp.ui.models import format_local_time

        draft = context.draft
        assert draft is not None
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Unfinished visit"), self.tr(
            "A visit to {name} started {time} was not finished. Resume it where it stopped? It continues on the "
            "script version it started with.").format(
            name=context.case.get("debtor_name", ""),
            time=format_local_time(draft["started_at"], context.case.get("timezone") or "Asia/Shanghai",
                                   day=CollectorDay(clock.now, context.work_zone))),
            QMessageBox.StandardButton.NoButton, self.parent_widget)
        box.setObjectName("resumeVisitBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        resume = box.addButton(self.tr("Resume visit"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Not now"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(resume)
        box.buttonClicked.connect(lambda button: self._check(context, clock, resume=draft) if button is resume else None)
        self.dialog = box
        box.open()
        self.resume_offered.emit(box)

    def _check(self, context: VisitContext, clock: TrustedClock, *, resume: dict[str, Any] | None) -> None:
        reading = clock.reading()
        verdict = context.pack.check("start_visit", context.facts, context.history, reading.utc)
        case_id = int(context.case["id"])
        Task(self, service.audit, self.store, service.AUDIT_RULE_CHECK,
             service.check_detail("start_visit", verdict, reading), case_id=case_id, at=reading.utc).on_error(
            self._error).start()
        name = context.case.get("debtor_name", "")
        if verdict.blocked:
            dialog = RuleDialog(self.parent_widget, verdict, language=self.language, justify=False,
                                what=self.tr("The visit to {name} cannot start now.").format(name=name))
            self.dialog = dialog
            dialog.open()
            self.blocked.emit(verdict)
            return
        if verdict.needs_justification:
            dialog = RuleDialog(self.parent_widget, verdict, language=self.language, justify=True,
                                what=self.tr("The visit to {name} needs a reason.").format(name=name))
            dialog.accepted.connect(lambda: self._justified(context, clock, verdict, dialog.text(), resume))
            self.dialog = dialog
            dialog.open()
            return
        self._open(context, clock, verdict, "", resume)

    def _justified(self, context: VisitContext, clock: TrustedClock, verdict: Verdict, text: str,
                   resume: dict[str, Any] | None) -> None:
        if not verdict.permits(text):
            return
        reading = clock.reading()
        Task(self, service.audit, self.store, service.AUDIT_RULE_OVERRIDE,
             service.check_detail("start_visit", verdict, reading, justification=text),
             case_id=int(context.case["id"]), at=reading.utc).on_error(self._error).start()
        self._open(context, clock, verdict, text, resume)

    def _open(self, context: VisitContext, clock: TrustedClock, verdict: Verdict, justification: str,
              resume: dict[str, Any] | None) -> None:
        from fieldapp.ui.visit.wizard import VisitWizard

        if resume is None and context.script is None:
            # checked after the rules: a blocked visit is refused (and audited) whatever the script
            report_error(self.parent_widget, self.tr("There is no visit script for {jurisdiction} cases on this "
                                                     "laptop. Sync, or ask your team lead.").format(
                jurisdiction=context.case.get("jurisdiction") or ""))
            return
        settings = self.settings
        try:
            issuer, verify_base = settings.issuer_for(context.case), settings.base_url_for(context.case)
        except Exception:
            log.warning("no usable issuer profile for this case", exc_info=True)
            issuer, verify_base = None, settings.base_url
        if resume is not None and justification:
            resume = {**resume, "payload": {**resume["payload"], "flagged": True,
                                            "justification": (resume["payload"].get("justification", "") + "\n"
                                                              + justification).strip()}}
        try:
            wizard = VisitWizard(self.store, context, clock=clock, language=self.language,
                                 start_check=verdict.to_dict(), justification=justification, resume=resume,
                                 issuer=issuer, verify_base=verify_base,
                                 parent=self.parent_widget)  # its own window, gone when the app locks
        except (ValueError, KeyError) as exc:  # FormError: a saved visit whose script copy does not verify
            log.exception("the visit could not be opened")
            report_error(self.parent_widget, self.tr("This visit cannot be opened: its saved script does not match "
                                                     "its fingerprint. Tell your team lead."), str(exc))
            return
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        case_id = int(context.case["id"])
        self._wizard_case = case_id
        # finished or closed mid-visit: refresh. A method, not a lambda: Qt drops the connection when
        # the launcher goes first (a lambda would then fire on a deleted launcher).
        wizard.destroyed.connect(self._wizard_gone)
        self.wizard = wizard
        wizard.showMaximized()
        self.opened.emit(wizard)

    def _wizard_gone(self) -> None:
        self.finished.emit(self._wizard_case)
