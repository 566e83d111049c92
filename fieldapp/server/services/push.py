"""Storing a pushed batch: idempotent inserts, duplicates, conflicts and readable rejections (PRODUCT.md §7.1–7.3)."""

from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldapp import protocol
from fieldapp.server.db import (
    Case,
    Device,
    Record,
    RecordConflict,
    Tombstone,
    audit,
    insert_ignoring_conflict,
    insert_many_ignoring_conflict,
    utcnow,
)
from fieldapp.server.services import audit_chains, verify
from fieldapp.server.services import plans as server_plans

#: How a collector would name a payload field in a sentence.
FIELD_NAMES = {
    "attempted_at": "the call time",
    "channel": "the contact channel",
    "outcome": "the outcome",
    "appointment_at": "the appointment time",
    "started_at": "the visit start time",
    "ended_at": "the visit end time",
    "utc_offset_minutes": "the local time offset",
    "answered_at": "the time of an answer",
    "step_id": "the script step of an answer",
    "follow_up_on": "the follow-up date",
    "attachments": "the attachment list",
    "note": "the note",
    "justification": "the justification",
    "agency_name": "the agency's name",
    "creditor_name": "the creditor's name",
}

#: Rows per multi-row INSERT (SQLite allows 32,766 bound values; a record has 12).
INSERT_GROUP = 250

KINDS_NEEDING_CASE = {"contact_attempt", "visit", "plan", "promise", "notice"}
#: Checks beyond the payload's shape, and what to store besides the record once it is accepted.
CHECKS = {"plan": server_plans.check_plan, "promise": server_plans.check_promise, "notice": verify.parse_notice}
STORES = {"plan": server_plans.store_plan, "promise": server_plans.store_promise,
          "notice": verify.store_notice, "notice_delivery": verify.store_delivery}


def explain_validation_error(exc: ValidationError) -> str:
    """The first problem of a payload, in words: ``the call time is missing``."""
    error = exc.errors()[0]
    # list positions and language keys ("zh-CN") say less than the field they are in
    loc = [str(part) for part in error.get("loc", ()) if not isinstance(part, int) and part not in ("zh-CN", "en")]
    name = loc[-1] if loc else "the payload"
    label = FIELD_NAMES.get(name, f"the field {name!r}")
    kind = error.get("type", "")
    if kind == "missing":
        return f"{label} is missing"
    if kind == "extra_forbidden":
        return f"it has a field this server does not know ({name!r})"
    if kind in ("timezone_aware", "datetime_from_date_parsing", "datetime_parsing", "datetime_type"):
        return f"{label} is not a date and time with a time zone"
    if kind == "enum":
        return f"{label} is not one of the allowed values"
    return f"{label} is not valid ({error.get('msg', 'invalid')})"


