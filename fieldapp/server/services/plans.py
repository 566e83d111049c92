"""Repayment plans and promises on the server: storing them, a lead's decision, payments (issue 5).

A change a collector's devices must see (a decision, a payment's effect) takes the next value of
the commit-ordered counter into the row's ``seq``, so it travels with the next pull (PlanUpdate,
PromiseUpdate) exactly like a case change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from fieldapp import protocol
from fieldapp.core import plans as core_plans
from fieldapp.core.forms import FormError, bundled_rule_pack_data, parse_yaml
from fieldapp.core.money import MoneyError, from_minor, parse_amount, to_minor
from fieldapp.core.rules import PolicyError
from fieldapp.server.db import (
    Attachment,
    Case,
    Device,
    FormVersion,
    Payment,
    Plan,
    Promise,
    User,
    audit,
    insert_ignoring_conflict,
    lock_sequence,
    next_sequence,
    utcnow,
)
from fieldapp.server.errors import Conflict, Invalid, NotFound
from fieldapp.server.services.cases import close_case
from fieldapp.server.services.importer import RowError, parse_date, read_rows

#: Statuses a device may send a freshly sealed plan in (after core.plans.PlanVerdict.status_after_signing).
SENT_STATUSES = (core_plans.SIGNED, core_plans.PENDING_APPROVAL, core_plans.ACTIVE)
#: Plans that payments are matched against.
RUNNING_STATUSES = (core_plans.APPROVED, core_plans.ACTIVE, core_plans.KEPT, core_plans.BROKEN)


class PlanProblem(Exception):
    """Why a pushed plan or promise is rejected (completes "this record was rejected because …")."""


# ---------------------------------------------------------------------------------------- receive
def check_plan(payload: dict[str, Any], case: Case | None) -> core_plans.SealedPlan:
    """The sealed plan in ``payload`` if it verifies and belongs to ``case``; PlanProblem otherwise."""
    try:
        sealed = core_plans.SealedPlan.from_wire(payload)
    except (core_plans.PlanError, KeyError, TypeError, ValueError) as exc:
        raise PlanProblem(f"the plan cannot be read ({exc})") from None
    if not core_plans.verify_seal(sealed):
        raise PlanProblem("the plan does not match its seal (it was changed after signing)")
    if sealed.plan.status not in SENT_STATUSES:
        raise PlanProblem(f"a new plan cannot arrive as {sealed.plan.status}")
    if case is not None and sealed.plan.case_ref != case.account_ref:
        raise PlanProblem(f"the plan is for case {sealed.plan.case_ref}, not {case.account_ref}")
    return sealed


def check_promise(payload: dict[str, Any], case: Case | None) -> core_plans.PromiseToPay:
    try:
        promise = core_plans.PromiseToPay.from_wire(payload)
    except (core_plans.PlanError, MoneyError, KeyError, TypeError, ValueError) as exc:
        raise PlanProblem(f"the promise cannot be read ({exc})") from None
    if case is not None and promise.case_ref and promise.case_ref != case.account_ref:
        raise PlanProblem(f"the promise is for case {promise.case_ref}, not {case.account_ref}")
    return promise


def plan_policy(session: Session, jurisdiction: str) -> core_plans.PlanPolicy:
    """The plan policy of the rule pack the server publishes for ``jurisdiction`` (newest first), else
    the bundled pack's: what the server judges a collector's plan by, whatever the device says."""
    rows = session.scalars(select(FormVersion).where(FormVersion.kind == "rule_pack")
                           .order_by(FormVersion.published_at.desc(), FormVersion.id.desc()))
    for row in rows:
        data = parse_yaml(row.content).data
        if isinstance(data, dict) and data.get("jurisdiction") == jurisdiction:
            return core_plans.PlanPolicy.from_rule_pack(data)
    return core_plans.PlanPolicy.from_rule_pack(bundled_rule_pack_data()[jurisdiction])


def judged_status(session: Session, sealed: core_plans.SealedPlan, case: Case) -> tuple[str, list[str]]:
    """The status the server gives a newly sealed plan — ``active`` only when it is within the
    collector's authority under the server's policy and owes what the server says is owed, else
    ``pending_approval`` — and the reasons it needs the lead (the device's own status is ignored)."""
    plan = sealed.plan
    reasons: list[str] = []
    if plan.status == core_plans.PENDING_APPROVAL:
        reasons.append("the collector's laptop sent it for approval")
    if plan.currency != case.currency or to_minor(plan.total_due, plan.currency) != case.total_due:
        reasons.append("the plan's total due is not what the server holds for the case")
    try:
        status = core_plans.evaluate_plan(plan, plan_policy(session, case.jurisdiction)).status_after_signing(
            plan.justification or None)
    except core_plans.PlanError as exc:
        reasons.append(f"the server's plan policy does not allow it ({exc})")
    except (FormError, PolicyError, KeyError) as exc:
        reasons.append(f"the server has no plan policy for {case.jurisdiction} ({exc})")
    else:
        if status != core_plans.ACTIVE and not reasons:
            reasons.append("it is beyond the collector's authority")
    return (core_plans.PENDING_APPROVAL if reasons else core_plans.ACTIVE), reasons


def store_plan(session: Session, device: Device, record: protocol.PushRecord, case: Case) -> None:
    sealed = check_plan(record.payload, case)
    plan = sealed.plan
    now = utcnow()
    status, _reasons = judged_status(session, sealed, case)
    insert_ignoring_conflict(session, Plan.__table__, dict(
        id=plan.id, record_id=record.id, case_id=case.id, user_id=device.user_id, device_id=device.id,
        status=status,
        currency=plan.currency, agreed_total_minor=to_minor(plan.agreed_total, plan.currency), agreed_on=plan.agreed_on,
        seal_sha256=sealed.seal, sealed=record.payload, instalments=[], decided_by="", decided_at=None,
        decision_comment="", seq=0, received_at=now, updated_at=now,
    ), ["id"])


def store_promise(session: Session, device: Device, record: protocol.PushRecord, case: Case) -> None:
    promise = check_promise(record.payload, case)
    insert_ignoring_conflict(session, Promise.__table__, dict(
        id=promise.id, record_id=record.id, case_id=case.id, user_id=device.user_id, currency=promise.currency,
        due_on=promise.due_on, amount_minor=to_minor(promise.amount, promise.currency), made_on=promise.made_on,
        status=core_plans.PENDING, paid_minor=0, kept_on=None, seq=0, received_at=utcnow(),
    ), ["id"])


# ----------------------------------------------------------------------------------------- review
def summary(session: Session, plan: Plan, account_ref: str, collector: str) -> protocol.PlanSummary:
    wanted = {plan.sealed.get("debtor_signature_sha256"), plan.sealed.get("collector_signature_sha256")}
    held = set(session.scalars(select(Attachment.sha256).where(Attachment.sha256.in_(wanted),
                                                               Attachment.complete.is_(True))))
    return protocol.PlanSummary(
        plan_id=plan.id, case_id=plan.case_id, account_ref=account_ref, collector=collector, status=plan.status,
        currency=plan.currency, agreed_total_minor=plan.agreed_total_minor, received_at=plan.received_at,
        decided_by=plan.decided_by, decided_at=plan.decided_at, comment=plan.decision_comment,
        signatures_received=held == wanted, sealed=plan.sealed,
    )


def team_plans(session: Session, lead: User, status: str | None = core_plans.PENDING_APPROVAL) -> list[protocol.PlanSummary]:
    """Plans on the cases of the lead's team (every team for an admin), oldest first.

    A case belongs to the team of the collector it is assigned to, whoever made the plan."""
    holder = aliased(User)
    stmt = (select(Plan, Case.account_ref, User.username).join(Case, Case.id == Plan.case_id)
            .join(User, User.id == Plan.user_id).outerjoin(holder, holder.id == Case.assignee_id)
            .order_by(Plan.received_at, Plan.id))
    if lead.role != "admin":
        stmt = stmt.where(holder.team_id == lead.team_id)
    if status:
        stmt = stmt.where(Plan.status == status)
    return [summary(session, plan, ref, name) for plan, ref, name in session.execute(stmt).all()]


def decide(session: Session, lead: User, plan_id: str, decision: str, comment: str) -> protocol.PlanSummary:
    """Approve or reject a plan pending approval; audited; the collector's devices pull it.

    Only the lead of the case's team (the team of the collector the case is assigned to) or an admin
    decides; to anyone else the plan does not exist."""
    holder = aliased(User)
    row = session.execute(
        select(Plan, Case.account_ref, User, holder.team_id).join(Case, Case.id == Plan.case_id)
        .join(User, User.id == Plan.user_id).outerjoin(holder, holder.id == Case.assignee_id)
        .where(Plan.id == plan_id)
    ).one_or_none()
    if row is None or (lead.role != "admin" and (row[3] is None or row[3] != lead.team_id)):
        raise NotFound("there is no such plan in your team")
    plan, account_ref, collector, _team = row
    if decision == "reject" and not comment.strip():
        raise Invalid("say why the plan is rejected: the collector reads it")
    seq = next_sequence(session)  # counter before the plan row: the lock order every writer keeps
    session.refresh(plan, with_for_update=True)
    if plan.status != core_plans.PENDING_APPROVAL:
        raise Conflict(f"this plan is {core_plans.STATUS_LABELS.get(plan.status, {}).get('en', plan.status)}, "
                       "not pending approval")
    plan.status = core_plans.APPROVED if decision == "approve" else core_plans.REJECTED
    plan.decided_by, plan.decided_at, plan.decision_comment = lead.username, utcnow(), comment.strip()
    plan.seq, plan.updated_at = seq, utcnow()
    audit(session, f"user:{lead.username}", f"plan-{decision}", f"plan:{plan.id}", case=account_ref,
          collector=collector.username, comment=plan.decision_comment)
    return summary(session, plan, account_ref, collector.username)


def plan_update(plan: Plan) -> protocol.PlanUpdate:
    return protocol.PlanUpdate(
        plan_id=plan.id, case_id=plan.case_id, status=plan.status, decided_by=plan.decided_by,
        decided_at=plan.decided_at, comment=plan.decision_comment,
        instalments=[protocol.InstalmentState.model_validate(i) for i in plan.instalments or []],
    )


def promise_update(promise: Promise) -> protocol.PromiseUpdate:
    return protocol.PromiseUpdate(promise_id=promise.id, case_id=promise.case_id, status=promise.status,
                                  paid_minor=promise.paid_minor, kept_on=promise.kept_on)


# --------------------------------------------------------------------------------------- payments
@dataclass
class PaymentImport:
    imported: int = 0
    unchanged: int = 0
    plans_updated: int = 0
    promises_updated: int = 0
    cases_closed: int = 0
    rejections: list[tuple[int, str]] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len(self.rejections)

    def summary(self) -> str:
        return f"imported {self.imported}, unchanged {self.unchanged}, rejected {self.rejected}"

    def effects(self) -> str:
        return (f"plans updated {self.plans_updated}, promises updated {self.promises_updated}, "
                f"cases closed {self.cases_closed}")


def import_payments(session: Session, text: str, *, actor: str = "admin",
                    on_reject: Callable[[int, str], None] | None = None, today: dt.date | None = None) -> PaymentImport:
    """Import the lending system's payments CSV (account_ref, paid_at, amount, reference) in the
    caller's transaction, then re-judge the plans and promises of every case that got a payment.

    Idempotent by reference: a reference seen before is unchanged (or rejected when its row differs).
    A case whose plan completed, or whose payments reach its total due, is closed (tombstone).
    """
    result = PaymentImport()

    def reject(line: int, reason: str) -> None:
        result.rejections.append((line, reason))
        if on_reject:
            on_reject(line, reason)

    _columns, rows = read_rows(text)
    lock_sequence(session)
    touched: set[int] = set()
    seen: dict[str, int] = {}
    for line, row in rows:
        try:
            if "__extra__" in row:
                raise RowError("the row has more values than the header has columns")
            ref = row.get("account_ref", "").strip()
            if not ref:
                raise RowError("account_ref is missing")
            reference = row.get("reference", "").strip()
            if not reference:
                raise RowError("reference is missing")
            if len(reference) > 100:
                raise RowError("reference is longer than 100 characters")
            if reference in seen:
                raise RowError(f"reference {reference} appears again (first on line {seen[reference]})")
            paid_on = parse_date(row, "paid_at")
            if paid_on is None:
                raise RowError("paid_at is missing")
            case = session.scalars(select(Case).where(Case.account_ref == ref)).first()
            if case is None:
                raise RowError(f"no case with account_ref {ref}")
            text_amount = row.get("amount", "").strip()
            if not text_amount:
                raise RowError("amount is missing")
            try:
                amount = to_minor(parse_amount(text_amount, case.currency), case.currency)
            except MoneyError as exc:
                raise RowError(f"amount: {exc}") from None
            if amount <= 0:
                raise RowError("amount must be more than zero")
            seen[reference] = line
        except RowError as exc:
            reject(line, str(exc))
            continue
        existing = session.get(Payment, reference)
        if existing is not None:
            if (existing.case_id, existing.paid_on, existing.amount_minor) != (case.id, paid_on, amount):
                reject(line, f"reference {reference} was imported before with other values")
            else:
                result.unchanged += 1
            continue
        session.add(Payment(reference=reference, case_id=case.id, account_ref=ref, paid_on=paid_on,
                            amount_minor=amount, imported_at=utcnow()))
        result.imported += 1
        touched.add(case.id)
    session.flush()
    for case_id in sorted(touched):
        _rejudge(session, case_id, result, today)
    audit(session, actor, "import-payments", "payments", imported=result.imported, unchanged=result.unchanged,
          rejected=result.rejected, plans_updated=result.plans_updated, cases_closed=result.cases_closed)
    return result


def _rejudge(session: Session, case_id: int, result: PaymentImport, today: dt.date | None) -> None:
    case = session.get(Case, case_id)
    assert case is not None
    as_of = today or utcnow().astimezone(ZoneInfo(case.timezone)).date()
    cur = case.currency
    payments = [core_plans.Payment(p.paid_on, from_minor(p.amount_minor, cur), p.reference)
                for p in session.scalars(select(Payment).where(Payment.case_id == case_id))]
    completed = False
    for plan in session.scalars(select(Plan).where(Plan.case_id == case_id, Plan.status.in_(RUNNING_STATUSES))):
        sealed = core_plans.SealedPlan.from_wire(plan.sealed)
        since = [p for p in payments if p.paid_on >= sealed.plan.agreed_on]
        report = core_plans.apply_payments(sealed.plan, since, as_of=as_of)
        states = [dict(number=i.number, due_on=i.due_on.isoformat(), amount_minor=to_minor(i.amount, cur),
                       paid_minor=to_minor(i.paid, cur), status=i.status,
                       paid_on=i.paid_on.isoformat() if i.paid_on else None) for i in report.instalments]
        status = report.outcome
        if states != (plan.instalments or []) or status != plan.status:
            plan.instalments, plan.status = states, status
            plan.seq, plan.updated_at = next_sequence(session), utcnow()
            result.plans_updated += 1
        completed = completed or status == core_plans.COMPLETED
    promises = list(session.scalars(select(Promise).where(Promise.case_id == case_id, Promise.status == core_plans.PENDING)))
    if promises:
        wire = [core_plans.PromiseToPay(p.due_on, from_minor(p.amount_minor, p.currency), p.currency, p.made_on,
                                        case.account_ref, p.id) for p in promises]
        report = core_plans.apply_payments([], payments, as_of=as_of, promises=wire, currency=cur)
        by_id = {p.id: p for p in promises}
        for state in report.promises:
            promise = by_id[state.promise_id]
            paid = to_minor(state.paid, cur)
            if state.status != promise.status or paid != promise.paid_minor:
                promise.status, promise.paid_minor, promise.kept_on = state.status, paid, state.kept_on
                promise.seq = next_sequence(session)
                result.promises_updated += 1
    paid_total = sum((p.amount for p in payments), Decimal(0))
    if completed or to_minor(paid_total, cur) >= case.total_due > 0:
        if close_case(session, case):
            result.cases_closed += 1
            audit(session, "system", "close", f"case:{case.account_ref}", reason="paid in full")
