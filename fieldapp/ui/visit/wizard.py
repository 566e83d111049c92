"""The visit wizard: check-in, then the script one step at a time in large type, saved as it goes.

The script and its rules live in fieldapp.core.scripts (ScriptRunner); this window only draws the
current step and passes the collector's answers on. Every answer is saved at once (the runner's
whole state in the Visit row, on a Task, one save at a time), so closing the window or a crash
loses nothing: reopening the case offers to resume on the same script version.

The required next action is always the big button at the bottom right. Amounts and printing are
shown only once the runner says the debtor's identity is confirmed, and disappear for good when
the person at the door is not the debtor.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from fieldapp.app import visits as service
from fieldapp.app.visits import VisitContext
from fieldapp.core.clock import TrustedClock
from fieldapp.core.money import format_amount
from fieldapp.core.script_runner import ScriptRunner
from fieldapp.core.scripts import ScriptError, Step
from fieldapp.core.visit import VisitSession
from fieldapp.ui.dialogs import report_error, zoned_datetime_edit
from fieldapp.ui.i18n import content_language
from fieldapp.ui.style import resource_bytes
from fieldapp.ui.tasks import Task
from fieldapp.ui.visit.answers import AnswerArea
from fieldapp.ui.visit.closing import VisitSummary, WrongAddressDialog

log = logging.getLogger(__name__)


def _label(text: str, name: str, *, wrap: bool = False) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(wrap)
    return label


class VisitWizard(QWidget):
    """One visit to one case, full-window. ``finished(visit_id)`` once it is complete and queued.

    ``runner`` and ``visit_id``/``started_at``/``payload`` are given when resuming a draft.
    ``saved`` is emitted after each save reached the store (tests wait on it).
    """

    saved = Signal()
    finished = Signal(str)

    def __init__(self, store: Any, context: VisitContext, *, clock: TrustedClock, language: str = "zh-CN",
                 start_check: dict[str, Any] | None = None, justification: str = "",
                 resume: dict[str, Any] | None = None, issuer: Any = None, verify_base: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("visitWizard")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(resource_bytes("style", "visit.qss").decode("utf-8"))
        self.store = store
        self.context = context
        self.case = context.case
        self.clock = clock
        self.language = content_language(language)
        self.issuer = issuer
        self.verify_base = verify_base
        self.tz = ZoneInfo(self.case.get("timezone") or "Asia/Shanghai")
        # The visit's flow is data (fieldapp.core.visit); this widget only draws its current step.
        if resume is not None:
            self.visit_id = resume["id"]
            self.started_at = resume["started_at"]
            self.session = VisitSession.resume(self.visit_id, resume["payload"])
        else:
            assert context.script is not None
            self.visit_id = service.new_visit_id()
            self.started_at = clock.now()
            # PRODUCT.md §6: a device clock that disagrees with trusted time flags the visit
            self.session = VisitSession.start(self.visit_id, context.script, policy=context.pack.visit_policy(),
                                              clock=clock.reading().to_dict(),
                                              device_clock_off=clock.is_device_clock_off(),
                                              start_check=start_check, justification=justification,
                                              printed_before=context.undelivered_notices)
        self._saving = False
        self._dirty = False
        self._completing = False
        self._closing_after_save = False
        self.setWindowTitle(self.tr("Visit — {name}").format(name=self.case.get("debtor_name", "")))
        self._build()
        if resume is not None:
            self._event("visit_resumed", {"visit_id": self.visit_id})
        else:
            self._event("visit_started", {"visit_id": self.visit_id, "script_id": self.runner.started_script.id,
                                          "script_version": self.runner.started_script.version,
                                          "script_hash": self.runner.started_script.content_hash,
                                          "flagged": self.payload["flagged"]})
        self.show_current()
        self._save()

    # ------------------------------------------------------------------ construction
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 20, 32, 20)
        outer.setSpacing(14)

        header = QHBoxLayout()
        self.header = _label("", "visitHeader", wrap=True)
        header.addWidget(self.header, 1)
        self.identity_chip = _label("", "visitChip")
        header.addWidget(self.identity_chip)
        self.clock_label = _label("", "visitMuted")
        header.addWidget(self.clock_label)
        outer.addLayout(header)

        self.amount_card = QFrame()
        self.amount_card.setObjectName("visitAmountCard")
        card = QHBoxLayout(self.amount_card)
        card.setContentsMargins(18, 10, 18, 10)
        title = _label(self.tr("Amount owed"), "visitMuted")
        card.addWidget(title)
        self.amount_label = _label("", "visitAmount")
        card.addWidget(self.amount_label)
        self.amount_detail = _label("", "visitMuted")
        card.addWidget(self.amount_detail, 1)
        outer.addWidget(self.amount_card)

        self.pages = QStackedWidget()
        outer.addWidget(self.pages, 1)

        # page 0: check-in
        checkin = QWidget()
        cl = QVBoxLayout(checkin)
        cl.setSpacing(16)
        self.checkin_text = _label("", "visitText", wrap=True)
        cl.addWidget(self.checkin_text)
        self.checkin_hint = QLabel(self.tr("Check the house number and the name on the door or letterbox before "
                                           "you ring. Say nothing about the debt to anyone but the debtor."))
        self.checkin_hint.setObjectName("visitHint")
        self.checkin_hint.setWordWrap(True)
        cl.addWidget(self.checkin_hint)
        self.wrong_address_button = QPushButton(self.tr("This is not the right address"))
        self.wrong_address_button.setObjectName("visitSecondary")
        self.wrong_address_button.clicked.connect(self._wrong_address)
        cl.addWidget(self.wrong_address_button, 0, Qt.AlignmentFlag.AlignLeft)
        cl.addStretch(1)
        self.pages.addWidget(checkin)

        # page 1: the current step
        step_page = QWidget()
        sl = QVBoxLayout(step_page)
        sl.setSpacing(14)
        sl.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setObjectName("visitScroll")
        scroll.viewport().setAutoFillBackground(False)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        body.setObjectName("visitBody")
        self.body_layout = QVBoxLayout(body)
        self.body_layout.setContentsMargins(0, 0, 8, 0)
        self.body_layout.setSpacing(14)
        self.step_text = _label("", "visitText", wrap=True)
        self.step_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body_layout.addWidget(self.step_text)
        self.step_hint = _label("", "visitHint", wrap=True)
        self.body_layout.addWidget(self.step_hint)
        self.blocked_box = QFrame()
        self.blocked_box.setObjectName("visitBlockedContacts")
        self.blocked_layout = QVBoxLayout(self.blocked_box)
        self.blocked_layout.setContentsMargins(16, 12, 16, 12)
        self.body_layout.addWidget(self.blocked_box)
        self.answers = AnswerArea()
        self.answers.chosen.connect(self.choose)
        self.answers.entered.connect(self._enter)
        self.answers.invalid.connect(self.problem_text)
        self.answers.attach_requested.connect(lambda: self.add_photo(answer_step=True))
        self.answers.plan_requested.connect(self.open_plan_editor)
        self.body_layout.addWidget(self.answers)
        self.evidence_label = _label("", "visitMuted", wrap=True)
        self.body_layout.addWidget(self.evidence_label)
        self.body_layout.addStretch(1)
        scroll.setWidget(body)
        sl.addWidget(scroll, 1)
        self.pages.addWidget(step_page)

        # page 2: the summary before finishing
        summary = QWidget()
        ml = QVBoxLayout(summary)
        self.summary_text = _label("", "visitText", wrap=True)
        ml.addWidget(self.summary_text)
        self.summary_detail = _label("", "visitHint", wrap=True)
        ml.addWidget(self.summary_detail)
        ml.addStretch(1)
        self.pages.addWidget(summary)

        self.problem = _label("", "visitProblem", wrap=True)
        self.problem.setMinimumHeight(30)
        outer.addWidget(self.problem)

        # the bottom bar: the required next action is always the big button on the right
        bar = QHBoxLayout()
        bar.setSpacing(12)
        self.back_button = self._button(self.tr("Back"), self.go_back, tip=self.tr("Previous step (Alt+Left)"),
                                        shortcut="Alt+Left")
        bar.addWidget(self.back_button)
        self.photo_button = self._button(
            self.tr("Add photo from file…"), self.add_photo, shortcut="Ctrl+P",
            tip=self.tr("Attach a photo as evidence; it is encrypted, hashed and sent with the visit (Ctrl+P)"))
        bar.addWidget(self.photo_button)
        self.capture_note = _label(self.tr("Camera and audio recording are not available in this build: add photos "
                                           "as files, and record with the recorder your team lead issued."),
                                   "visitMuted", wrap=True)
        bar.addWidget(self.capture_note, 1)
        self.print_button = self._button(self.tr("Notice letter…"), self.open_notice, shortcut="Ctrl+Shift+P",
                                         tip=self.tr("Preview and print the notice letter (Ctrl+Shift+P)"))
        bar.addWidget(self.print_button)
        self.next_button = self._button("", self.go_next, name="visitNext",
                                        tip=self.tr("The next required action (Ctrl+Enter)"))
        # On the wizard, not the button: a button's shortcut is reset each time its text changes.
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self._next_by_key)
        bar.addWidget(self.next_button)
        outer.addLayout(bar)

    def _button(self, text: str, slot: Any, *, tip: str, name: str = "visitSecondary",
                shortcut: str | None = None) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setToolTip(tip)
        if shortcut:
            button.setShortcut(QKeySequence(shortcut))
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _next_by_key(self) -> None:
        if self.next_button.isEnabled() and self.next_button.isVisible():
            self.go_next()

    # ------------------------------------------------------------------ helpers
    def _now(self) -> dt.datetime:
        return self.clock.now()

    @property
    def runner(self) -> ScriptRunner:
        return self.session.runner

    @property
    def payload(self) -> dict[str, Any]:
        return self.session.payload

    def _event(self, action: str, detail: dict[str, Any]) -> None:
        self.session.event(action, detail, self._now())

    def _values(self) -> dict[str, Any]:
        return service.placeholder_values(
            self.case, self.issuer, language=self.language,
            collector_name=self.context.display_name or self.context.username,
            collector_id=self.context.username, verify_base=self.verify_base, today=self._now().astimezone(self.tz).date())

    def _text(self, mapping: dict[str, str] | Any) -> str:
        if not mapping:
            return ""
        return mapping.get(self.language) or mapping.get("en") or next(iter(mapping.values()), "")

    # ------------------------------------------------------------------ drawing
    def show_current(self) -> None:
        """Draw whatever comes now: check-in, the current step, or the summary."""
        self.problem.clear()
        runner = self.runner
        local = self._now().astimezone(self.tz)
        zone = self.case.get("timezone") or "Asia/Shanghai"
        from fieldapp.app.cases import differs_from_local

        # the zone is named only when the collector's working zone shows another time
        if differs_from_local(zone, local, self.context.work_zone):
            self.clock_label.setText(self.tr("Debtor-local time {time} ({zone})").format(time=f"{local:%H:%M}",
                                                                                      zone=zone))
        else:
            self.clock_label.setText(self.tr("Local time {time}").format(time=f"{local:%H:%M}"))
        third = runner.is_third_party
        if third:
            self.identity_chip.setText(self.tr("Not the debtor: say nothing about the debt"))
            self.identity_chip.setProperty("state", "third")
        elif runner.identity_confirmed:
            self.identity_chip.setText(self.tr("Identity confirmed"))
            self.identity_chip.setProperty("state", "ok")
        else:
            self.identity_chip.setText(self.tr("Identity not confirmed: amounts hidden"))
            self.identity_chip.setProperty("state", "wait")
        self.identity_chip.style().unpolish(self.identity_chip)
        self.identity_chip.style().polish(self.identity_chip)
        self.amount_card.setVisible(runner.amounts_visible)
        if runner.amounts_visible:
            currency = self.case.get("currency") or "CNY"
            self.amount_label.setText(format_amount(self.case.get("total_due") or 0, currency))
            self.amount_detail.setText(self.tr("principal {principal} · interest and fees {fees}").format(
                principal=format_amount(self.case.get("principal") or 0, currency),
                fees=format_amount(self.case.get("fees") or 0, currency)))
        else:
            self.amount_label.clear()
            self.amount_detail.clear()
        self.print_button.setVisible(self.printing_offered())
        self.back_button.setEnabled(False)
        self.header.setText(self.tr("{name} · {script}").format(
            name=self.case.get("debtor_name", ""), script=self._text(runner.script.data.get("title", {}))))

        if not self.payload.get("address_confirmed"):
            self.pages.setCurrentIndex(0)
            self.checkin_text.setText(self.tr("Check in: confirm that you are at this address.\n\n{address}").format(
                address=self.case.get("address") or self.tr("(no address on record)")))
            self.next_button.setText(self.tr("I am at this address"))
            self.next_button.setEnabled(True)
            return
        step = runner.current_step
        if step is None:
            self._show_summary()
            return
        self.pages.setCurrentIndex(1)
        self.back_button.setEnabled(bool(runner.answers) and not self._is_first_of_script())
        self.step_text.setText(runner.render(self.language, self._values()))
        hint = self._text(step.hint)
        self.step_hint.setText(hint)
        self.step_hint.setVisible(bool(hint))
        self._show_blocked_contacts(step)
        self._build_answer(step)
        self.next_button.setText(self.tr("Read aloud — next") if step.kind == "say" else self.tr("Next"))
        self.next_button.setEnabled(True)
        count = len(self.payload.get("attachments", []))
        self.evidence_label.setText(self.tr("Evidence attached: {n}").format(n=count) if count else "")

    def _is_first_of_script(self) -> bool:
        step = self.runner.current_step
        return step is not None and step.id == self.runner.script.start and self.runner.pending_answer is None

    def printing_offered(self) -> bool:
        """Printing is offered only to the confirmed debtor, or at the sealed-envelope step."""
        step = self.runner.current_step
        if self.runner.printing_allowed and not self.runner.is_third_party:
            return True
        return bool(step is not None and step.only_if == "sealed_envelope_allowed"
                    and self.runner.policy.sealed_envelope_allowed)

    def _show_blocked_contacts(self, step: Step) -> None:
        while self.blocked_layout.count():
            item = self.blocked_layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        show = self.runner.is_third_party and bool(self.context.blocked_contacts) and step.id == self.runner.script.start
        self.blocked_box.setVisible(show)
        if not show:
            return
        note = QLabel(self.tr("Someone at this address asked not to be contacted again. If the person at the door "
                              "is one of them, stop here."))
        note.setObjectName("visitMuted")
        note.setWordWrap(True)
        self.blocked_layout.addWidget(note)
        for contact in self.context.blocked_contacts:
            label = contact.get("label") or self.tr("the person at the door")
            button = QPushButton(self.tr("This is {who}: end the conversation").format(who=label))
            button.setObjectName("visitSecondary")
            button.clicked.connect(lambda _c=False, cid=contact["id"]: self.refuse_blocked_contact(cid))
            self.blocked_layout.addWidget(button)

    def _build_answer(self, step: Step) -> None:
        pending = self.runner.pending_answer
        if step.kind in ("ask", "confirm"):
            if pending is None and step.default and step.choice(step.default) is not None:
                self.runner.answer(step.id, step.default, self._now())
                pending = step.default
                self._save()
            self.answers.show_choices(step, pending, (c.value for c in self.runner.available_choices()), self._text)
        elif step.kind == "say":
            self.answers.clear()  # read aloud; "Next" records it as said
        else:
            self.answers.show_capture(
                step, pending, today=self._now().astimezone(self.tz).date(),
                datetime_edit=lambda: zoned_datetime_edit(self._now(), self.case.get("timezone") or "",
                                                          fallback=self.context.work_zone))

    def _show_summary(self) -> None:
        self.pages.setCurrentIndex(2)
        self.back_button.setEnabled(False)
        self.summary_text.setText(self.tr("The script is complete. Finish the visit to queue it for sync."))
        self.summary_detail.setText("\n".join(VisitSummary(self).lines(self.session, self.case)))
        self.next_button.setText(self.tr("Finish visit"))
        self.next_button.setEnabled(not self._completing)

    # ------------------------------------------------------------------ answering
    def choose(self, value: str) -> None:
        step = self.runner.current_step
        if step is None:
            return
        try:
            self.runner.answer(step.id, value, self._now())
        except ScriptError as exc:
            self.problem.setText(exc.reason[self.language] if hasattr(exc, "reason") else str(exc))
            return
        self.problem.clear()
        self._event("visit_answer", {"script": self.runner.script.id, "step": step.id, "answer": value})
        self._save()

    def _enter(self, value: Any, kind: str) -> None:
        step = self.runner.current_step
        if step is None:
            return
        try:
            self.runner.answer(step.id, value, self._now())
        except ScriptError:
            self.problem.setText(self.tr("Type the amount in digits, such as 3000 or 3,000.50 (元 or ¥ may follow or "
                                         "lead; no other words).") if kind == "amount"
                                 else self.tr("This answer is not valid."))
            return
        self.problem.clear()
        self._save()

    def problem_text(self, text: str) -> None:
        self.problem.setText(text)

    # ------------------------------------------------------------------ moving
    def go_next(self) -> None:
        """The one big button: check in, move past the current step, or finish the visit."""
        if not self.session.checked_in:
            self.session.check_in(self._now())
            self._save()
            self.show_current()
            return
        if self.session.current_step is None:
            self.finish()
            return
        self.answers.flush()  # what is typed counts, even if the pause before saving has not passed
        try:
            problem = self.session.advance(self._now(), limits=self.context.promise_limits(self._now()))
        except ScriptError as exc:
            self.problem.setText(self._text(getattr(exc, "reason", {})) or str(exc))
            return
        if problem is not None:
            self.problem.setText(self._text(problem))
            return
        self._save()
        self.show_current()

    def go_back(self) -> None:
        try:
            self.runner.back(self._now())
        except (ScriptError, AssertionError) as exc:
            self.problem.setText(self._text(getattr(exc, "reason", {})) or self.tr("You cannot go back from here."))
            return
        self._save()
        self.show_current()

    def _wrong_address(self) -> None:
        """Ask to confirm, with what was found at the address; then the visit ends as a wrong address."""
        dialog = WrongAddressDialog(self)
        self.wrong_address_dialog = dialog
        dialog.accepted.connect(lambda: self._end_at_wrong_address(dialog.text()))
        dialog.open()

    def _end_at_wrong_address(self, note: str) -> None:
        self.session.wrong_address(self._now(), note)
        self._show_summary()
        self.finish()

    def refuse_blocked_contact(self, contact_id: str) -> None:
        """The person at the door said before "do not contact me": check CN3/US-P2, stop, finish."""
        verdict = self.context.pack.check("contact_third_party", self.context.facts, self.context.history,
                                          self._now(), contact=contact_id)
        self._event(service.AUDIT_RULE_CHECK, service.check_detail("contact_third_party", verdict,
                                                                    self.clock.reading(), contact=contact_id))
        reason = self._text(verdict.reason) or self.tr("This person asked not to be contacted again.")
        self.session.stop_for_blocked_contact(
            next((c.get("label", "") for c in self.context.blocked_contacts if c["id"] == contact_id), ""),
            f"{verdict.rule_id or ''} {reason}".strip())
        self.refused_reason = reason
        self.finish(stopped_reason=reason)

    # ------------------------------------------------------------------ evidence, notice, plan
    def add_photo(self, answer_step: bool = False, path: str | None = None) -> None:
        """Attach a photo from a file (encrypted, addressed by SHA-256, uploaded with the next sync)."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Add photo"), "",
                                                  self.tr("Images (*.jpg *.jpeg *.png *.heic);;All files (*)"))
        if not path:
            return
        suffix = path.lower().rsplit(".", 1)[-1]
        content_type = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "heic": "image/heic"}.get(
            suffix, "application/octet-stream")
        step_id = self.runner.current_step.id if (answer_step and self.runner.current_step) else None
        Task(self, service.add_evidence, self.store, path, content_type).on_done(
            lambda info: self._evidence_added(info, step_id)).on_error(self._error).start()

    def _evidence_added(self, info: dict[str, Any], step_id: str | None) -> None:
        self.session.add_attachment(info)
        self._event("visit_evidence", {"sha256": info["sha256"], "size": info["size"],
                                       "content_type": info["content_type"]})
        if step_id is not None and self.runner.current_step is not None and self.runner.current_step.id == step_id:
            self.runner.answer(step_id, info["sha256"], self._now())
        self._save()
        self.show_current()

    def open_notice(self) -> None:
        """Preview and print the notice (only offered once identity is confirmed, or for a sealed envelope)."""
        if not self.printing_offered():
            self.problem.setText(self.tr("The notice can be printed only after the debtor's identity is confirmed."))
            return
        from fieldapp.ui.notices.dialog import NoticeDialog

        sealed = self.runner.is_third_party or not self.runner.printing_allowed
        dialog = NoticeDialog(self, self.store, int(self.case["id"]), language=self.language, clock=self.clock,
                              visit_id=self.visit_id, identity_confirmed=not sealed and self.runner.printing_allowed)
        dialog.printed.connect(self._notice_printed)
        dialog.open()
        self.notice_dialog = dialog

    def _notice_printed(self, tokens: list[str]) -> None:
        self.session.add_notices(tokens)
        self._save()

    def open_plan_editor(self) -> None:
        step = self.runner.current_step
        try:
            from fieldapp.ui.plans.editor import PlanEditorDialog
        except ImportError:
            self.problem.setText(self.tr("The repayment plan editor is not part of this build."))
            return
        dialog = PlanEditorDialog(self, self.store, int(self.case["id"]), language=self.language,
                                  visit_id=self.visit_id)
        if not dialog.exec() or step is None:
            return
        if getattr(dialog, "sealed_plan", None) is not None:
            self.runner.answer(step.id, dialog.sealed_plan.id, self._now())
            self._event("visit_plan", {"plan_id": dialog.sealed_plan.id})
        elif getattr(dialog, "promise", None) is not None:
            # a promise instead of a plan answers the plan step too (it is tracked like any promise)
            self.runner.answer(step.id, f"promise:{dialog.promise.id}", self._now())
            self._event("visit_promise", {"promise_id": dialog.promise.id})
        else:
            return
        self._save()
        self.show_current()

    # ------------------------------------------------------------------ saving and finishing
    def delivery(self) -> str:
        """How the notice letter went: handed to the verified debtor, sealed envelope, refused, not delivered."""
        return self.session.delivery()

    def state(self) -> dict[str, Any]:
        return self.session.state()

    def _save(self) -> None:
        """Save now, or right after the save in flight (saves never overtake each other)."""
        if self._completing:
            return
        if self._saving:
            self._dirty = True
            return
        self._saving = True
        self._dirty = False
        events = self.session.take_events()
        Task(self, service.save_draft, self.store, self.visit_id, int(self.case["id"]), self.started_at,
             self._numbered_state(), events).on_done(self._saved).on_error(self._save_failed).start()

    def _numbered_state(self) -> dict[str, Any]:
        # Each save carries a number; the store keeps the highest, so a late save never undoes a newer one.
        self._revision = getattr(self, "_revision", int(self.payload.get("revision", 0))) + 1
        self.payload["revision"] = self._revision
        return self.state()

    def _saved(self, _state: str) -> None:
        self._saving = False
        self.saved.emit()
        if self._dirty or self.session.events:
            self._save()

    def _save_failed(self, exc: BaseException, details: str) -> None:
        self._saving = False
        report_error(self, self.tr("The visit could not be saved on this laptop. Do not close the window; "
                                   "tell your team lead."), details)

    def is_saved(self) -> bool:
        return not self._saving and not self._dirty and not self.session.events

    def finish(self, stopped_reason: str = "") -> None:
        """Complete the visit and queue it for the server (with its audit events and attachments)."""
        if self._completing:
            return
        ended = self._now()
        state = self.state()
        try:
            record = service.visit_payload(self.runner, state, started_at=self.started_at, ended_at=ended,
                                           utc_offset_minutes=int(ended.astimezone(self.tz).utcoffset().total_seconds() // 60))  # type: ignore[union-attr]
        except ValueError as exc:
            self.problem.setText(self.tr("The visit cannot be finished yet: {problem}").format(problem=str(exc)[:200]))
            return
        self._event("notice_delivery", {"delivery": state["delivery"]})
        if self._saving:  # let the draft save land first; finishing follows it
            self._dirty = True
            self.saved.connect(lambda: self.finish(stopped_reason), Qt.ConnectionType.SingleShotConnection)
            return
        self._completing = True
        self.next_button.setEnabled(False)
        events = self.session.take_events()
        self.stopped_reason = stopped_reason
        Task(self, service.complete_visit, self.store, self.visit_id, int(self.case["id"]), self.started_at,
             state, record.model_dump(mode="json"), ended, events).on_done(self._completed).on_error(
            self._complete_failed).start()

    def _completed(self, visit_id: str) -> None:
        self.finished.emit(visit_id)
        self.close()

    def _complete_failed(self, exc: BaseException, details: str) -> None:
        self._completing = False
        self.next_button.setEnabled(True)
        report_error(self, self.tr("The visit could not be finished on this laptop. It is kept as a draft; try "
                                   "again."), details)

    def _error(self, exc: BaseException, details: str) -> None:
        report_error(self, self.tr("The file could not be attached: {problem}").format(problem=str(exc)[:200]),
                     details)

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing mid-visit keeps the draft (it is saved after every answer); reopening the case resumes it.
        self.answers.flush_pending()
        if not self._completing and (self._dirty or self.session.events):
            # The window is going away with changes not yet written: the last save outlives it.
            from PySide6.QtCore import QCoreApplication

            events = self.session.take_events()
            self._dirty = False
            Task(QCoreApplication.instance(), service.save_draft, self.store, self.visit_id, int(self.case["id"]),
                 self.started_at, self._numbered_state(), events).start()
        super().closeEvent(event)
