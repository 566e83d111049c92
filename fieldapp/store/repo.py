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
    from fieldapp.core.clock import CollectorDay, TrustedClock
    from fieldapp.core.notices import FilledNotice, IssuerConfig, NoticeTemplate
    from fieldapp.core.plans import PromiseToPay, SealedPlan
    from fieldapp.core.rules import RulePack
    from fieldapp.core.scripts import VisitScript
    from fieldapp.store.db import DeviceStore
    from fieldapp.store.models import NoticeRow, PlanInstalmentRow, PlanRow, PromiseRow

#: Outbox states: waiting to be sent, or kept with the server's reason for a person to see.
PENDING = "pending"
REJECTED = "rejected"
CONFLICT = "conflict"


def _utcnow() -> dt.datetime:
    from fieldapp.core.clock import device_now

    return device_now()


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
#: The team's working time zone as the server last published it (absent: the laptop's own zone).
META_WORK_ZONE = "work_zone"


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


def set_work_zone(session: Session, name: str | None) -> None:
    """Remember the working zone the server published (None or an unknown name: the laptop's own)."""
    from fieldapp.core.clock import known_zone
    from fieldapp.store.models import Meta

    row = session.get(Meta, META_WORK_ZONE)
    if known_zone(name) is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(Meta(key=META_WORK_ZONE, value=name))
    else:
        row.value = name  # type: ignore[assignment]


def work_zone(session: Session) -> dt.tzinfo:
    """The collector's working zone: the team's as published by the server, else the laptop's."""
    from fieldapp.core.clock import known_zone, laptop_zone

    return known_zone(_meta(session, META_WORK_ZONE)) or laptop_zone()


def collector_day(session: Session, clock: TrustedClock | None = None) -> CollectorDay:
    """The collector's day: ``clock`` (default this store's trusted clock) in the working zone."""
    from fieldapp.core.clock import CollectorDay

    clock = clock if clock is not None else trusted_clock(session)
    return CollectorDay(clock.now, work_zone(session))


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


# ---------------------------------------------------------------------------------- plans, promises
def record_plan(session: Session, sealed: SealedPlan, *, case_id: int, at: dt.datetime | None = None) -> PlanRow:
    """Store a sealed plan with its schedule, audit it and queue it (kind ``plan``), in one transaction.

    ``sealed`` is what core.plans.seal_plan returned, moved to the status the policy gives it
    (``sealed.with_status(verdict.status_after_signing(...))``: pending_approval or active). Its
    signatures must already be attachments (add_attachment) so they upload by their SHA-256.
    Raises ValueError when the seal does not verify.
    """
    from fieldapp.core.money import to_minor
    from fieldapp.core.plans import verify_seal
    from fieldapp.store.models import PlanInstalmentRow, PlanRow

    if not verify_seal(sealed):
        raise ValueError("the plan does not match its seal")
    plan = sealed.plan
    now = _utcnow()
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
    from fieldapp.core.money import to_minor
    from fieldapp.store.models import PromiseRow

    row = PromiseRow(id=promise.id, case_id=case_id, currency=promise.currency, due_on=promise.due_on,
                     amount_minor=to_minor(promise.amount, promise.currency), made_on=promise.made_on,
                     status="pending", paid_minor=0, kept_on=None, created_at=_utcnow())
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
    from fieldapp.store.models import PlanInstalmentRow, PlanRow

    applied = 0
    for update in updates:
        row = session.get(PlanRow, update.plan_id)
        if row is None:
            continue
        row.status = update.status
        row.decided_by, row.decided_at, row.decision_comment = update.decided_by, update.decided_at, update.comment
        row.updated_at = _utcnow()
        for state in update.instalments:
            item = session.get(PlanInstalmentRow, (update.plan_id, state.number))
            if item is not None:
                item.paid_minor, item.status, item.paid_on = state.paid_minor, state.status, state.paid_on
        applied += 1
    return applied


def apply_promise_updates(session: Session, updates: list[protocol.PromiseUpdate]) -> int:
    from fieldapp.store.models import PromiseRow

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
    from fieldapp.store.models import PlanRow

    return list(session.scalars(select(PlanRow).where(PlanRow.case_id == case_id).order_by(PlanRow.created_at.desc())))


