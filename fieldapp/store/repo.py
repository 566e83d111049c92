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
from fieldapp.store.models import Attachment, Case, ContactAttempt, FormVersion, OutboxEntry

if TYPE_CHECKING:
    from fieldapp.core.audit import AuditEvent
    from fieldapp.core.clock import TrustedClock
    from fieldapp.core.notices import NoticeTemplate
    from fieldapp.core.rules import RulePack
    from fieldapp.core.scripts import VisitScript
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


# ------------------------------------------------------------------------------------------- meta
#: Meta keys written at enrollment and sync (the same names fieldapp.sync.client uses).
META_DEVICE_ID = "device_id"
META_USERNAME = "username"
#: TrustedClock.to_dict() as JSON, saved after each sync that heard the server's time.
META_TRUSTED_CLOCK = "trusted_clock"


def _meta(session: Session, key: str) -> str | None:
    from fieldapp.store.models import Meta

    return session.scalar(select(Meta.value).where(Meta.key == key))


def trusted_clock(session: Session, **clock_options: Any) -> TrustedClock:
    """A fieldapp.core.clock.TrustedClock primed with the server time learned at the last sync.

    Before any sync it reads the device clock (``source == "device"``); after a reboot since the
    sync, the device clock corrected by the skew seen then. ``clock_options`` go to TrustedClock
    (``monotonic``, ``device_now``) for tests.
    """
    import json

    from fieldapp.core.clock import TrustedClock

    clock = TrustedClock(**clock_options)
    raw = _meta(session, META_TRUSTED_CLOCK)
    if raw:
        try:
            clock.restore(json.loads(raw))
        except (ValueError, TypeError, KeyError):
            pass  # an unreadable saved state: as if never synced, which the reading says
    return clock


# ------------------------------------------------------------------------------------------ audit
def _audit_head(session: Session) -> str:
    from fieldapp.core.audit import GENESIS
    from fieldapp.store.models import AuditEventRow

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
    from fieldapp.core.audit import AuditEvent
    from fieldapp.store.models import AuditEventRow

    when = _aware(at, "at") if at is not None else trusted_clock(session).now()
    event = AuditEvent(
        who=who if who is not None else (_meta(session, META_USERNAME) or ""),
        device=_meta(session, META_DEVICE_ID) or "",
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
    from fieldapp.core.audit import AuditEvent
    from fieldapp.store.models import AuditEventRow

    stmt = select(AuditEventRow).order_by(AuditEventRow.seq)
    if case_id is not None:
        stmt = stmt.where(AuditEventRow.case_id == case_id)
    return [AuditEvent(who=r.who, device=r.device, action=r.action, detail=r.detail, at=r.at, prev_hash=r.prev_hash,
                       hash=r.hash) for r in session.scalars(stmt)]


def verify_audit_chain(session: Session) -> int | None:
    """Index of the first event that breaks the local chain, or None when it is whole."""
    from fieldapp.core.audit import verify

    return verify(audit_events(session))


# ------------------------------------------------------------------------------------------ forms
def save_form_version(session: Session, form: protocol.FormContent) -> bool:
    """Keep a version received from the server; True when it is new. FormError when the content
    does not parse or does not hash to ``form.content_hash`` (it is then not stored)."""
    from fieldapp.core.canonical import content_hash
    from fieldapp.core.forms import FormError, load_yaml
    from fieldapp.store.models import FormVersion

    if session.get(FormVersion, form.content_hash) is not None:
        return False
    data = load_yaml(form.content)
    if content_hash(data) != form.content_hash:
        raise FormError(f"{form.kind} {form.form_id} {form.version} does not match its content hash")
    session.add(FormVersion(content_hash=form.content_hash, kind=form.kind, form_id=form.form_id, version=form.version,
                            content=form.content, published_at=form.published_at, received_at=_utcnow()))
    return True


def form_versions(session: Session, kind: str | None = None, form_id: str | None = None) -> list[FormVersion]:
    """Received versions, oldest first (every version is kept: a visit started on one finishes on it)."""
    from fieldapp.store.models import FormVersion

    stmt = select(FormVersion).order_by(FormVersion.received_at)
    if kind is not None:
        stmt = stmt.where(FormVersion.kind == kind)
    if form_id is not None:
        stmt = stmt.where(FormVersion.form_id == form_id)
    return list(session.scalars(stmt))


def _pick_form(session: Session, kind: str, form_id: str, bundled: dict[str, Any] | None, *,
               version: str | None, content_hash: str | None) -> dict[str, Any]:
    """The parsed data of the form to use: an exact version/hash when asked, else the newest.

    Newest is by version number across received and bundled versions; on a tie the received one wins.
    """
    from fieldapp.core.canonical import content_hash as hash_of
    from fieldapp.core.forms import FormError, load_yaml

    # (version number, received?, content hash, version text, row or bundled data)
    candidates: list[tuple[tuple[int, ...], int, str, str, Any]] = []
    for row in form_versions(session, kind, form_id):
        candidates.append((protocol.parse_version(row.version), 1, row.content_hash, row.version, row))
    if bundled is not None:
        text = str(bundled.get("version", ""))
        candidates.append((protocol.parse_version(text), 0, hash_of(bundled), text, bundled))
    if content_hash is not None:
        candidates = [c for c in candidates if c[2] == content_hash]
    elif version is not None:
        candidates = [c for c in candidates if c[3] == version]
    if not candidates:
        wanted = f" {content_hash or version}" if (content_hash or version) else ""
        raise FormError(f"no {kind.replace('_', ' ')} {form_id}{wanted} on this device; sync to receive it")
    best = max(candidates, key=lambda c: (c[0], c[1]))[4]
    return dict(best) if isinstance(best, dict) else dict(load_yaml(best.content))


def visit_script(session: Session, script_id: str, *, version: str | None = None,
                 content_hash: str | None = None) -> VisitScript:
    """The script to run: the newest received or bundled version, or exactly the one a visit
    started on (``content_hash`` from its VisitPayload.script_hash). FormError when there is none."""
    from fieldapp.core.forms import bundled_script_data
    from fieldapp.core.scripts import VisitScript

    data = _pick_form(session, "script", script_id, bundled_script_data().get(script_id),
                      version=version, content_hash=content_hash)
    return VisitScript.from_dict(data)


def rule_pack(session: Session, jurisdiction: str, *, version: str | None = None,
              content_hash: str | None = None) -> RulePack:
    """The rule pack to apply for ``jurisdiction`` (newest received or bundled, or an exact one)."""
    from fieldapp.core.forms import bundled_rule_pack_data
    from fieldapp.core.rules import RulePack

    jurisdiction = jurisdiction.upper()
    data = _pick_form(session, "rule_pack", jurisdiction, bundled_rule_pack_data().get(jurisdiction),
                      version=version, content_hash=content_hash)
    return RulePack.from_dict(data)


def notice_template(session: Session, template_id: str, *, version: str | None = None,
                    content_hash: str | None = None) -> NoticeTemplate:
    """The notice template to print (newest received or bundled, or an exact one)."""
    from fieldapp.core.notices import NoticeTemplate, bundled_notice_templates

    bundled = bundled_notice_templates().get(template_id)
    data = _pick_form(session, "notice", template_id, dict(bundled.data) if bundled else None,
                      version=version, content_hash=content_hash)
    return NoticeTemplate(data)
