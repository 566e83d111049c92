"""Reads and writes on the device store that keep a change and its outbox row in one transaction."""

# Every function takes the caller's Session and does not commit: the caller commits, so a change and
# the outbox entry that carries it to the server land together or not at all (PRODUCT.md §7.2).

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from fieldapp import protocol
from fieldapp.store.models import Attachment, Case, ContactAttempt, OutboxEntry

if TYPE_CHECKING:
    from fieldapp.store.db import DeviceStore

#: Outbox states: waiting to be sent, or kept with the server's reason for a person to see.
PENDING = "pending"
REJECTED = "rejected"
CONFLICT = "conflict"


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime, name: str) -> dt.datetime:
    if value.tzinfo is None:
        raise ValueError(f"{name} must be timezone-aware")
    return value


# ------------------------------------------------------------------------------------------ outbox
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
    created = _aware(created_at, "created_at") if created_at else _utcnow()
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


# ----------------------------------------------------------------------------------- contact attempts
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
) -> ContactAttempt:
    """Record a call/SMS attempt, update the case's last contact and appointment, and queue it.

    Raises ValueError (pydantic's ValidationError) when the attempt would not pass the protocol.
    """
    payload = protocol.ContactAttemptPayload(
        channel=protocol.ContactChannel(channel),
        attempted_at=_aware(attempted_at, "attempted_at"),
        outcome=protocol.ContactOutcome(outcome),
        appointment_at=_aware(appointment_at, "appointment_at") if appointment_at else None,
        note=note,
        flagged=flagged,
        justification=justification,
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


# ----------------------------------------------------------------------------------------- attachments
def add_attachment(
    session: Session, store: DeviceStore, data: bytes | Path, content_type: str = "application/octet-stream"
) -> Attachment:
    """Copy ``data`` (encrypted) into the attachment folder under its SHA-256; idempotent by hash."""
    from fieldapp.store.blobs import write_blob

    sha, size, path = write_blob(store.attachments_dir, store.attachment_key(), data)
    existing = session.get(Attachment, sha)
    if existing is not None:
        if existing.confirmed:
            # The server already holds these bytes; the copy just written is not needed.
            path.unlink(missing_ok=True)
        return existing
    attachment = Attachment(
        sha256=sha, path=path.name, size=size, content_type=content_type, created_at=_utcnow(), confirmed=False
    )
    session.add(attachment)
    session.flush()
    return attachment


def attachment_path(store: DeviceStore, attachment: Attachment) -> Path:
    return store.attachments_dir / attachment.path


def read_attachment(store: DeviceStore, attachment: Attachment, offset: int = 0, length: int | None = None) -> bytes:
    """The plaintext bytes of a local attachment (raises BlobError once the bytes were confirmed and deleted)."""
    from fieldapp.store.blobs import read_blob

    return read_blob(attachment_path(store, attachment), store.attachment_key(), offset, length)


# ------------------------------------------------------------------------------------------------ cases
def search_text_for(case: Case | protocol.CaseRecord) -> str:
    """Lower-cased name, account, phone and address for the case list's search box."""
    parts = (case.debtor_name, case.account_ref, case.phone, case.address, case.city, case.district)
    return " ".join(p for p in parts if p).lower()


_CASE_FIELDS = tuple(
    name for name in protocol.CaseRecord.model_fields if name not in ("id", "flags", "attributes", "status", "appointment_at")
)


def apply_case(session: Session, record: protocol.CaseRecord) -> Case:
    """Insert or overwrite a case from the server (the server wins on every field it sends)."""
    return apply_cases(session, [record])[0]


def apply_cases(session: Session, records: list[protocol.CaseRecord]) -> list[Case]:
    """``apply_case`` for a page of records with a fixed number of queries (10,000 cases in seconds)."""
    if not records:
        return []
    ids = [r.id for r in records]
    id_for_ref = {r.account_ref: r.id for r in records}
    # A local case holding one of these account refs under another id (the server renumbered it,
    # or a tombstone was missed) must go first, or the unique ref would fail the whole page.
    clashing = [
        case_id
        for case_id, ref in session.execute(
            select(Case.id, Case.account_ref).where(Case.account_ref.in_(list(id_for_ref)))
        )
        if id_for_ref[ref] != case_id
    ]
    if clashing:
        session.execute(delete(Case).where(Case.id.in_(clashing)))
    existing = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(ids)))}
    applied: list[Case] = []
    for record in records:
        case = existing.get(record.id)
        if case is None:
            case = Case(id=record.id, sync_generation=0)
            session.add(case)
        for name in _CASE_FIELDS:
            setattr(case, name, getattr(record, name))
        case.status = record.status.value
        case.flags = list(record.flags)
        case.attributes = dict(record.attributes)
        # The server's appointment wins when it has one; when it has none, an appointment this device
        # logged stays, since the server may not derive appointments from contact attempts and losing
        # one would block a visit the debtor agreed to (CN1).
        if record.appointment_at is not None:
            case.appointment_at = record.appointment_at
        case.search_text = search_text_for(record)
        applied.append(case)
    return applied


def remove_case(session: Session, case_id: int) -> None:
    """Delete a case (a tombstone). Its contact attempts, visits and outbox entries stay: they are work."""
    session.execute(delete(Case).where(Case.id == case_id))


def counts(session: Session) -> dict[str, int]:
    """``{"cases", "outbox_pending", "rejected"}`` for the status bar and ``fieldapp status``."""
    cases = session.scalar(select(func.count()).select_from(Case)) or 0
    rows: dict[str, int] = {
        state: n for state, n in session.execute(select(OutboxEntry.state, func.count()).group_by(OutboxEntry.state))
    }
    return {
        "cases": int(cases),
        "outbox_pending": int(rows.get(PENDING, 0)),
        "rejected": int(rows.get(REJECTED, 0) + rows.get(CONFLICT, 0)),
    }
