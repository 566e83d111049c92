"""The outbox: what waits to go to the server, in order, and what the server refused."""

# Like every writer in fieldapp.store.repo: takes the caller's Session and does not commit.

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldapp import protocol
from fieldapp.store.models import OutboxEntry
from fieldapp.store.repo.common import now_utc, require_aware

#: Outbox states: waiting to be sent, or kept with the server's reason for a person to see.
PENDING = "pending"
REJECTED = "rejected"
CONFLICT = "conflict"



def enqueue(
    session: Session,
    kind: str,
    payload: dict[str, Any],
    *,
    case_id: int | None = None,
    base_revision: int | None = None,
    record_id: str | None = None,
    created_at: dt.datetime | None = None,
) -> OutboxEntry:
    """Add a record for the server to the outbox (in the caller's transaction).

    ``payload`` must be JSON-safe (``model_dump(mode="json")``). ``created_at`` is kept to the
    microsecond in UTC so a re-push after a crash is byte-for-byte the same record (a duplicate).
    """
    created = require_aware(created_at, "created_at") if created_at else now_utc()
    entry = OutboxEntry(
        id=str(uuid.UUID(record_id)) if record_id else str(uuid.uuid4()),
        kind=kind,
        case_id=case_id,
        base_revision=base_revision,
        created_at=created.astimezone(dt.UTC),
        payload=payload,
        state=PENDING,
        reason="",
        attempts=0,
    )
    session.add(entry)
    session.flush()  # assigns seq, and surfaces a duplicate record id here rather than at commit
    return entry


def pending_entries(session: Session, *, limit: int = protocol.MAX_PUSH_BATCH, after_seq: int = 0) -> list[OutboxEntry]:
    """The next pending entries in ``seq`` order (the order the changes were made)."""
    return list(
        session.scalars(
            select(OutboxEntry)
            .where(OutboxEntry.state == PENDING, OutboxEntry.seq > after_seq)
            .order_by(OutboxEntry.seq)
            .limit(limit)
        )
    )


def rejected_entries(session: Session) -> list[OutboxEntry]:
    """Entries the server refused (rejected) or kept apart (conflict), oldest first, with its reason."""
    return list(
        session.scalars(
            select(OutboxEntry).where(OutboxEntry.state.in_((REJECTED, CONFLICT))).order_by(OutboxEntry.seq)
        )
    )


def retry_entry(session: Session, record_id: str) -> None:
    """Put a rejected entry back in the queue (after a lead fixed what the server objected to)."""
    entry = session.scalar(select(OutboxEntry).where(OutboxEntry.id == record_id))
    if entry is not None and entry.state in (REJECTED, CONFLICT):
        entry.state = PENDING
        entry.reason = ""


def to_push_record(entry: OutboxEntry) -> protocol.PushRecord:
    return protocol.PushRecord(
        id=uuid.UUID(entry.id),
        kind=entry.kind,
        case_id=entry.case_id,
        base_revision=entry.base_revision,
        created_at=entry.created_at,
        payload=entry.payload,
    )
