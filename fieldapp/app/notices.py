"""Notices for cases on this laptop: may it be printed, the filled and rendered letter, the print record.

One path for the app and ``fieldapp notice render``: the same permission (rule pack and flags), the
same issuer settings (:mod:`fieldapp.app.issuers`), the same clock and the same audited writer. Run
these on Tasks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from fieldapp import protocol
from fieldapp.app.issuers import IssuerSettings, load_issuer_settings
from fieldapp.app.visits import case_facts, contact_history
from fieldapp.core.forms import FormError
from fieldapp.core.notices import (
    FIELD_LABELS,
    FilledNotice,
    MissingNoticeValues,
    NoticeError,
    fill_notice,
)
from fieldapp.core.verification import new_verification_token
from fieldapp.documents.notice_pdf import render_batch, render_notice
from fieldapp.documents.notice_values import (
    case_is_time_barred,
    notice_values_from_case,
)
from fieldapp.store import repo
from fieldapp.store.models import Case, Visit
from fieldapp.store.work import audited_write

#: The notice a case gets, per jurisdiction.
TEMPLATE_FOR = {"CN": "cn-overdue-notice", "US": "us-validation-notice"}
#: How a notice reached (or did not reach) the debtor. Never "posted on the door".
DELIVERY_MODES = ("handed_to_debtor", "sealed_envelope", "refused", "not_delivered")
AUDIT_NOTICE_PRINTED = "notice_printed"
AUDIT_NOTICE_REFUSED = "notice_refused"

def case_record(case: dict[str, Any]) -> protocol.CaseRecord:
    """A store Case row (as a dict) as the protocol's CaseRecord, which notice_for_case reads."""
    fields = set(protocol.CaseRecord.model_fields)
    return protocol.CaseRecord.model_validate({k: v for k, v in case.items() if k in fields})


def case_id_for(store: Any, account_ref: str) -> int | None:
    """The id of the case with this account reference on this laptop (None when it is not here)."""
    from sqlalchemy import select


    with store.session() as session:
        return session.scalar(select(Case.id).where(Case.account_ref == account_ref))


def case_dict(store: Any, case_id: int) -> dict[str, Any] | None:
    """The case as the notice code reads it (None when it is gone)."""
    with store.session() as session:
        row = session.get(Case, case_id)
        if row is None:
            return None
        return {col.name: getattr(row, col.key) for col in Case.__table__.columns}  # type: ignore[attr-defined]


@dataclass
class PreparedNotice:
    """A notice ready to preview and print; ``pdf`` is the vector PDF."""

    case_id: int
    debtor_name: str
    notice: FilledNotice
    pdf: bytes
    mode: str = ""  # the delivery it was allowed for: handed_to_debtor or sealed_envelope

    @property
    def suggested_name(self) -> str:
        return f"notice-{self.notice.template_id}-{self.notice.issued_on.isoformat()}-{self.notice.verify_code}.pdf"


def prepare_notice(store: Any, case_id: int, *, language: str, now: dt.datetime,
                   settings: IssuerSettings | None = None, template_id: str | None = None) -> PreparedNotice:
    """Fill and render the case's notice as ``fieldapp notice render`` does: the template version this
    device holds (received or bundled), dated in the debtor's time zone, verified on the server this
    laptop syncs with (the configured site before enrolment). MissingNoticeValues names empty values;
    NoticeError otherwise.
    """
    from zoneinfo import ZoneInfo

    case = case_dict(store, case_id)
    if case is None:
        raise NoticeError("this case is no longer on this laptop", "此案件已不在本机上")
    settings = settings or load_issuer_settings(store)
    template_id = template_id or TEMPLATE_FOR.get((case.get("jurisdiction") or "CN").upper())
    if template_id is None:
        raise NoticeError(f"there is no notice letter for {case.get('jurisdiction')} cases",
                          f"没有适用于 {case.get('jurisdiction')} 案件的通告函")
    with store.session() as session:
        try:
            template = repo.notice_template(session, template_id)
        except FormError as exc:
            raise NoticeError(str(exc), "本机上没有此通告函模板，请先同步") from None
    record = case_record(case)
    issued_on = now.astimezone(ZoneInfo(record.timezone or "Asia/Shanghai")).date()
    if language not in template.languages:
        language = template.languages[0]
    notice = fill_notice(template, notice_values_from_case(record, as_of=issued_on), language=language,
                         issuer=settings.issuer_for(case), token=new_verification_token(),
                         base_url=settings.base_url_for(case),
                         issued_on=issued_on, time_barred=case_is_time_barred(record))
    return PreparedNotice(case_id, case["debtor_name"], notice, render_notice(notice))


@dataclass
class PreparedBatch:
    """Today's notices in one PDF, and the cases left out with the reason (in zh-CN and en)."""

    notices: list[PreparedNotice]
    pdf: bytes
    skipped: list[tuple[str, dict[str, str]]]


