"""Case ownership on the server: assign, unassign and close, with the tombstones their laptops pull."""

from __future__ import annotations

from sqlalchemy.orm import Session

from fieldapp import protocol
from fieldapp.server.db import Case, Tombstone, User, next_sequence, utcnow


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
