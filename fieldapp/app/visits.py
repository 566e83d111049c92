"""The visit's reads and writes on the device store (no Qt): run them on Tasks, never on the GUI thread.

Everything the wizard needs to decide "may this visit start?" is read in one go
(:func:`load_visit_context`); every answer is saved as it is given (:func:`save_draft`, the
runner's whole state in the Visit row, with its audit events in the same transaction), and a
finished visit is queued for the server (:func:`complete_visit`). A crash loses at most the answer
being typed: the draft holds the script the visit started on, so a resumed visit finishes on it.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from fieldapp import protocol
from fieldapp.app.issuers import IssuerSettings, load_issuer_settings
from fieldapp.core.clock import debtor_today
from fieldapp.core.forms import FormError
from fieldapp.core.money import format_amount, parse_amount
from fieldapp.core.plans import PromiseToPay
from fieldapp.core.rules import CaseFacts, ContactRecord, RulePack, Verdict
from fieldapp.core.script_runner import ScriptRunner
from fieldapp.core.scripts import VisitScript
from fieldapp.core.visit import PromiseLimits
from fieldapp.store import repo
from fieldapp.store.models import Case, ContactAttempt, PromiseRow, Visit
from fieldapp.store.work import audited_write

if TYPE_CHECKING:
    from fieldapp.core.clock import TrustedClock

log = logging.getLogger(__name__)

#: The script a visit starts on, per jurisdiction (the debtor's script; it switches to the
#: third-party script itself when the person at the door is not the debtor).
SCRIPT_FOR = {"CN": "cn-home-visit", "US": "us-home-visit"}
#: Contact-attempt outcomes that mean the collector spoke with the debtor (a "conversation").
CONNECTED_OUTCOMES = ("connected", "appointment", "refused")
#: Audit actions written by the wizard and the contact dialog.
AUDIT_RULE_CHECK = "rule_check"
AUDIT_RULE_OVERRIDE = "rule_override"


@dataclass
class VisitContext:
    """What the wizard needs for one case, read in one transaction (plain values and core objects)."""

    case: dict[str, Any]
    facts: CaseFacts
    history: list[ContactRecord]
    pack: RulePack
    script: VisitScript | None
    draft: dict[str, Any] | None = None  # {"id", "started_at", "payload"} of an unfinished visit
    blocked_contacts: list[dict[str, str]] = field(default_factory=list)  # {"id", "label", "at"}
    username: str = ""
    display_name: str = ""
    #: The collector's working zone (repo.work_zone): what the wizard compares the debtor's clock with.
    work_zone: dt.tzinfo = dt.UTC
    #: Letters printed for the case before the visit (today's notices) and not yet delivered.
    undelivered_notices: list[str] = field(default_factory=list)

    def promise_limits(self, now: dt.datetime) -> PromiseLimits:
        """What a promise given in the script must respect, at ``now`` in the debtor's day."""
        return PromiseLimits(today=debtor_today(self.case.get("timezone") or "Asia/Shanghai", now),
                             balance_minor=int(self.case.get("total_due") or 0),
                             currency=self.case.get("currency") or "CNY")


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def contact_key(label: str) -> str:
    """The id of a third party met at the door, from how they relate to the debtor ("母亲" → "door:母亲")."""
    cleaned = " ".join(str(label or "").split()).lower()
    return f"door:{cleaned or 'unknown'}"


def contact_history(session: Any, case_id: int) -> list[ContactRecord]:
    """Every earlier call, message and visit for the case (by anyone on this laptop), for the rules."""
    records = [
        ContactRecord(at=_utc(a.attempted_at), channel=a.channel, connected=a.outcome in CONNECTED_OUTCOMES,  # type: ignore[arg-type]
                      by=a.username, contact="phone:third_party" if a.outcome == "third_party" else None,
                      appointment_at=_utc(a.appointment_at))
        for a in session.scalars(select(ContactAttempt).where(ContactAttempt.case_id == case_id))
    ]
    for v in session.scalars(select(Visit).where(Visit.case_id == case_id, Visit.state == "complete")):
        payload = v.payload or {}
        facts = (payload.get("visit") or {}).get("facts") or {}
        contact = None if not payload.get("third_party") else contact_key(payload.get("contact_label", ""))
        records.append(ContactRecord(at=_utc(v.started_at), channel="visit",  # type: ignore[arg-type]
                                     connected=bool(facts.get("identity_confirmed")), contact=contact))
    return records