def store_batch(session: Session, device: Device, records: list[protocol.PushRecord]) -> list[protocol.PushResult]:
    """Store ``records`` in the caller's transaction; one result per record, in request order."""
    now = utcnow()
    results: dict[int, protocol.PushResult] = {}
    case_ids = {r.case_id for r in records if r.case_id is not None}
    cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(case_ids)))} if case_ids else {}
    # A case the collector holds, or held until it was reassigned or closed; any other is unknown to them.
    held = {i for i, c in cases.items() if c.assignee_id == device.user_id}
    if case_ids - held:
        held |= set(session.scalars(select(Tombstone.case_id).where(
            Tombstone.user_id == device.user_id, Tombstone.case_id.in_(case_ids - held))))

    # an agreement's notice may arrive with the plan it was sealed from
    batch_seals = {str(r.payload.get("seal_sha256")) for r in records if r.kind == "plan"}
    prepared: list[tuple[int, protocol.PushRecord, Case | None, dict[str, object], list[str]]] = []
    for position in sorted(range(len(records)), key=lambda i: str(records[i].id)):
        record = records[position]

        def rejected(reason: str, record: protocol.PushRecord = record) -> protocol.PushResult:
            return protocol.PushResult(
                id=record.id, status=protocol.RecordStatus.rejected, reason=f"this record was rejected because {reason}"
            )

        model = protocol.PAYLOAD_TYPES.get(record.kind)
        if model is None:
            results[position] = rejected(f"its kind {record.kind!r} is not known to this server")
            continue
        try:
            payload = model.model_validate(record.payload)
        except ValidationError as exc:
            results[position] = rejected(explain_validation_error(exc))
            continue
        if record.case_id is None and record.kind in KINDS_NEEDING_CASE:
            results[position] = rejected("it names no case")
            continue
        case = cases.get(record.case_id) if record.case_id is not None else None
        if record.case_id is not None and (case is None or case.id not in held):
            results[position] = rejected(f"case {record.case_id} does not exist on the server")
            continue

        notes: list[str] = []
        if record.kind in CHECKS:
            try:
                checked = CHECKS[record.kind](record.payload, case)
                if record.kind == "notice":
                    verify.check_notice(session, checked, case, batch_seals)  # type: ignore[arg-type]
            except (server_plans.PlanProblem, verify.NoticeProblem) as exc:
                results[position] = rejected(str(exc))
                continue
            if record.kind == "plan" and case is not None:
                status, reasons = server_plans.judged_status(session, checked, case)  # type: ignore[arg-type]
                if reasons:
                    notes.append(f"plan waits for a lead's approval: {'; '.join(reasons)}")

        # Data already collected is never lost: a record for a case taken away or closed since is
        # stored and flagged for a lead.
        if case is not None and case.assignee_id != device.user_id:
            notes.append("case was reassigned away from this collector")
        if case is not None and case.status == protocol.CaseStatus.closed:
            notes.append("case was closed")
        if getattr(payload, "broken_rules", None):
            notes.append(f"broke rule {', '.join(payload.broken_rules)} (the collector's explanation: "
                         f"{payload.justification.strip()[:300]})")
        elif getattr(payload, "flagged", False):
            notes.append("flagged on the device against a soft rule")

        digest = protocol.record_content_hash(record)
        values = dict(
            id=record.id,
            device_id=device.id,
            user_id=device.user_id,
            kind=record.kind,
            case_id=record.case_id,
            base_revision=record.base_revision,
            created_at=record.created_at,
            payload=record.payload,
            content_hash=digest,
            received_at=now,
        )
        prepared.append((position, record, case, values, notes))

    # One multi-row INSERT … ON CONFLICT DO NOTHING per group (rows in id order, so two batches lock
    # the same ids in the same order); an id repeated within the batch is judged like a re-push.
    first: dict[object, int] = {}
    for position, record, _case, _values, _notes in prepared:
        first.setdefault(record.id, position)
    rows = [{**values, "flagged": bool(notes), "notes": "; ".join(notes)}
            for position, record, _case, values, notes in prepared if first[record.id] == position]
    inserted: set[object] = set()
    for start in range(0, len(rows), INSERT_GROUP):
        inserted.update(insert_many_ignoring_conflict(session, Record.__table__, rows[start:start + INSERT_GROUP], "id"))
    again: list[tuple[int, protocol.PushRecord, dict[str, object]]] = []
    for position, record, case, values, _notes in prepared:
        if record.id in inserted and first[record.id] == position:
            if record.kind in STORES and (case is not None or record.kind not in KINDS_NEEDING_CASE):
                STORES[record.kind](session, device, record, case)
            results[position] = protocol.PushResult(id=record.id, status=protocol.RecordStatus.accepted)
        else:
            again.append((position, record, values))
    if again:
        ids = list({record.id for _p, record, _v in again})
        stored = dict(session.execute(select(Record.id, Record.content_hash).where(Record.id.in_(ids))).tuples().all())
        for position, record, values in again:
            if stored.get(record.id) == values["content_hash"]:
                results[position] = protocol.PushResult(id=record.id, status=protocol.RecordStatus.duplicate)
                continue
            conflict = {("record_id" if key == "id" else key): value for key, value in values.items()}
            insert_ignoring_conflict(session, RecordConflict.__table__, conflict, ["record_id", "content_hash"])
            results[position] = protocol.PushResult(
                id=record.id,
                status=protocol.RecordStatus.conflict,
                reason="a different version of this record was stored before; this one is kept for your team lead",
            )
    ordered = [results[i] for i in range(len(records))]
    # Chain order is the order the device made them, which is the request order.
    chained = [records[i].payload for i in range(len(records))
               if records[i].kind == "audit_event" and ordered[i].status == protocol.RecordStatus.accepted]
    audit_chains.extend(session, device, chained)
    stored = {status: sum(1 for r in ordered if r.status == status) for status in protocol.RecordStatus}
    if stored[protocol.RecordStatus.accepted] or stored[protocol.RecordStatus.conflict]:
        audit(session, f"device:{device.id}", "push", f"user:{device.user_id}",
              **{status.value: count for status, count in stored.items() if count})
    return ordered

