"""Printed notices, issued agreements and their deliveries."""

# Like every writer in fieldapp.store.repo: takes the caller's Session and does not commit.

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldapp import protocol
from fieldapp.core.forms import LANGUAGES
from fieldapp.core.plans import SEAL_VERSION
from fieldapp.core.verification import verification_code
from fieldapp.store.models import Case, NoticeRow
from fieldapp.store.repo.audit import append_audit
from fieldapp.store.repo.common import require_aware
from fieldapp.store.repo.meta import trusted_clock
from fieldapp.store.repo.outbox import enqueue

if TYPE_CHECKING:
    from fieldapp.core.notices import FilledNotice, IssuerConfig
    from fieldapp.core.plans import SealedPlan


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
    when = require_aware(printed_at, "printed_at") if printed_at is not None else trusted_clock(session).now()
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
    when = require_aware(issued_at, "issued_at") if issued_at is not None else trusted_clock(session).now()
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
    row = session.get(NoticeRow, token)
    if row is None:
        raise KeyError(f"no notice with token {token} on this device")
    when = require_aware(at, "at") if at is not None else trusted_clock(session).now()
    payload = protocol.NoticeDeliveryPayload(token=token, delivery=protocol.NoticeDelivery(delivery),
                                             delivered_at=when, note=note)
    row.delivery, row.delivered_at = payload.delivery.value, when
    enqueue(session, "notice_delivery", payload.model_dump(mode="json"), case_id=row.case_id, created_at=when)
    append_audit(session, "notice-delivered", {"token": token, "delivery": payload.delivery.value, "note": note},
                 at=when, case_id=row.case_id)
    return row


def notices_for_case(session: Session, case_id: int) -> list[NoticeRow]:
    return list(session.scalars(select(NoticeRow).where(NoticeRow.case_id == case_id).order_by(NoticeRow.printed_at)))