def blocked_contacts(session: Any, case_id: int) -> list[dict[str, str]]:
    """Third parties who said "do not contact me" on an earlier visit to this case (never approached again)."""
    out: dict[str, dict[str, str]] = {}
    for v in session.scalars(select(Visit).where(Visit.case_id == case_id, Visit.state == "complete")
                             .order_by(Visit.started_at)):
        payload = v.payload or {}
        facts = (payload.get("visit") or {}).get("facts") or {}
        if facts.get("do_not_contact"):
            label = payload.get("contact_label", "")
            out[contact_key(label)] = {"id": contact_key(label), "label": label,
                                       "at": _utc(v.started_at).isoformat()}  # type: ignore[union-attr]
    return list(out.values())


def case_facts(case: dict[str, Any], blocked: list[dict[str, str]]) -> CaseFacts:
    attributes = case.get("attributes") or {}
    valid_until = attributes.get("collector_credential_valid_until")
    return CaseFacts(
        jurisdiction=case.get("jurisdiction") or "CN", timezone=case.get("timezone") or "Asia/Shanghai",
        flags=frozenset(case.get("flags") or ()), appointment_at=_utc(case.get("appointment_at")),
        blocked_contacts=frozenset(b["id"] for b in blocked),
        collector_credential_valid_until=dt.date.fromisoformat(valid_until) if valid_until else None,
    )


def _case_dict(case: Any) -> dict[str, Any]:
    data = {col.name: getattr(case, col.key) for col in Case.__table__.columns}  # type: ignore[attr-defined]
    for key in ("appointment_at", "last_contact_at"):
        data[key] = _utc(data[key])
    return data


def load_visit_context(store: Any, case_id: int) -> VisitContext | None:
    """The case, its rule pack, script, contact history and unfinished visit; None if the case is gone."""
    with store.session() as session:
        row = session.get(Case, case_id)
        if row is None:
            return None
        case = _case_dict(row)
        blocked = blocked_contacts(session, case_id)
        pack = repo.rule_pack(session, case["jurisdiction"] or "CN")
        script_id = SCRIPT_FOR.get((case["jurisdiction"] or "CN").upper())
        script = None
        if script_id:
            try:
                script = repo.visit_script(session, script_id)
            except FormError:
                script = None
        draft_row = session.scalar(select(Visit).where(Visit.case_id == case_id, Visit.state == "draft")
                                   .order_by(Visit.started_at.desc()).limit(1))
        draft = None
        if draft_row is not None and (draft_row.payload or {}).get("runner"):
            draft = {"id": draft_row.id, "started_at": _utc(draft_row.started_at), "payload": dict(draft_row.payload)}
        undelivered = [n.token for n in repo.notices_for_case(session, case_id)
                       if n.delivery is None and n.template_id != protocol.AGREEMENT_DOCUMENT_ID]
        context = VisitContext(case=case, facts=case_facts(case, blocked), history=contact_history(session, case_id),
                               pack=pack, script=script, draft=draft, blocked_contacts=blocked,
                               work_zone=repo.work_zone(session), undelivered_notices=undelivered)
    meta = store.meta()
    context.username = meta.get("username", "")
    context.display_name = meta.get("display_name") or context.username
    return context


def audit(store: Any, action: str, detail: dict[str, Any], *, case_id: int | None, at: dt.datetime | None = None) -> str:
    """Append one audit event (its own transaction); returns its hash."""
    return audited_write(store, lambda session: repo.append_audit(session, action, detail, at=at, case_id=case_id).hash)


def clock_detail(reading: Any) -> dict[str, Any]:
    """A ClockReading for an audit event (no floats there: the skew in whole seconds)."""
    data = reading.to_dict()
    if data.get("device_skew_seconds") is not None:
        data["device_skew_seconds"] = round(data["device_skew_seconds"])
    return data


def check_detail(action: str, verdict: Verdict, reading: Any, *, justification: str = "",
                 contact: str | None = None) -> dict[str, Any]:
    """The audit detail of one rule check: what was asked, the answer and the clock it read."""
    detail: dict[str, Any] = {"action": action, "verdict": verdict.to_dict(), "clock": clock_detail(reading)}
    if justification:
        detail["justification"] = justification
    if contact:
        detail["contact"] = contact
    return detail