def latest_plan_statuses(session: Session) -> dict[int, str]:
    """Each case's newest plan status (``broken``, ``pending_approval`` …) in one query, for the case list."""
    from fieldapp.store.models import PlanRow

    out: dict[int, str] = {}
    for case_id, status in session.execute(select(PlanRow.case_id, PlanRow.status).order_by(PlanRow.created_at)):
        out[int(case_id)] = status
    return out


def plan_instalments(session: Session, plan_id: str) -> list[PlanInstalmentRow]:
    from fieldapp.store.models import PlanInstalmentRow

    return list(session.scalars(select(PlanInstalmentRow).where(PlanInstalmentRow.plan_id == plan_id)
                                .order_by(PlanInstalmentRow.number)))


def promises_for_case(session: Session, case_id: int) -> list[PromiseRow]:
    from fieldapp.store.models import PromiseRow

    return list(session.scalars(select(PromiseRow).where(PromiseRow.case_id == case_id).order_by(PromiseRow.due_on)))


# ------------------------------------------------------------------------------------------ notices
def record_printed_notice(
    session: Session,
    notice: FilledNotice,
    *,
    case_id: int | None,
    printed_at: dt.datetime | None = None,
    copies: int = 1,
    delivery: str | None = None,
) -> NoticeRow:
    """Record a print of ``notice`` as the GUI and ``fieldapp notice render`` both must: the notice
    row (token, code, template), an audit event and the outbox record (kind ``notice``) that
    registers the token on the server — all in the caller's transaction.

    Printing the same notice again (same token) records only a ``notice-reprinted`` audit event.
    ``delivery`` (protocol.NoticeDelivery value) when already known; else record_notice_delivery later.
    """
    from fieldapp.store.models import NoticeRow

    when = _aware(printed_at, "printed_at") if printed_at is not None else trusted_clock(session).now()
    existing = session.get(NoticeRow, notice.token)
    detail = {"token": notice.token, "template_id": notice.template_id, "template_version": notice.template_version,
              "language": notice.language, "content_hash": notice.content_hash, "copies": copies}
    if existing is not None:
        existing.copies += copies
        append_audit(session, "notice-reprinted", detail, at=when, case_id=case_id)
        return existing
    method = protocol.NoticeDelivery(delivery) if delivery is not None else None
    payload = protocol.NoticePayload(**notice.record(), printed_at=when, delivery=method,
                                     delivered_at=when if method is not None else None)
    wire = payload.model_dump(mode="json")
    row = NoticeRow(token=notice.token, code=notice.verify_code, case_id=case_id, template_id=notice.template_id,
                    template_version=notice.template_version, language=notice.language,
                    content_hash=notice.content_hash, issued_on=notice.issued_on, printed_at=when, copies=copies,
                    delivery=method.value if method else None, delivered_at=payload.delivered_at, record=wire)
    session.add(row)
    case = session.get(Case, case_id) if case_id is not None else None
    enqueue(session, "notice", wire, case_id=case_id, base_revision=case.revision if case else None, created_at=when)
    append_audit(session, "notice-printed", detail, at=when, case_id=case_id)
    return row