def prepare_batch(store: Any, case_ids: list[int], *, language: str, now: dt.datetime,
                  settings: IssuerSettings | None = None) -> PreparedBatch:
    """One PDF with a notice per case that may be printed; the others are listed with why not."""
    settings = settings or load_issuer_settings(store)
    ready: list[PreparedNotice] = []
    skipped: list[tuple[str, dict[str, str]]] = []
    for case_id in case_ids:
        permission = print_permission(store, case_id, now=now)
        name = permission.debtor_name
        if not permission.allowed:
            skipped.append((name, permission.reason))
            continue
        try:
            prepared = prepare_notice(store, case_id, language=language, now=now, settings=settings)
        except NoticeError as exc:
            skipped.append((name, exc.reason))
            continue
        prepared.mode = permission.mode
        ready.append(prepared)
    pdf = render_batch([p.notice for p in ready]) if ready else b""
    return PreparedBatch(ready, pdf, skipped)


@dataclass
class PrintPermission:
    """May this case's notice be printed now, and for which delivery?"""

    allowed: bool
    mode: str = ""  # "handed_to_debtor" (identity confirmed in a visit) or "sealed_envelope"
    reason: dict[str, str] = field(default_factory=dict)
    debtor_name: str = ""
    rule_id: str | None = None


def print_permission(store: Any, case_id: int, *, now: dt.datetime, identity_confirmed: bool | None = None) -> PrintPermission:
    """A notice prints only after the debtor's identity was confirmed in a visit, or for a sealed
    envelope where the rule pack allows one — and never against a blocking flag (``print_notice``).

    ``identity_confirmed`` (from a running visit) overrides what the store's visits say.
    """
    from sqlalchemy import select

    case = case_dict(store, case_id)
    if case is None:
        return PrintPermission(False, reason={"zh-CN": "此案件已不在本机上。", "en": "This case is no longer on this laptop."})
    with store.session() as session:
        pack = repo.rule_pack(session, case.get("jurisdiction") or "CN")
        history = contact_history(session, case_id)
        if identity_confirmed is None:
            identity_confirmed = any(
                ((v.payload or {}).get("visit") or {}).get("identity_confirmed")
                for v in session.scalars(select(Visit).where(Visit.case_id == case_id)))
    facts = case_facts(case, [])
    verdict = pack.check("print_notice", facts, history, now)
    if verdict.blocked:
        return PrintPermission(False, reason=verdict.reason, debtor_name=case["debtor_name"], rule_id=verdict.rule_id)
    if identity_confirmed:
        return PrintPermission(True, "handed_to_debtor", debtor_name=case["debtor_name"])
    if pack.visit_policy().sealed_envelope_allowed:
        envelope = pack.check("leave_sealed_envelope", facts, history, now)
        if envelope.blocked:
            return PrintPermission(False, reason=envelope.reason, debtor_name=case["debtor_name"],
                                   rule_id=envelope.rule_id)
        return PrintPermission(True, "sealed_envelope", debtor_name=case["debtor_name"], reason={
            "zh-CN": "尚未在外访中核实债务人身份：本通告函只能装入密封信封交付，或在核实本人身份后当面交付。",
            "en": "The debtor's identity has not been confirmed in a visit: this notice may only go in a sealed "
                  "envelope, or be handed over once identity is confirmed."})
    return PrintPermission(False, debtor_name=case["debtor_name"], reason={
        "zh-CN": "尚未核实债务人身份，且本规则包不允许密封信件交付：请在外访中核实本人身份后再打印通告函。",
        "en": "The debtor's identity has not been confirmed, and this rule pack does not allow sealed-envelope "
              "delivery: confirm the debtor's identity in a visit before printing the notice."})


def record_printed(store: Any, prepared: list[PreparedNotice], *, at: dt.datetime, copies: int, mode: str,
                   visit_id: str | None = None, batch: bool = False) -> list[str]:
    """Record each printed notice (its row, audit event and outbox entry) in one transaction, so the
    next sync registers its token; returns the tokens. ``mode``, ``visit_id`` and ``batch`` are not
    stored here: how the notice reached the debtor is recorded with the visit (``record_notice_delivery``).
    """

    def work(session: Any) -> None:
        for item in prepared:
            repo.record_printed_notice(session, item.notice, case_id=item.case_id, printed_at=at, copies=copies)

    audited_write(store, work)
    return [item.notice.token for item in prepared]


def missing_fields_text(exc: MissingNoticeValues, language: str) -> str:
    """The empty required values, named for a person ("collection agency phone, …")."""
    lang = "zh-CN" if language.startswith("zh") else "en"
    sep = "、" if lang == "zh-CN" else ", "
    return sep.join(FIELD_LABELS[f][lang] for f in exc.fields)