def placeholder_values(case: dict[str, Any], issuer: Any, *, language: str, collector_name: str,
                       collector_id: str, verify_base: str, today: dt.date) -> dict[str, Any]:
    """What the script's placeholders say. The runner withholds the disclosing ones until identity."""
    currency = case.get("currency") or "CNY"

    def text(value: Any) -> str:
        if isinstance(value, dict):
            return str(value.get(language) or next(iter(value.values()), ""))
        return str(value or "")

    account = case.get("account_ref") or ""
    return {
        "debtor_name": case.get("debtor_name", ""), "collector_name": collector_name, "collector_id": collector_id,
        "callback_phone": text(getattr(issuer, "agency_phone", "")) or text(getattr(issuer, "creditor_phone", "")),
        "today": today.isoformat(),
        "total_due": format_amount(case.get("total_due") or 0, currency),
        "amount": format_amount(case.get("total_due") or 0, currency),
        "principal": format_amount(case.get("principal") or 0, currency),
        "fees": format_amount(case.get("fees") or 0, currency), "currency": currency,
        "creditor_name": text(getattr(issuer, "creditor_name", "")) or case.get("creditor", ""),
        "agency_name": text(getattr(issuer, "agency_name", "")),
        "creditor_phone": text(getattr(issuer, "creditor_phone", "")),
        "dispute_phone": text(getattr(issuer, "dispute_phone", "")) or text(getattr(issuer, "creditor_phone", "")),
        "dispute_address": text(getattr(issuer, "dispute_address", "")),
        "account_ref": account[-4:] if len(account) > 4 else account,
        "dpd": str(case.get("dpd", "")), "overdue_since": str(case.get("overdue_since") or ""),
        "verify_url": spoken_site(verify_base, language),
    }


#: Said instead of a verification site a debtor could not reach (a test or demo server on this laptop).
_PRINTED_SITE = {"zh-CN": "通告函上印的网址", "en": "the address printed on the letter"}


def spoken_site(base: str, language: str) -> str:
    """The verification site as read aloud at the door: its address, unless it is one only this
    laptop or its network reaches (loopback, a private address, "localhost") — then the letter's."""
    import ipaddress
    from urllib.parse import urlsplit

    host = (urlsplit(base).hostname or "").lower()
    try:
        private = not ipaddress.ip_address(host).is_global
    except ValueError:
        private = host in ("", "localhost") or host.endswith((".localhost", ".local", ".internal"))
    if private:
        return _PRINTED_SITE.get(language, _PRINTED_SITE["en"])
    return base.rstrip("/") + "/v"


# ------------------------------------------------------------------------------------------ writes
def new_visit_id() -> str:
    return str(uuid.uuid4())


def save_draft(store: Any, visit_id: str, case_id: int, started_at: dt.datetime, payload: dict[str, Any],
               events: list[tuple[str, dict[str, Any], dt.datetime]]) -> str:
    """Write the unfinished visit (its whole state) and its new audit events in one transaction.

    Refuses to touch a visit that is already complete (a late save after the finish is dropped).
    """
    def work(session: Any) -> str:
        row = session.get(Visit, visit_id)
        if row is not None and row.state != "draft":
            return str(row.state)
        if row is None:
            row = Visit(id=visit_id, case_id=case_id, started_at=started_at, state="draft", payload=payload)
            session.add(row)
        elif int((row.payload or {}).get("revision", 0)) <= int(payload.get("revision", 0)):
            row.payload = payload  # else a newer state is already saved: keep it (its events still count)
        for action, detail, at in events:
            repo.append_audit(session, action, detail, at=at, case_id=case_id)
        return "draft"

    return str(audited_write(store, work))


def add_evidence(store: Any, path: str, content_type: str) -> dict[str, Any]:
    """Copy a file (encrypted) into the attachment store; returns its SHA-256, size and type."""
    from pathlib import Path


    with store.session() as session:
        attachment = repo.add_attachment(session, store, Path(path), content_type)
        session.commit()
        return {"sha256": attachment.sha256, "size": attachment.size, "content_type": content_type,
                "name": Path(path).name}


def visit_payload(runner: ScriptRunner, payload: dict[str, Any], *, started_at: dt.datetime,
                  ended_at: dt.datetime, utc_offset_minutes: int) -> protocol.VisitPayload:
    """The record the server receives: script id/version/hash, answers, outcome, attachments by hash."""
    fields = runner.visit_fields()
    follow_up = payload.get("follow_up_on")
    answers = [protocol.VisitAnswer(step_id=a["step_id"], answer=a["answer"],
                                    answered_at=dt.datetime.fromisoformat(a["answered_at"]))
               for a in fields["answers"]]
    outcome = payload.get("outcome_override") or fields["outcome"] or (
        "third_party_only" if runner.is_third_party else "not_at_home")
    return protocol.VisitPayload(
        started_at=started_at, ended_at=ended_at, utc_offset_minutes=utc_offset_minutes,
        address_confirmed=bool(payload.get("address_confirmed")), script_id=fields["script_id"],
        script_version=fields["script_version"], script_hash=fields["script_hash"],
        identity_confirmed=fields["identity_confirmed"],
        present=["third_party"] if runner.is_third_party else (["debtor"] if fields["identity_confirmed"] else []),
        answers=answers, outcome=protocol.VisitOutcome(outcome),
        follow_up_on=dt.date.fromisoformat(follow_up) if follow_up else None,
        attachments=[a["sha256"] for a in payload.get("attachments", [])],
        note=str(payload.get("note", ""))[:4000], flagged=bool(payload.get("flagged")),
        justification=str(payload.get("justification", ""))[:2000],
    )


