"""The plan editor: agree a repayment plan (or a promise to pay), show it to the debtor, sign, seal, print.

Three pages in one dialog: the plan (inputs on the left, the live schedule and the policy's verdict
on the right; a "Promise to pay" tab beside it), the signatures (debtor and collector), and the
sealed agreement (preview, print, save, change). The schedule and the verdict come from
:mod:`fieldapp.core.plans` on every change; nothing here computes money. Store writes and the PDF
run on Tasks; ``exec()`` returns Accepted once a plan was sealed or a promise recorded.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fieldapp.app import plans as persist
from fieldapp.core.money import MoneyError, format_amount, parse_amount, to_minor
from fieldapp.core.plans import (
    NEEDS_JUSTIFICATION,
    PENDING_APPROVAL,
    REFUSED,
    WITHIN_AUTHORITY,
    PlanError,
    PlanVerdict,
    PromiseToPay,
    RepaymentPlan,
    SealedPlan,
    draft_plan,
    evaluate_plan,
    nominal_due_dates,
    seal_plan,
    verify_seal,
)
from fieldapp.core.verification import new_verification_token
from fieldapp.documents.agreement_pdf import DEFAULT_TERMS, render_agreement
from fieldapp.ui.plans.debtor_view import DebtorPlanView
from fieldapp.ui.plans.schedule_model import ScheduleModel, date_format, display_date
from fieldapp.ui.plans.signature import SignatureBox, SignaturePad
from fieldapp.ui.plans.widgets import (
    CountEdit,
    date_edit,
    debtor_language,
    form_layout,
    label,
    make_button,
    pydate,
    qdate,
    reason_text,
    schedule_table,
    stepper,
    ui_language,
)
from fieldapp.ui.tasks import Task

log = logging.getLogger(__name__)

PLAN_PAGE, SIGN_PAGE, DONE_PAGE = 0, 1, 2
DEBTOR_SIGN_HINT = {"zh-CN": "请在此处签名（手指、手写笔或鼠标均可）", "en": "Please sign here with a finger, pen or mouse"}


class PlanEditorDialog(QDialog):
    """Agree, sign and seal a plan for ``case_id``, or record a promise to pay.

    ``language`` is the debtor's ("zh-CN" or "en"): the show-the-debtor view and the agreement use
    it. ``visit_id`` links the records to the visit they were made in. Afterwards ``sealed_plan``
    holds the last sealed plan (``sealed_plans`` every one, a superseded plan first) and ``promise``
    the recorded promise. ``ready`` fires when the case is loaded; ``sealed`` when a plan is stored;
    ``agreement_ready`` when its PDF is rendered.
    """

    ready = Signal()
    sealed = Signal(object)
    agreement_ready = Signal()
    failed = Signal(str)

    def __init__(self, parent: QWidget | None, store: Any, case_id: int, *, language: str = "zh-CN",
                 visit_id: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planEditor")
        self.store = store
        self.case_id = case_id
        self.language = debtor_language(language)
        self.visit_id = visit_id
        self.context: persist.PlanContext | None = None
        self.plan: RepaymentPlan | None = None
        self.verdict: PlanVerdict | None = None
        self.sealed_plan: SealedPlan | None = None
        self.sealed_plans: list[SealedPlan] = []
        self.promise: PromiseToPay | None = None
        self.agreement_pdf: bytes = b""
        self._supersedes: SealedPlan | None = None
        self._signatures: dict[str, bytes] = {}
        self._token = ""
        self._saving = False
        self.setWindowTitle(self.tr("Repayment plan"))
        self.resize(1180, 800)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(12)
        self.heading = label(self.tr("Loading the case…"), "pageTitle")
        layout.addWidget(self.heading)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        self.stack.addWidget(self._build_plan_page())
        self.stack.addWidget(self._build_sign_page())
        self.stack.addWidget(self._build_done_page())
        self.error = label("", "error")
        self.error.hide()
        layout.addWidget(self.error)
        self.setEnabled(False)
        Task(self, persist.load_context, store, case_id).on_done(self._loaded).on_error(self._load_failed).start()

    # ================================================================== pages
    def _build_plan_page(self) -> QWidget:
        self.tabs = QTabWidget()
        self.tabs.setObjectName("planTabs")
        # ---------------------------------------------------------- plan tab
        plan_tab = QWidget()
        row = QHBoxLayout(plan_tab)
        row.setContentsMargins(8, 12, 8, 8)
        row.setSpacing(20)
        inputs = QWidget()
        inputs.setMaximumWidth(440)
        column = QVBoxLayout(inputs)
        column.setContentsMargins(0, 0, 0, 0)
        form = form_layout()
        column.addLayout(form)
        column.addStretch(1)
        self.total_due = label("", "bigAmount", wrap=False)
        form.addRow(label(self.tr("Total due"), "muted", wrap=False), self.total_due)
        self.waiver = self._amount_edit(self.tr("0.00"))
        form.addRow(self.tr("&Waiver"), self.waiver)
        self.down_payment = self._amount_edit(self.tr("0.00"))
        form.addRow(self.tr("&Down payment"), self.down_payment)
        self.frequency = QComboBox()
        for key, text in (("monthly", self.tr("Monthly")), ("fortnightly", self.tr("Every two weeks")),
                          ("weekly", self.tr("Weekly"))):
            self.frequency.addItem(text, key)
        form.addRow(self.tr("&Frequency"), self.frequency)
        self.split_by = QComboBox()
        self.split_by.addItem(self.tr("Number of instalments"), "count")
        self.split_by.addItem(self.tr("Amount of each instalment"), "instalment")
        form.addRow(self.tr("&Split by"), self.split_by)
        self.count = CountEdit(1, 600, 6)
        count_box, self.count_less, self.count_more = stepper(self.count, fewer=self.tr("One instalment fewer"),
                                                              more=self.tr("One instalment more"))
        self.instalment = self._amount_edit("")
        self.split_stack = QStackedWidget()
        self.split_stack.addWidget(count_box)
        self.split_stack.addWidget(self.instalment)
        self.split_stack.setFixedHeight(max(count_box.sizeHint().height(), self.instalment.sizeHint().height()) + 4)
        form.addRow(self.tr("Instalments"), self.split_stack)
        self.first_due = date_edit(date_format())
        form.addRow(self.tr("First &due date"), self.first_due)
        self.income = self._amount_edit(self.tr("not declared"))
        form.addRow(self.tr("Declared monthly &income"), self.income)
        self.expenses = self._amount_edit(self.tr("not declared"))
        form.addRow(self.tr("Declared monthly &expenses"), self.expenses)
        self.justification_label = label(self.tr("Written justification"), wrap=False)
        self.justification = QPlainTextEdit()
        self.justification.setPlaceholderText(self.tr("Why the debtor can still afford this plan"))
        self.justification.setFixedHeight(90)
        form.addRow(self.justification_label, self.justification)
        self.justification_label.hide()
        self.justification.hide()
        row.addWidget(inputs)

        right = QVBoxLayout()
        right.setSpacing(8)
        self.supersede_note = label("", "notice")
        self.supersede_note.hide()
        right.addWidget(self.supersede_note)
        right.addWidget(label(self.tr("Schedule"), "sectionTitle"))
        self.schedule = ScheduleModel(self)
        self.schedule_view = schedule_table(self.schedule)
        right.addWidget(self.schedule_view, 1)
        self.totals = label("", "muted")
        right.addWidget(self.totals)
        self.verdict_title = label("", "verdict")
        self.verdict_title.setTextFormat(Qt.TextFormat.PlainText)
        right.addWidget(self.verdict_title)
        self.verdict_details = label("", "muted")
        right.addWidget(self.verdict_details)
        row.addLayout(right, 1)
        self.tabs.addTab(plan_tab, self.tr("Repayment plan"))

        # ---------------------------------------------------------- promise tab
        promise_tab = QWidget()
        promise_layout = QVBoxLayout(promise_tab)
        promise_layout.setContentsMargins(8, 12, 8, 8)
        promise_box = QWidget()
        promise_box.setMaximumWidth(560)
        promise_form = form_layout(promise_box)
        self.promise_date = date_edit(date_format())
        promise_form.addRow(self.tr("Promised &date"), self.promise_date)
        self.promise_amount = self._amount_edit("")
        promise_form.addRow(self.tr("Promised &amount"), self.promise_amount)
        promise_layout.addWidget(promise_box)
        promise_layout.addWidget(label(self.tr("A promise to pay is a dated promise without a schedule. It is "
                                                "tracked as kept or broken when payments arrive."), "muted"))
        self.promise_problems = label("", "error")
        promise_layout.addWidget(self.promise_problems)
        promise_layout.addStretch(1)
        promise_bar = QHBoxLayout()
        promise_bar.addStretch(1)
        self.record_promise_button = make_button(self.tr("Record promise"), self.record_promise, primary=True)
        promise_bar.addWidget(self.record_promise_button)
        promise_layout.addLayout(promise_bar)
        self.tabs.addTab(promise_tab, self.tr("Promise to pay"))

        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.addWidget(self.tabs, 1)
        bar = QHBoxLayout()
        self.show_debtor_button = make_button(self.tr("Show the debtor…"), self.show_debtor,
                                              tip=self.tr("The plan in large type in the debtor's language (F5)"))
        QShortcut(QKeySequence("F5"), self, activated=self.show_debtor)
        bar.addWidget(self.show_debtor_button)
        bar.addStretch(1)
        self.to_sign_button = make_button(self.tr("Continue to signatures"), self.go_to_signatures, primary=True)
        bar.addWidget(self.to_sign_button)
        page_layout.addLayout(bar)
        self.tabs.currentChanged.connect(self._tab_changed)

        for edit in (self.waiver, self.down_payment, self.instalment, self.income, self.expenses):
            edit.textChanged.connect(self.recompute)
        self.count.valueChanged.connect(self.recompute)
        self.first_due.dateChanged.connect(self.recompute)
        self.frequency.currentIndexChanged.connect(self.recompute)
        self.split_by.currentIndexChanged.connect(self._split_changed)
        self.justification.textChanged.connect(self._update_buttons)
        self.promise_amount.textChanged.connect(self._check_promise)
        self.promise_date.dateChanged.connect(self._check_promise)
        return page

    def _build_sign_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.sign_summary = label("", "notice")
        layout.addWidget(self.sign_summary)
        grid = QGridLayout()
        grid.setHorizontalSpacing(20)
        self.pads: dict[str, SignaturePad] = {}
        for column, (who, title) in enumerate((("debtor", self.tr("Debtor signs here")),
                                               ("collector", self.tr("Collector signs here")))):
            # the debtor's pad asks in the debtor's language
            hint = DEBTOR_SIGN_HINT[self.language] if who == "debtor" else self.tr("Sign with a finger, pen or mouse")
            box = SignatureBox(title, hint, name=f"{who}Pad")
            box.pad.changed.connect(self._update_sign_buttons)
            self.pads[who] = box.pad
            grid.addWidget(box, 0, column)
        layout.addLayout(grid, 1)
        self.sign_hint = label(self.tr("Both the debtor and the collector must sign before the plan is sealed."),
                                "muted")
        layout.addWidget(self.sign_hint)
        bar = QHBoxLayout()
        back = make_button(self.tr("Back to the plan"), lambda: self.stack.setCurrentIndex(PLAN_PAGE))
        bar.addWidget(back)
        bar.addStretch(1)
        self.seal_button = make_button(self.tr("Seal the plan"), self.seal, primary=True, shortcut="Ctrl+Return",
                                       tip=self.tr("Hash the plan and both signatures and store them (Ctrl+Return)"))
        bar.addWidget(self.seal_button)
        layout.addLayout(bar)
        self._update_sign_buttons()
        return page

    def _build_done_page(self) -> QWidget:
        from fieldapp.ui.pdfview import PdfPreview

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.done_status = label("", "notice")
        layout.addWidget(self.done_status)
        self.seal_label = label("", "muted")
        self.seal_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.seal_label)
        self.preview = PdfPreview()
        layout.addWidget(self.preview, 1)
        bar = QHBoxLayout()
        self.print_button = make_button(self.tr("Print…"), lambda: self.print_agreement(), shortcut="Ctrl+P",
                                        tip=self.tr("Print two copies: one for the debtor, one for the file (Ctrl+P)"))
        self.save_button = make_button(self.tr("Save as PDF…"), lambda: self.save_agreement())
        self.change_button = make_button(self.tr("Change plan…"), self.change_plan,
                                         tip=self.tr("Agree a new plan that replaces this one; both stay on record"))
        for button in (self.print_button, self.save_button, self.change_button):
            bar.addWidget(button)
        bar.addStretch(1)
        self.done_button = make_button(self.tr("Done"), self.accept, primary=True)
        bar.addWidget(self.done_button)
        layout.addLayout(bar)
        self.print_button.setEnabled(False)
        self.save_button.setEnabled(False)
        return page

    def _amount_edit(self, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        edit.setInputMethodHints(Qt.InputMethodHint.ImhFormattedNumbersOnly)
        return edit

    # ================================================================== loading
    def _loaded(self, context: persist.PlanContext) -> None:
        self.context = context
        self.setEnabled(True)
        self.heading.setText(self.tr("Repayment plan for %1 · %2").replace("%1", context.debtor_name)
                             .replace("%2", context.account_ref))
        self.total_due.setText(self._money(context.total_due))
        self.first_due.setDate(qdate(context.today + dt.timedelta(days=30)))
        self.first_due.setMinimumDate(qdate(context.today))
        self.promise_date.setMinimumDate(qdate(context.today))
        self.promise_date.setDate(qdate(context.today + dt.timedelta(days=7)))
        if context.current_plan is not None:  # agreeing a plan again replaces the one in force
            self._supersede(context.current_plan)
        self.recompute()
        self._check_promise()
        self.ready.emit()

    def _load_failed(self, exc: BaseException, details: str) -> None:
        self.setEnabled(True)
        self.stack.setEnabled(False)
        log.error("the plan editor could not load case %s:\n%s", self.case_id, details)
        self._show_error(self.tr("This case cannot be opened for a plan: %1").replace("%1", reason_text(exc)))

    # ================================================================== the plan
    def _money(self, amount: Any) -> str:
        currency = self.context.currency if self.context else "CNY"
        return format_amount(to_minor(amount, currency), currency)

    def _amount(self, edit: QLineEdit, *, optional: bool = False) -> Any:
        text = edit.text().strip()
        if not text:
            return None if optional else "0"
        return parse_amount(text, self.context.currency if self.context else "CNY")

    def _split_changed(self) -> None:
        self.split_stack.setCurrentIndex(self.split_by.currentIndex())
        self.recompute()

    def draft(self) -> RepaymentPlan:
        """The plan the inputs describe now; PlanError or MoneyError (a reason in words) when there is none."""
        ctx = self.context
        assert ctx is not None
        by_count = self.split_by.currentData() == "count"
        instalment = None if by_count else self._amount(self.instalment, optional=True)
        if not by_count and instalment is None:
            raise PlanError("give the amount of each instalment", "请填写每期金额")
        return draft_plan(
            ctx.account_ref, ctx.total_due, currency=ctx.currency, agreed_on=ctx.today,
            first_due=pydate(self.first_due.date()), frequency=self.frequency.currentData(),
            count=self.count.value() if by_count else None, instalment=instalment,
            waiver=self._amount(self.waiver), down_payment=self._amount(self.down_payment),
            skip_holidays=ctx.policy.skip_holidays, default_terms=DEFAULT_TERMS[self.language], language=self.language,
            declared_income=self._amount(self.income, optional=True),
            declared_expenses=self._amount(self.expenses, optional=True), collector=ctx.collector,
            justification=self.justification.toPlainText().strip(),
            supersedes=self._supersedes.id if self._supersedes else None,
        )

    def recompute(self) -> None:
        """Rebuild the schedule and the verdict from the inputs (pure core calls, no I/O)."""
        if self.context is None:
            return
        lang = ui_language()
        try:
            plan = self.draft()
            verdict = evaluate_plan(plan, self.context.policy)
        except PlanError as exc:
            self.plan, self.verdict = None, None
            self.schedule.set_instalments([], self.context.currency)
            self.totals.setText("")
            self._set_verdict("refused", self.tr("This plan does not add up yet"), exc.reason.get(lang, str(exc)))
        except MoneyError as exc:
            self.plan, self.verdict = None, None
            self.schedule.set_instalments([], self.context.currency)
            self.totals.setText("")
            self._set_verdict("refused", self.tr("An amount is not valid"), str(exc))
        else:
            self.plan, self.verdict = plan, verdict
            regular = plan.regular_instalments
            nominal = nominal_due_dates(pydate(self.first_due.date()), plan.frequency, len(regular))
            moved = {i.number: day for i, day in zip(regular, nominal) if i.due_on != day}
            self.schedule.set_instalments(plan.instalments, plan.currency, moved)
            totals = (self.tr("%1 instalments · agreed total %2 · last due %3")
                      .replace("%1", str(len(regular))).replace("%2", self._money(plan.agreed_total))
                      .replace("%3", display_date(plan.last_due)))
            if moved:
                totals += "\n" + self.tr("* moved to the next business day: no payment falls due on a public holiday")
            self.totals.setText(totals)
            notes = [c.reason.get(lang, "") for c in verdict.failed]
            notes += [n.get(lang, "") for n in self.context.policy.holiday_notes(plan)]
            self._set_verdict(verdict.status, self.verdict_text(verdict.status), "\n".join(f"• {n}" for n in notes))
        needs = bool(self.verdict and self.verdict.needs_justification)
        self.justification_label.setVisible(needs)
        self.justification.setVisible(needs)
        self._update_buttons()

    def verdict_text(self, status: str) -> str:
        """The verdict in plain words, in the app's language."""
        return {
            WITHIN_AUTHORITY: self.tr("Within your authority: the plan takes effect once both have signed."),
            NEEDS_JUSTIFICATION: self.tr("Needs a written justification: write down why the debtor can still "
                                         "afford it. The plan is flagged for your team lead."),
            PENDING_APPROVAL: self.tr("Goes to the team lead for approval: both can sign now, and the plan takes "
                                      "effect once your team lead approves it."),
            REFUSED: self.tr("Refused: this plan cannot be signed as it is. Change it:"),
        }[status]

    def _set_verdict(self, status: str, title: str, details: str) -> None:
        colours = {WITHIN_AUTHORITY: ("#e6f4ea", "#1b6b35", "#a8d5b5"),
                   NEEDS_JUSTIFICATION: ("#fff6db", "#5c4400", "#e8d48a"),
                   PENDING_APPROVAL: ("#e8f0fb", "#1d3f73", "#b3c8e8"), REFUSED: ("#fdecea", "#8a1c12", "#f2b8b0")}
        back, fore, border = colours.get(status, colours[REFUSED])
        self.verdict_title.setStyleSheet(f"QLabel {{ background: {back}; color: {fore}; border: 1px solid {border}; "
                                         "border-radius: 6px; padding: 10px 12px; font-size: 12pt; font-weight: 600; }")
        self.verdict_title.setText(title)
        self.verdict_title.setProperty("status", status)
        self.verdict_details.setText(details)
        self.verdict_details.setVisible(bool(details))

    def _update_buttons(self) -> None:
        ok = bool(self.verdict and self.verdict.permits(self.justification.toPlainText()))
        self.to_sign_button.setEnabled(ok)
        # a refused plan is never shown to the debtor as if it were on offer
        self.show_debtor_button.setEnabled(self.plan is not None and not (self.verdict and self.verdict.refused))

    def _tab_changed(self, index: int) -> None:
        promise = index == 1
        self.to_sign_button.setVisible(not promise)
        self.show_debtor_button.setVisible(not promise)

    def show_debtor(self) -> DebtorPlanView | None:
        """Open the show-the-debtor view (modal); returns it (tests close it)."""
        if not self.show_debtor_button.isEnabled() or self.stack.currentIndex() != PLAN_PAGE:
            return None
        view = DebtorPlanView(self.plan, self.language, self,
                              pending_approval=bool(self.verdict and self.verdict.pending_approval))
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view.open()
        return view

    # ================================================================== signing and sealing
    def go_to_signatures(self) -> None:
        if self.plan is None or self.verdict is None or not self.verdict.permits(self.justification.toPlainText()):
            return
        self.sign_summary.setText(self.tr("%1 in %2 instalments. %3").replace("%1", self._money(self.plan.agreed_total))
                                  .replace("%2", str(len(self.plan.regular_instalments)))
                                  .replace("%3", self.verdict_text(self.verdict.status)))
        self.stack.setCurrentIndex(SIGN_PAGE)
        self.pads["debtor"].setFocus()

    def _update_sign_buttons(self) -> None:
        self.seal_button.setEnabled(not self._saving and all(not p.is_empty() for p in self.pads.values()))

    def seal(self) -> bool:
        """Seal the plan with both signatures and store it (on a Task). False, with the reason shown, if it cannot."""
        if self._saving:
            return False
        missing = [who for who, pad in self.pads.items() if pad.is_empty()]
        if missing:
            self._show_error(self.tr("Both the debtor and the collector must sign before the plan is sealed."))
            return False
        assert self.context is not None
        try:
            plan = self.draft()
            verdict = evaluate_plan(plan, self.context.policy)
            status = verdict.status_after_signing(plan.justification)
            if self._supersedes is not None and not verify_seal(self._supersedes):
                raise PlanError("the plan being replaced does not match its seal", "被取代的计划与其封存摘要不符")
            pngs = {who: pad.to_png() for who, pad in self.pads.items()}
            sealed = seal_plan(plan, pngs["debtor"], pngs["collector"], policy=self.context.policy).with_status(status)
        except (PlanError, MoneyError) as exc:
            reason = reason_text(exc)
            self._show_error(self.tr("The plan cannot be sealed: %1").replace("%1", reason))
            return False
        self._hide_error()
        self._saving = True
        self._update_sign_buttons()
        signatures = {who: persist.Signature(pngs[who], self.pads[who].strokes()) for who in self.pads}
        token = new_verification_token()
        Task(self, persist.save_plan, self.store, self.case_id, sealed, debtor=signatures["debtor"],
             collector=signatures["collector"], verification_token=token, visit_id=self.visit_id).on_done(
            lambda stored: self._stored(stored, pngs, token)).on_error(self._store_failed).start()
        return True

    def _stored(self, sealed: SealedPlan, pngs: dict[str, bytes], token: str) -> None:
        self._saving = False
        self._token = token
        self.sealed_plan = sealed
        self.sealed_plans.append(sealed)
        self._signatures = pngs
        self._supersedes = None
        self.supersede_note.hide()
        if sealed.plan.status == PENDING_APPROVAL:
            status = self.tr("Signed and sealed. The plan goes to your team lead for approval; it will be sent with "
                             "the next sync.")
        else:
            status = self.tr("Signed and sealed. The plan is active; it will be sent with the next sync.")
        self.done_status.setText(status)
        self.seal_label.setText(self.tr("Seal (SHA-256): %1").replace("%1", sealed.seal))
        self.stack.setCurrentIndex(DONE_PAGE)
        self.sealed.emit(sealed)
        self._render_agreement()

    def _store_failed(self, exc: BaseException, details: str) -> None:
        log.error("a plan or promise for case %s could not be saved:\n%s", self.case_id, details)
        self._saving = False
        self._update_sign_buttons()
        self._check_promise()
        self._show_error(self.tr("Nothing was saved on this laptop: %1. Try again.").replace("%1", reason_text(exc)))

    def _render_agreement(self) -> None:
        ctx, sealed = self.context, self.sealed_plan
        assert ctx is not None and sealed is not None
        self.print_button.setEnabled(False)
        self.save_button.setEnabled(False)
        Task(self, render_agreement, sealed, case=ctx, issuer=ctx.issuer, base_url=ctx.base_url, token=self._token,
             signatures=dict(self._signatures), language=self.language).on_done(self._agreement_done).on_error(
            lambda exc, details: self._show_error(self.tr("The agreement could not be made: %1")
                                                  .replace("%1", reason_text(exc)))).start()

    def _agreement_done(self, pdf: bytes) -> None:
        self.agreement_pdf = pdf
        self.preview.set_pdf(pdf)
        self.print_button.setEnabled(True)
        self.save_button.setEnabled(True)
        self.agreement_ready.emit()

    @property
    def verification_token(self) -> str:
        return self._token

    def print_agreement(self, *, printer: Any = None, ask: bool = True, copies: int = 2) -> bool:
        """Print the agreement (two copies by default); ``printer``/``ask`` as in pdfview.print_pdf."""
        from fieldapp.ui.pdfview import print_pdf

        if not self.agreement_pdf:
            return False
        try:
            return print_pdf(self, self.agreement_pdf, copies=copies, printer=printer, ask=ask)
        except (ValueError, RuntimeError) as exc:
            self._show_error(self.tr("The agreement could not be printed: %1").replace("%1", str(exc)))
            return False

    def save_agreement(self, path: Any = None) -> Any:
        from fieldapp.ui.pdfview import save_pdf

        if not self.agreement_pdf or self.sealed_plan is None:
            return None
        name = f"agreement-{self.context.account_ref if self.context else ''}-{self.sealed_plan.id[:8]}.pdf"
        try:
            return save_pdf(self, self.agreement_pdf, name, path=path)
        except OSError as exc:
            self._show_error(self.tr("The PDF could not be saved: %1").replace("%1", str(exc)))
            return None

    def change_plan(self) -> None:
        """Start a new plan that supersedes the sealed one; the sealed one is never changed."""
        if self.sealed_plan is None:
            return
        self._supersede(self.sealed_plan)
        for pad in self.pads.values():
            pad.clear()
        self.tabs.setCurrentIndex(0)
        self.stack.setCurrentIndex(PLAN_PAGE)
        self.recompute()

    def _supersede(self, old: SealedPlan) -> None:
        self._supersedes = old
        self.supersede_note.setText(self.tr("This new plan replaces the plan signed on %1; both stay on record.")
                                    .replace("%1", display_date(old.plan.agreed_on)))
        self.supersede_note.show()

    # ================================================================== promise to pay
    def _promise_from_inputs(self) -> tuple[PromiseToPay | None, list[str]]:
        ctx = self.context
        if ctx is None:
            return None, []
        lang = ui_language()
        try:
            amount = parse_amount(self.promise_amount.text() or "0", ctx.currency)
            promise = PromiseToPay(pydate(self.promise_date.date()), amount, ctx.currency, ctx.today, ctx.account_ref)
        except (MoneyError, PlanError) as exc:
            return None, [reason_text(exc)]
        return promise, [p[lang] for p in promise.problems(today=ctx.today, balance=ctx.total_due)]

    def _check_promise(self) -> None:
        promise, problems = self._promise_from_inputs()
        shown = problems if self.promise_amount.text().strip() else []
        self.promise_problems.setText("\n".join(shown))
        self.record_promise_button.setEnabled(promise is not None and not problems)

    def record_promise(self) -> bool:
        promise, problems = self._promise_from_inputs()
        if promise is None or problems or self._saving:
            return False
        self._saving = True
        self.record_promise_button.setEnabled(False)
        Task(self, persist.save_promise, self.store, self.case_id, promise, visit_id=self.visit_id).on_done(
            self._promise_stored).on_error(self._store_failed).start()
        return True

    def _promise_stored(self, promise: PromiseToPay) -> None:
        self._saving = False
        self.promise = promise
        self.accept()

    # ================================================================== errors and closing
    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.failed.emit(text)

    def _hide_error(self) -> None:
        self.error.hide()

    def reject(self) -> None:
        """Escape or the window's close button: a sealed plan or recorded promise still counts as done.

        Ignored while a plan or promise is being written, so the caller always learns its outcome.
        """
        if self._saving:
            return
        if self.sealed_plan is not None or self.promise is not None:
            self.accept()
        else:
            super().reject()


__all__ = ("CountEdit", "PlanEditorDialog", "debtor_language", "reason_text", "ui_language")
