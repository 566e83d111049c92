"""Contact attempts (calls, messages, visits that did not happen) and their outbox records."""

# Like every writer in fieldapp.store.repo: takes the caller's Session and does not commit.

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.orm import Session

from fieldapp import protocol
from fieldapp.store.models import Case, ContactAttempt
from fieldapp.store.repo.common import require_aware
from fieldapp.store.repo.outbox import enqueue


def log_contact_attempt(
    session: Session,
    *,
    case_id: int,
    channel: str,
    attempted_at: dt.datetime,
    outcome: str,
    appointment_at: dt.datetime | None = None,
    note: str = "",
    username: str = "",
    flagged: bool = False,
    justification: str = "",
    broken_rules: list[str] | None = None,
) -> ContactAttempt:
    """Record a call/SMS attempt, update the case's last contact and appointment, and queue it.

    Raises ValueError (pydantic's ValidationError) when the attempt would not pass the protocol.
    """
    payload = protocol.ContactAttemptPayload(
        channel=protocol.ContactChannel(channel),
        attempted_at=require_aware(attempted_at, "attempted_at"),
        outcome=protocol.ContactOutcome(outcome),
        appointment_at=require_aware(appointment_at, "appointment_at") if appointment_at else None,
        note=note,
        flagged=flagged,
        justification=justification,
        broken_rules=list(broken_rules or []),
    )
    record_id = str(uuid.uuid4())
    attempt = ContactAttempt(
        id=record_id,
        case_id=case_id,
        channel=payload.channel.value,
        attempted_at=payload.attempted_at,
        outcome=payload.outcome.value,
        appointment_at=payload.appointment_at,
        note=note,
        flagged=flagged,
        justification=justification,
        username=username,
    )
    session.add(attempt)
    case = session.get(Case, case_id)
    if case is not None:
        if case.last_contact_at is None or payload.attempted_at > case.last_contact_at:
            case.last_contact_at = payload.attempted_at
        if payload.appointment_at is not None:
            case.appointment_at = payload.appointment_at
    enqueue(
        session,
        "contact_attempt",
        payload.model_dump(mode="json"),
        case_id=case_id,
        base_revision=case.revision if case is not None else None,
        record_id=record_id,
    )
    return attempt