def complete_visit(store: Any, visit_id: str, case_id: int, started_at: dt.datetime, payload: dict[str, Any],
                   record: dict[str, Any], ended_at: dt.datetime,
                   events: list[tuple[str, dict[str, Any], dt.datetime]]) -> str:
    """Mark the visit complete and queue it for the server, with its last audit events, in one transaction.

    ``record`` is ``visit_payload(...).model_dump(mode="json")``. Idempotent: a visit already
    complete is left as it is.
    """
    def work(session: Any) -> str:
        row = session.get(Visit, visit_id)
        if row is None:
            row = Visit(id=visit_id, case_id=case_id, started_at=started_at, state="draft", payload=payload)
            session.add(row)
        if row.state == "complete":
            return visit_id
        row.payload = payload
        row.state = "complete"
        row.ended_at = ended_at
        row.outcome = record["outcome"]
        for action, detail, at in events:
            repo.append_audit(session, action, detail, at=at, case_id=case_id)
        repo.append_audit(session, "visit_completed", {
            "visit_id": visit_id, "outcome": record["outcome"], "script_id": record["script_id"],
            "script_version": record["script_version"], "script_hash": record["script_hash"],
            "attachments": record["attachments"], "flagged": record["flagged"]}, at=ended_at, case_id=case_id)
        letters = [*payload.get("printed_before", []), *payload.get("notices", [])]
        if letters:
            record_delivery(session, letters, payload.get("delivery") or "not_delivered", at=ended_at)
        promise = script_promise(payload, case_id=case_id, visit_id=visit_id, made_at=ended_at, session=session)
        if promise is not None and session.get(PromiseRow, promise.id) is None:
            repo.record_promise(session, promise, case_id=case_id, at=ended_at)
            repo.append_audit(session, "promise-visit", {"promise_id": promise.id, "visit_id": visit_id},
                              at=ended_at, case_id=case_id)
        case = session.get(Case, case_id)
        if case is not None and (case.last_contact_at is None or ended_at > case.last_contact_at):
            case.last_contact_at = ended_at  # a visit is a contact: the list's Last contact and Status say so
        repo.enqueue(session, "visit", record, case_id=case_id, base_revision=case.revision if case else None,
                     record_id=visit_id, created_at=ended_at)
        return visit_id

    return str(audited_write(store, work))


__all__ = ("SCRIPT_FOR", "VisitContext", "add_evidence", "audit", "blocked_contacts", "case_facts",
           "complete_visit", "contact_history", "contact_key", "load_visit_context", "new_visit_id",
           "placeholder_values", "save_draft", "visit_payload")


def script_promise(payload: dict[str, Any], *, case_id: int, visit_id: str, made_at: dt.datetime,
                   session: Any) -> PromiseToPay | None:
    """The promise to pay the debtor gave in the script (its date and amount steps), as the same
    record the plan editor's promise tab makes, so follow-ups and the lead track it alike. Its id is
    derived from the visit's, so completing twice records it once."""
    given = payload.get("promise")
    case = session.get(Case, case_id)
    if not given or case is None:
        return None
    currency = case.currency or "CNY"
    return PromiseToPay(dt.date.fromisoformat(given["due_on"]), parse_amount(given["amount"], currency), currency,
                        made_on=debtor_today(case.timezone or "Asia/Shanghai", made_at), case_ref=case.account_ref,
                        id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"fieldapp:visit-promise:{visit_id}")))


def visit_start(store: Any, case_id: int) -> tuple[VisitContext | None, TrustedClock, IssuerSettings]:
    """What opening a visit needs: the context (None when the case is gone), the store's trusted
    clock, and the issuer profiles the script's disclosures name. A creditor without a profile does not
    block a visit: the script then names no agency, and printing says whom to ask."""
    context = load_visit_context(store, case_id)
    with store.session() as session:
        clock = repo.trusted_clock(session)
    return context, clock, load_issuer_settings(store)


def record_delivery(session: Any, tokens: list[str], delivery: str, *, at: dt.datetime, note: str = "") -> None:
    """How the notices printed in a visit were delivered (in the caller's transaction); unknown
    tokens (printed by an older build) are skipped."""
    for token in tokens:
        try:
            repo.record_notice_delivery(session, token, delivery, at=at, note=note)
        except KeyError:
            continue
