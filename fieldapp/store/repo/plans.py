"""Repayment plans and promises to pay as the device recorded them, and the server's updates."""

# Like every writer in fieldapp.store.repo: takes the caller's Session and does not commit.

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldapp import protocol
from fieldapp.core.money import to_minor
from fieldapp.core.plans import verify_seal
from fieldapp.store.models import Case, PlanInstalmentRow, PlanRow, PromiseRow
from fieldapp.store.repo.audit import append_audit
from fieldapp.store.repo.common import now_utc
from fieldapp.store.repo.outbox import enqueue

if TYPE_CHECKING:
    from fieldapp.core.plans import PromiseToPay, SealedPlan


def record_plan(session: Session, sealed: SealedPlan, *, case_id: int, at: dt.datetime | None = None) -> PlanRow:
    """Store a sealed plan with its schedule, audit it and queue it (kind ``plan``), in one transaction.

    ``sealed`` is what core.plans.seal_plan returned, moved to the status the policy gives it
    (``sealed.with_status(verdict.status_after_signing(...))``: pending_approval or active). Its
    signatures must already be attachments (add_attachment) so they upload by their SHA-256.
    Raises ValueError when the seal does not verify.
    """
    if not verify_seal(sealed):
        raise ValueError("the plan does not match its seal")
    plan = sealed.plan
    now = now_utc()
    case = session.get(Case, case_id)
    row = PlanRow(id=plan.id, case_id=case_id, status=plan.status, sealed=sealed.to_wire(), seal_sha256=sealed.seal,
                  currency=plan.currency, agreed_total_minor=to_minor(plan.agreed_total, plan.currency),
                  decided_by="", decided_at=None, decision_comment="", created_at=now, updated_at=now)
    session.add(row)
    for item in plan.instalments:
        session.add(PlanInstalmentRow(plan_id=plan.id, number=item.number, due_on=item.due_on,
                                      amount_minor=to_minor(item.amount, plan.currency), paid_minor=0,
                                      status="upcoming", paid_on=None))
    enqueue(session, "plan", sealed.to_wire(), case_id=case_id, base_revision=case.revision if case else None,
            created_at=at)
    append_audit(session, "plan-signed", {"plan_id": plan.id, "seal_sha256": sealed.seal, "status": plan.status,
                                          "agreed_total_minor": row.agreed_total_minor, "currency": plan.currency},
                 at=at, case_id=case_id)
    return row


def record_promise(session: Session, promise: PromiseToPay, *, case_id: int, at: dt.datetime | None = None) -> PromiseRow:
    """Store a promise to pay, audit it and queue it (kind ``promise``), in one transaction."""
    row = PromiseRow(id=promise.id, case_id=case_id, currency=promise.currency, due_on=promise.due_on,
                     amount_minor=to_minor(promise.amount, promise.currency), made_on=promise.made_on,
                     status="pending", paid_minor=0, kept_on=None, created_at=now_utc())
    session.add(row)
    case = session.get(Case, case_id)
    enqueue(session, "promise", promise.to_wire(), case_id=case_id, base_revision=case.revision if case else None,
            created_at=at)
    append_audit(session, "promise-recorded", {"promise_id": promise.id, "due_on": promise.due_on,
                                               "amount_minor": row.amount_minor, "currency": row.currency},
                 at=at, case_id=case_id)
    return row


def apply_plan_updates(session: Session, updates: list[protocol.PlanUpdate]) -> int:
    """Apply decisions and payment states from a pull (the server wins on these); returns how many
    plans this device holds among them. Plans made on another device are not kept here."""
    applied = 0
    for update in updates:
        row = session.get(PlanRow, update.plan_id)
        if row is None:
            continue
        row.status = update.status
        row.decided_by, row.decided_at, row.decision_comment = update.decided_by, update.decided_at, update.comment
        row.updated_at = now_utc()
        for state in update.instalments:
            item = session.get(PlanInstalmentRow, (update.plan_id, state.number))
            if item is not None:
                item.paid_minor, item.status, item.paid_on = state.paid_minor, state.status, state.paid_on
        applied += 1
    return applied


def apply_promise_updates(session: Session, updates: list[protocol.PromiseUpdate]) -> int:
    applied = 0
    for update in updates:
        row = session.get(PromiseRow, update.promise_id)
        if row is None:
            continue
        row.status, row.paid_minor, row.kept_on = update.status, update.paid_minor, update.kept_on
        applied += 1
    return applied


def plans_for_case(session: Session, case_id: int) -> list[PlanRow]:
    """The case's plans, newest first (a superseded plan stays on record)."""
    return list(session.scalars(select(PlanRow).where(PlanRow.case_id == case_id).order_by(PlanRow.created_at.desc())))


def latest_plan_statuses(session: Session) -> dict[int, str]:
    """Each case's newest plan status (``broken``, ``pending_approval`` …) in one query, for the case list."""
    out: dict[int, str] = {}
    for case_id, status in session.execute(select(PlanRow.case_id, PlanRow.status).order_by(PlanRow.created_at)):
        out[int(case_id)] = status
    return out


def plan_instalments(session: Session, plan_id: str) -> list[PlanInstalmentRow]:
    return list(session.scalars(select(PlanInstalmentRow).where(PlanInstalmentRow.plan_id == plan_id)
                                .order_by(PlanInstalmentRow.number)))


def promises_for_case(session: Session, case_id: int) -> list[PromiseRow]:
    return list(session.scalars(select(PromiseRow).where(PromiseRow.case_id == case_id).order_by(PromiseRow.due_on)))
