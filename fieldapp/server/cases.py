"""Case ownership on the server: assign, unassign, close (with tombstones) and the pull page."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldapp import protocol
from fieldapp.server.db import Case, Plan, Promise, Tombstone, User, current_sequence, next_sequence, utcnow

CURSOR_PREFIX = "v1"


class CaseError(Exception):
    """A case operation that cannot be done; the message is for a person."""


def mask_id_number(id_number: str) -> str:
    """Only the first and last characters travel (PIPL minimisation): ``110…1234`` → ``1****…4``."""
    value = id_number.strip()
    if len(value) <= 2:
        return "*" * len(value)
    return value[0] + "*" * (len(value) - 2) + value[-1]


def to_case_record(case: Case) -> protocol.CaseRecord:
    return protocol.CaseRecord(
        id=case.id,
        revision=case.revision,
        account_ref=case.account_ref,
        debtor_name=case.debtor_name,
        id_number_masked=mask_id_number(case.id_number),
        phone=case.phone,
        address=case.address,
        city=case.city,
        district=case.district,
        timezone=case.timezone,
        currency=case.currency,
        principal=case.principal,
        fees=case.fees,
        total_due=case.total_due,
        dpd=case.dpd,
        overdue_since=case.overdue_since,
        last_payment_date=case.last_payment_date,
        last_payment_amount=case.last_payment_amount,
        risk_grade=case.risk_grade,
        creditor=case.creditor,
        product=case.product,
        jurisdiction=case.jurisdiction,  # type: ignore[arg-type]
        status=protocol.CaseStatus(case.status),
        flags=list(case.flags or []),
        attributes={str(k): str(v) for k, v in (case.attributes or {}).items()},
        appointment_at=case.appointment_at,
    )


def _tombstone(session: Session, case: Case, user_id: int, reason: protocol.TombstoneReason) -> None:
    session.add(
        Tombstone(
            seq=next_sequence(session),
            user_id=user_id,
            case_id=case.id,
            account_ref=case.account_ref,
            reason=reason.value,
            created_at=utcnow(),
        )
    )


def _new_revision(session: Session, case: Case) -> None:
    case.revision = next_sequence(session)
    case.updated_at = utcnow()


# Each operation takes the counter before it changes the case row, so every writer locks in the
# same order (counter, then case) and two admins can never deadlock each other on PostgreSQL.


def assign_case(session: Session, case: Case, user: User) -> bool:
    """Give ``case`` to ``user``; the previous assignee gets a tombstone. False when nothing changed."""
    if case.status != protocol.CaseStatus.open:
        raise CaseError(f"case {case.account_ref} is closed")
    if case.assignee_id == user.id:
        return False
    if case.assignee_id is not None:
        _tombstone(session, case, case.assignee_id, protocol.TombstoneReason.unassigned)
    _new_revision(session, case)
    case.assignee_id = user.id
    return True


def unassign_case(session: Session, case: Case) -> bool:
    if case.assignee_id is None:
        return False
    _tombstone(session, case, case.assignee_id, protocol.TombstoneReason.unassigned)
    _new_revision(session, case)
    case.assignee_id = None
    return True


def close_case(session: Session, case: Case) -> bool:
    if case.status == protocol.CaseStatus.closed:
        return False
    if case.assignee_id is not None:
        _tombstone(session, case, case.assignee_id, protocol.TombstoneReason.closed)
    _new_revision(session, case)
    case.status = protocol.CaseStatus.closed.value
    return True


# ----------------------------------------------------------------------------------------- pull
class CursorUnknown(Exception):
    """The cursor is malformed, from another database epoch, or ahead of this server."""


def encode_cursor(epoch: str, seq: int) -> str:
    return f"{CURSOR_PREFIX}.{epoch}.{seq}"


def decode_cursor(cursor: str, epoch: str) -> int:
    if not cursor:
        return 0
    parts = cursor.split(".")
    if len(parts) != 3 or parts[0] != CURSOR_PREFIX or parts[1] != epoch or not parts[2].isdigit():
        raise CursorUnknown(cursor)
    return int(parts[2])


@dataclass
class PullPage:
    cases: list[protocol.CaseRecord]
    tombstones: list[protocol.Tombstone]
    next_seq: int
    has_more: bool
    plan_updates: list[protocol.PlanUpdate] = field(default_factory=list)
    promise_updates: list[protocol.PromiseUpdate] = field(default_factory=list)


def pull_page(session: Session, user_id: int, since: int, limit: int) -> PullPage:
    """Changes for ``user_id`` after ``since`` (cases, tombstones, plan and promise updates), in
    commit order, at most ``limit`` of them.

    Raises CursorUnknown when ``since`` is beyond the counter (a cursor from a restored backup or
    another server). Within the page each case appears once: the change with the highest seq wins.
    """
    from fieldapp.server.plans import plan_update, promise_update  # plans imports this module

    if since > current_sequence(session):
        raise CursorUnknown(str(since))
    cases = session.scalars(
        select(Case)
        .where(Case.assignee_id == user_id, Case.status == protocol.CaseStatus.open.value, Case.revision > since)
        .order_by(Case.revision)
        .limit(limit + 1)
    ).all()
    stones = session.scalars(
        select(Tombstone).where(Tombstone.user_id == user_id, Tombstone.seq > since).order_by(Tombstone.seq).limit(limit + 1)
    ).all()
    plans = session.scalars(
        select(Plan).where(Plan.user_id == user_id, Plan.seq > since).order_by(Plan.seq).limit(limit + 1)
    ).all()
    promises = session.scalars(
        select(Promise).where(Promise.user_id == user_id, Promise.seq > since).order_by(Promise.seq).limit(limit + 1)
    ).all()
    merged: list[tuple[int, Case | Tombstone | Plan | Promise]] = sorted(
        [(c.revision, c) for c in cases] + [(t.seq, t) for t in stones]
        + [(p.seq, p) for p in plans] + [(p.seq, p) for p in promises],
        key=lambda item: item[0],
    )
    page, has_more = merged[:limit], len(merged) > limit
    # Within the page each thing appears once: the change with the highest seq wins.
    latest: dict[tuple[str, object], tuple[int, Case | Tombstone | Plan | Promise]] = {}
    for seq, item in page:
        if isinstance(item, Case):
            key: tuple[str, object] = ("case", item.id)
        elif isinstance(item, Tombstone):
            key = ("case", item.case_id)
        else:
            key = (type(item).__name__, item.id)
        latest[key] = (seq, item)
    out_cases: list[protocol.CaseRecord] = []
    out_stones: list[protocol.Tombstone] = []
    out_plans: list[protocol.PlanUpdate] = []
    out_promises: list[protocol.PromiseUpdate] = []
    for _seq, item in sorted(latest.values(), key=lambda pair: pair[0]):
        if isinstance(item, Case):
            out_cases.append(to_case_record(item))
        elif isinstance(item, Tombstone):
            out_stones.append(
                protocol.Tombstone(
                    case_id=item.case_id, account_ref=item.account_ref, reason=protocol.TombstoneReason(item.reason)
                )
            )
        elif isinstance(item, Plan):
            out_plans.append(plan_update(item))
        else:
            out_promises.append(promise_update(item))
    next_seq = page[-1][0] if page else since
    return PullPage(out_cases, out_stones, next_seq, has_more, out_plans, out_promises)
