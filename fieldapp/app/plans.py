"""Plans and promises to and from the device store: what the editor and the summary read and write.

Qt-free and called on Task workers (each function opens its own session). A sealed plan, its two
signature images and stroke records (attachments by SHA-256), the outbox entry that carries it to
the server and its audit event are written in ONE transaction: all of it or none of it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fieldapp.app.issuers import load_issuer_settings
from fieldapp.core.money import from_minor
from fieldapp.core.notices import IssuerConfig
from fieldapp.core.plans import PlanPolicy, PromiseToPay, SealedPlan, verify_seal
from fieldapp.core.verification import verification_code
from fieldapp.documents.agreement_pdf import render_agreement
from fieldapp.store import repo
from fieldapp.store.blobs import BlobError
from fieldapp.store.models import Attachment, Case
from fieldapp.store.work import audited_write

#: The audit action that records an agreement's verification token and the signatures' stroke files.
AGREEMENT_ISSUED = "plan-agreement-issued"


@dataclass(frozen=True)
class Signature:
    """One signer's signature: the PNG that is printed and sealed, and the strokes it was drawn with."""

    png: bytes
    strokes: dict[str, Any]


@dataclass(frozen=True)
class PlanContext:
    """What the plan editor needs about one case, read once when it opens."""

    case_id: int
    account_ref: str
    debtor_name: str
    id_number_masked: str
    address: str
    creditor: str
    currency: str
    total_due: Decimal
    jurisdiction: str
    today: dt.date
    collector: str
    policy: PlanPolicy
    issuer: IssuerConfig
    base_url: str
    #: The plan in force on the case (not replaced, rejected or completed): a new plan supersedes it.
    current_plan: SealedPlan | None = None


def load_context(store: Any, case_id: int) -> PlanContext:
    """The case, its rule pack's plan policy, who is signing, and the issuer and verification site of
    the creditor's issuer profile (fieldapp.app.issuers). LookupError for an unknown case,
    NoticeError when the creditor has no issuer profile on this laptop."""
    from zoneinfo import ZoneInfo


    issuer = load_issuer_settings(store)  # the same letterhead, agency and verification site as the notices
    in_force = [p for p in case_history(store, case_id).plans
                if p.superseded_by is None and p.status not in ("rejected", "completed")]
    with store.session() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise LookupError(f"case {case_id} is not on this device")
        policy = PlanPolicy.from_rule_pack(repo.rule_pack(session, case.jurisdiction or "CN"))
        now = repo.trusted_clock(session).now()
        meta = store.meta()
        try:
            zone: dt.tzinfo = ZoneInfo(case.timezone or "Asia/Shanghai")
        except Exception:  # an unknown zone name from the lending system: the collector's zone
            zone = repo.work_zone(session)
        return PlanContext(
            case_id=case.id, account_ref=case.account_ref, debtor_name=case.debtor_name,
            id_number_masked=case.id_number_masked, address=case.address, creditor=case.creditor,
            currency=case.currency, total_due=from_minor(case.total_due, case.currency),
            jurisdiction=case.jurisdiction or "CN", today=now.astimezone(zone).date(),
            collector=meta.get("display_name") or meta.get("username") or "",
            policy=policy, issuer=issuer.issuer_for({"creditor": case.creditor}),
            base_url=issuer.base_url_for({"creditor": case.creditor}), current_plan=in_force[0].sealed if in_force else None,
        )


def save_plan(store: Any, case_id: int, sealed: SealedPlan, *, debtor: Signature, collector: Signature,
              verification_token: str = "", visit_id: str | None = None) -> SealedPlan:
    """Store a sealed plan (already moved to pending_approval or active) with its signatures; queue it.

    The PNGs must be the bytes whose hashes were sealed. ``verification_token`` is the random token
    the agreement's QR code carries; it is recorded (audit event ``plan-agreement-issued``, pushed
    with sync) so a reprint shows the same code. Raises ValueError when the images are not the sealed
    ones, or when the seal does not verify; nothing is written then.
    """
    if not verify_seal(sealed):
        raise ValueError("the plan does not match its seal")

    def work(session: Any) -> None:
        for who, signature, sealed_hash in (("debtor", debtor, sealed.debtor_signature),
                                            ("collector", collector, sealed.collector_signature)):
            image = repo.add_attachment(session, store, signature.png, "image/png")
            if image.sha256 != sealed_hash:
                raise ValueError(f"the {who}'s signature image is not the one that was sealed")
        strokes = {who: repo.add_attachment(session, store, json.dumps(sig.strokes, sort_keys=True).encode(),
                                            "application/json").sha256
                   for who, sig in (("debtor", debtor), ("collector", collector))}
        repo.record_plan(session, sealed, case_id=case_id)  # the plan row, its outbox record and audit event
        repo.append_audit(session, AGREEMENT_ISSUED,
                          {"plan_id": sealed.id, "verification_token": verification_token,
                           "verification_code": verification_code(verification_token) if verification_token else "",
                           "debtor_strokes_sha256": strokes["debtor"], "collector_strokes_sha256": strokes["collector"],
                           "visit_id": visit_id or ""},
                          case_id=case_id)

    audited_write(store, work)  # the signatures, the plan and its audit events, or none of them
    return sealed