def record_issued_agreement(
    session: Session,
    sealed: SealedPlan,
    *,
    token: str,
    issuer: IssuerConfig,
    case_id: int | None,
    issued_at: dt.datetime | None = None,
) -> NoticeRow:
    """Register the verification token printed on a signed agreement's QR code, as a notice record
    (template_id protocol.AGREEMENT_DOCUMENT_ID, hashes = the plan's seal), so the public page can
    say the agreement is genuine. Audited and queued in the caller's transaction; a second call for
    the same token records only a reprint."""
    from fieldapp.core.forms import LANGUAGES
    from fieldapp.core.notices import verification_code
    from fieldapp.core.plans import SEAL_VERSION
    from fieldapp.store.models import NoticeRow

    when = _aware(issued_at, "issued_at") if issued_at is not None else trusted_clock(session).now()
    existing = session.get(NoticeRow, token)
    if existing is not None:
        existing.copies += 1
        append_audit(session, "agreement-reprinted", {"token": token, "plan_id": sealed.id}, at=when, case_id=case_id)
        return existing

    def both(value: Any) -> dict[str, str]:
        if isinstance(value, dict):
            fallback = next((v for v in value.values() if v), "")
            return {lang: value.get(lang) or fallback for lang in LANGUAGES}
        return {lang: str(value) for lang in LANGUAGES}

    plan = sealed.plan
    payload = protocol.NoticePayload(
        token=token, code=verification_code(token), template_id=protocol.AGREEMENT_DOCUMENT_ID,
        template_version=f"seal-{SEAL_VERSION}", template_hash=sealed.seal, language=plan.language,
        content_hash=sealed.seal, issued_on=plan.agreed_on, creditor_name=both(issuer.creditor_name),
        agency_name=both(issuer.agency_name), printed_at=when)
    wire = payload.model_dump(mode="json")
    row = NoticeRow(token=token, code=payload.code, case_id=case_id, template_id=payload.template_id,
                    template_version=payload.template_version, language=payload.language,
                    content_hash=payload.content_hash, issued_on=payload.issued_on, printed_at=when, copies=1,
                    delivery=None, delivered_at=None, record=wire)
    session.add(row)
    case = session.get(Case, case_id) if case_id is not None else None
    enqueue(session, "notice", wire, case_id=case_id, base_revision=case.revision if case else None, created_at=when)
    append_audit(session, "agreement-issued", {"token": token, "plan_id": sealed.id, "seal_sha256": sealed.seal},
                 at=when, case_id=case_id)
    return row


def record_notice_delivery(session: Session, token: str, delivery: str, *, at: dt.datetime | None = None,
                           note: str = "") -> NoticeRow:
    """Record how a printed notice was delivered (handed_to_debtor, sealed_envelope, refused,
    not_delivered); audited and queued (kind ``notice_delivery``). KeyError for an unknown token."""
    from fieldapp.store.models import NoticeRow

    row = session.get(NoticeRow, token)
    if row is None:
        raise KeyError(f"no notice with token {token} on this device")
    when = _aware(at, "at") if at is not None else trusted_clock(session).now()
    payload = protocol.NoticeDeliveryPayload(token=token, delivery=protocol.NoticeDelivery(delivery),
                                             delivered_at=when, note=note)
    row.delivery, row.delivered_at = payload.delivery.value, when
    enqueue(session, "notice_delivery", payload.model_dump(mode="json"), case_id=row.case_id, created_at=when)
    append_audit(session, "notice-delivered", {"token": token, "delivery": payload.delivery.value, "note": note},
                 at=when, case_id=row.case_id)
    return row


def notices_for_case(session: Session, case_id: int) -> list[NoticeRow]:
    from fieldapp.store.models import NoticeRow

    return list(session.scalars(select(NoticeRow).where(NoticeRow.case_id == case_id).order_by(NoticeRow.printed_at)))


def case_record(case: Case) -> protocol.CaseRecord:
    """A stored case as the protocol's CaseRecord (what fieldapp.documents' notice_for_case takes)."""
    return protocol.CaseRecord(
        id=case.id, revision=case.revision, account_ref=case.account_ref, debtor_name=case.debtor_name,
        id_number_masked=case.id_number_masked, phone=case.phone, address=case.address, city=case.city,
        district=case.district, timezone=case.timezone, currency=case.currency, principal=case.principal,
        fees=case.fees, total_due=case.total_due, dpd=case.dpd, overdue_since=case.overdue_since,
        last_payment_date=case.last_payment_date, last_payment_amount=case.last_payment_amount,
        risk_grade=case.risk_grade, creditor=case.creditor, product=case.product,
        jurisdiction=case.jurisdiction,  # type: ignore[arg-type]
        status=protocol.CaseStatus(case.status), flags=list(case.flags or []),
        attributes={str(k): str(v) for k, v in (case.attributes or {}).items()}, appointment_at=case.appointment_at,
    )
