"""The device's audit chain: each event linked to the one before, pushed like any record."""

# Like every writer in fieldapp.store.repo: takes the caller's Session and does not commit.

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldapp.core.audit import GENESIS, AuditEvent, verify
from fieldapp.store.models import AuditEventRow
from fieldapp.store.repo.common import require_aware
from fieldapp.store.repo.meta import (
    META_DEVICE_ID,
    META_USERNAME,
    meta_value,
    trusted_clock,
)
from fieldapp.store.repo.outbox import enqueue


def _audit_head(session: Session) -> str:
    return session.scalar(select(AuditEventRow.hash).order_by(AuditEventRow.seq.desc()).limit(1)) or GENESIS


def append_audit(
    session: Session,
    action: str,
    detail: dict[str, Any] | None = None,
    *,
    at: dt.datetime | None = None,
    case_id: int | None = None,
    who: str | None = None,
) -> AuditEvent:
    """Hash an event onto this device's chain and queue it for the server, in the caller's transaction.

    Call it in the same transaction as the change it describes. ``at`` defaults to the trusted
    clock's time; ``who`` to the enrolled user. No floats in ``detail`` (amounts in minor units).
    """
    when = require_aware(at, "at") if at is not None else trusted_clock(session).now()
    event = AuditEvent(
        who=who if who is not None else (meta_value(session, META_USERNAME) or ""),
        device=meta_value(session, META_DEVICE_ID) or "",
        action=action,
        detail=dict(detail or {}),
        at=when,
        prev_hash=_audit_head(session),
    )
    record_id = str(uuid.uuid4())
    session.add(AuditEventRow(hash=event.hash, prev_hash=event.prev_hash, who=event.who, device=event.device,
                              action=event.action, detail=dict(event.detail), at=event.at, case_id=case_id,
                              record_id=record_id))
    enqueue(session, "audit_event", event.to_dict(), case_id=case_id, record_id=record_id, created_at=event.at)
    return event


def audit_events(session: Session, *, case_id: int | None = None) -> list[AuditEvent]:
    """The device's chain in order (or only the events about ``case_id``)."""
    stmt = select(AuditEventRow).order_by(AuditEventRow.seq)
    if case_id is not None:
        stmt = stmt.where(AuditEventRow.case_id == case_id)
    return [AuditEvent(who=r.who, device=r.device, action=r.action, detail=r.detail, at=r.at, prev_hash=r.prev_hash,
                       hash=r.hash) for r in session.scalars(stmt)]


def verify_audit_chain(session: Session) -> int | None:
    """Index of the first event that breaks the local chain, or None when it is whole."""
    return verify(audit_events(session))