def save_promise(store: Any, case_id: int, promise: PromiseToPay, *, visit_id: str | None = None) -> PromiseToPay:
    """Store a promise to pay and queue it, in one transaction."""
    def work(session: Any) -> None:
        repo.record_promise(session, promise, case_id=case_id)
        if visit_id:
            repo.append_audit(session, "promise-visit", {"promise_id": promise.id, "visit_id": visit_id},
                              case_id=case_id)

    audited_write(store, work)
    return promise


# ------------------------------------------------------------------------------------ the summary
@dataclass(frozen=True)
class InstalmentLine:
    number: int
    due_on: dt.date
    amount_minor: int
    paid_minor: int
    status: str  # paid | partly_paid | overdue | due | upcoming


@dataclass(frozen=True)
class PlanEntry:
    """One plan of a case as the summary shows it."""

    sealed: SealedPlan
    status: str
    created_at: dt.datetime | None
    decided_by: str = ""
    decision_comment: str = ""
    instalments: tuple[InstalmentLine, ...] = ()
    superseded_by: str | None = None
    verification_token: str = ""

    @property
    def paid_count(self) -> int:
        return sum(1 for i in self.instalments if i.status == "paid")


@dataclass(frozen=True)
class PromiseEntry:
    promise: PromiseToPay
    status: str  # pending | kept | broken
    paid_minor: int = 0


@dataclass(frozen=True)
class CaseHistory:
    plans: tuple[PlanEntry, ...] = ()
    promises: tuple[PromiseEntry, ...] = ()


def case_history(store: Any, case_id: int) -> CaseHistory:
    """Every plan (newest first, superseded ones included) and promise of a case on this device."""
    plans: list[PlanEntry] = []
    promises: list[PromiseEntry] = []
    with store.session() as session:
        for row in repo.plans_for_case(session, case_id):
            lines = tuple(InstalmentLine(i.number, i.due_on, i.amount_minor, i.paid_minor, i.status)
                          for i in repo.plan_instalments(session, row.id))
            plans.append(PlanEntry(SealedPlan.from_wire(row.sealed), row.status, row.created_at, row.decided_by,
                                   row.decision_comment, lines))
        for row in repo.promises_for_case(session, case_id):
            promise = PromiseToPay(row.due_on, from_minor(row.amount_minor, row.currency), row.currency, row.made_on,
                                   "", row.id)
            promises.append(PromiseEntry(promise, row.status, row.paid_minor))
        tokens = {str(e.detail.get("plan_id")): str(e.detail.get("verification_token", ""))
                  for e in repo.audit_events(session, case_id=case_id) if e.action == AGREEMENT_ISSUED}
    replaced = {p.sealed.plan.supersedes: p.sealed.id for p in plans if p.sealed.plan.supersedes}
    plans = [PlanEntry(p.sealed, p.status, p.created_at, p.decided_by, p.decision_comment, p.instalments,
                       replaced.get(p.sealed.id), tokens.get(p.sealed.id, "")) for p in plans]
    return CaseHistory(tuple(plans), tuple(sorted(promises, key=lambda p: p.promise.due_on)))


class AgreementUnavailable(LookupError):
    """A copy of an agreement cannot be made on this laptop; ``reason`` in zh-CN and en."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.reason = {"zh-CN": zh, "en": en}


def agreement_pdf(store: Any, case_id: int, plan_id: str, *, language: str | None = None) -> bytes:
    """The agreement of a sealed plan again (a copy for the debtor), with its recorded verification code.

    AgreementUnavailable (a LookupError, in words) when the plan, its verification token or its signature images are
    not on this laptop any more (images are removed once the server holds them).
    """
    context = load_context(store, case_id)
    entry = next((p for p in case_history(store, case_id).plans if p.sealed.id == plan_id), None)
    if entry is None or not entry.verification_token:
        raise AgreementUnavailable("this plan's agreement was not made on this laptop",
                                   "此计划的协议不是在本机生成的")
    images: dict[str, bytes] = {}
    with store.session() as session:
        for who, digest in (("debtor", entry.sealed.debtor_signature), ("collector", entry.sealed.collector_signature)):
            row = session.get(Attachment, digest)
            try:
                images[who] = repo.read_attachment(store, row) if row is not None else b""
            except (BlobError, OSError):
                images[who] = b""
            if not images[who]:
                raise AgreementUnavailable("the signatures are no longer on this laptop (the server holds them)",
                                           "签名图片已不在本机（已上传至服务器）")
    return render_agreement(entry.sealed, case=context, issuer=context.issuer, base_url=context.base_url,
                            token=entry.verification_token, signatures=images, language=language)


__all__ = ("AGREEMENT_ISSUED", "AgreementUnavailable", "CaseHistory", "InstalmentLine", "PlanContext", "PlanEntry",
           "PromiseEntry", "Signature", "agreement_pdf", "case_history", "load_context", "save_plan", "save_promise")
