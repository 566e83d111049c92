"""Notices on the server: registering printed notices, and the public verification page (issue 6).

Fake collection letters are a known scam (PRODUCT.md §8). Anyone holding a notice can scan its QR
code (``/v/<token>``) or type its short code (``/v``) and learn whether it is genuine, who issued it,
when, and for which creditor — never the debtor's name or any amount. Look-ups are rate-limited per
client address: the 40-bit short code must not be guessable by brute force.
"""

from __future__ import annotations

import html
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldapp import protocol
from fieldapp.core.notices import bundled_notice_templates, format_date
from fieldapp.core.verification import verification_code
from fieldapp.server.db import Case, Device, FormVersion, Notice, Plan, insert_ignoring_conflict, utcnow
from fieldapp.server.services.issuers import profile_for


# --------------------------------------------------------------------------------------- storing
class NoticeProblem(Exception):
    """Why a pushed notice is rejected (completes "this record was rejected because …")."""


def parse_notice(payload: dict[str, object], case: Case | None) -> protocol.NoticePayload:
    return protocol.NoticePayload.model_validate(payload)


def _known_template(session: Session, notice: protocol.NoticePayload) -> bool:
    """A notice template version this server publishes (or bundles), by id, version and content hash."""
    published = session.scalars(select(FormVersion.id).where(
        FormVersion.kind == "notice", FormVersion.form_id == notice.template_id,
        FormVersion.version == notice.template_version, FormVersion.content_hash == notice.template_hash)).first()
    if published is not None:
        return True
    bundled = bundled_notice_templates().get(notice.template_id)
    return bundled is not None and bundled.version == notice.template_version and bundled.hash == notice.template_hash


def check_notice(session: Session, notice: protocol.NoticePayload, case: Case | None,
                 seals: frozenset[str] | set[str] = frozenset()) -> None:
    """A notice the public page may vouch for, or NoticeProblem: its code is its token's, no other
    notice holds that code, and it was made from a template the server knows (an agreement: from a
    plan sealed on this case, stored or arriving in the same batch, ``seals``)."""
    if case is not None and profile_for(session, case.creditor) is None:
        raise NoticeProblem(f"the server has no issuer profile for the case's creditor {case.creditor!r} "
                            "(an admin publishes one with fieldapp admin set-issuer)")
    if notice.code != verification_code(notice.token):
        raise NoticeProblem("its verification code does not belong to its token")
    holder = session.scalars(select(Notice.token).where(Notice.code == notice.code)).first()
    if holder is not None and holder != notice.token:
        raise NoticeProblem("its verification code is already held by another notice")
    if notice.template_id == protocol.AGREEMENT_DOCUMENT_ID:
        sealed_here = case is not None and session.scalars(select(Plan.id).where(
            Plan.case_id == case.id, Plan.seal_sha256 == notice.template_hash)).first() is not None
        if not sealed_here and notice.template_hash not in seals:
            raise NoticeProblem("it is an agreement for no plan sealed on this case")
    elif not _known_template(session, notice):
        raise NoticeProblem(f"notice template {notice.template_id} {notice.template_version} with this content "
                            "is not published on this server")


def store_notice(session: Session, device: Device, record: protocol.PushRecord, case: Case | None) -> None:
    """Register a printed notice's token (the first record of a token wins; a re-push is a duplicate).

    The creditor and agency the public page names are the server's issuer profile's for the case's
    creditor, never the device's text."""
    payload = protocol.NoticePayload.model_validate(record.payload)
    profile = profile_for(session, case.creditor) if case is not None else None
    creditor, agency = ({}, {}) if profile is None else (_both(profile.config["creditor_name"]),
                                                          _both(profile.config["agency_name"]))
    insert_ignoring_conflict(session, Notice.__table__, dict(
        token=payload.token, code=payload.code, record_id=record.id, case_id=case.id if case else None,
        user_id=device.user_id, device_id=device.id, template_id=payload.template_id,
        template_version=payload.template_version, language=payload.language, content_hash=payload.content_hash,
        issued_on=payload.issued_on, printed_at=payload.printed_at, creditor_name=creditor,
        agency_name=agency, delivery=payload.delivery.value if payload.delivery else None,
        delivered_at=payload.delivered_at, received_at=utcnow(),
    ), ["token"])


def _both(value: Any) -> dict[str, str]:
    """A profile text in both page languages (one string serves both)."""
    if isinstance(value, dict):
        fallback = next((str(v) for v in value.values() if v), "")
        return {lang: str(value.get(lang) or fallback) for lang in ("zh-CN", "en")}
    return {"zh-CN": str(value), "en": str(value)}


def store_delivery(session: Session, device: Device, record: protocol.PushRecord, case: Case | None) -> None:
    payload = protocol.NoticeDeliveryPayload.model_validate(record.payload)
    notice = session.get(Notice, payload.token)
    if notice is not None and notice.device_id == device.id:
        notice.delivery, notice.delivered_at = payload.delivery.value, payload.delivered_at


# -------------------------------------------------------------------------------------- look-ups
def find(session: Session, *, token: str | None = None, code: str | None = None) -> Notice | None:
    if token is not None:
        return session.get(Notice, token)
    if code is not None:
        # codes are unique (check_notice); were two ever stored, the first received keeps it
        return session.scalars(select(Notice).where(Notice.code == code).order_by(Notice.received_at)).first()
    return None


# ------------------------------------------------------------------------------------------ pages
TEXTS = {
    "zh-CN": {
        "title": "通告函真伪核验",
        "genuine": "这是一份真实的通告函。",
        "genuine_agreement": "这是一份真实的还款协议。",
        "agreement_detail": "本协议由 {agency} 受 {creditor} 委托与债务人签署，签署日期：{issued}。",
        "genuine_detail": "本函由 {agency} 受 {creditor} 委托出具，出具日期：{issued}。",
        "delivered": "送达方式：{delivery}。",
        "privacy": "为保护当事人隐私，本页面不显示任何姓名或金额。如对函件内容有疑问，请拨打债权人官方客服电话（以您的借款合同或债权人官方App、官网公布的为准）核实。",
        "not_genuine": "未能核实：我们没有这份通告函的记录。",
        "not_genuine_detail": "这可能是一份伪造的催收函。请不要按函件上的信息付款或联系，请拨打债权人官方客服电话（以您的借款合同或债权人官方App、官网公布的为准）核实。",
        "bad_code": "核验码格式不正确：应为 8 位字母或数字，例如 7K3M-Q9XD。",
        "form_intro": "请输入通告函二维码旁印有的 8 位核验码：",
        "code_label": "核验码",
        "submit": "核验",
        "too_many": "查询过于频繁，请稍后再试。",
        "other": "English",
        "delivery": {"handed_to_debtor": "当面交予本人", "sealed_envelope": "密封信封交予同住成年家属",
                     "refused": "拒收", "not_delivered": "未送达"},
    },
    "en": {
        "title": "Notice verification",
        "genuine": "This notice is genuine.",
        "genuine_agreement": "This repayment agreement is genuine.",
        "agreement_detail": "It was signed through {agency} on behalf of {creditor} on {issued}.",
        "genuine_detail": "It was issued by {agency} on behalf of {creditor} on {issued}.",
        "delivered": "Delivery: {delivery}.",
        "privacy": "To protect the people concerned this page shows no names and no amounts. If you have questions "
                   "about the letter, call the creditor's official customer service number (as given in your loan "
                   "contract or the creditor's official app or website).",
        "not_genuine": "Not verified: we have no record of this notice.",
        "not_genuine_detail": "It may be a fake collection letter. Do not pay or call anyone using the details on it; "
                              "call the creditor's official customer service number (as given in your loan contract "
                              "or the creditor's official app or website) to check.",
        "bad_code": "The code is not in the right form: 8 letters or digits, for example 7K3M-Q9XD.",
        "form_intro": "Type the 8-character code printed next to the notice's QR code:",
        "code_label": "Code",
        "submit": "Check",
        "too_many": "Too many checks from your address; please try again in a minute.",
        "other": "中文",
        "delivery": {"handed_to_debtor": "handed to the addressee in person",
                     "sealed_envelope": "sealed envelope left with an adult household member",
                     "refused": "refused", "not_delivered": "not delivered"},
    },
}


def pick_language(lang: str | None, accept_language: str | None) -> str:
    """``?lang=`` wins, then the first zh/en of Accept-Language (by q), else zh-CN."""
    if lang:
        return "en" if lang.lower().startswith("en") else "zh-CN"
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        name, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        ranked.append((-q, index, name.strip().lower()))
    for _q, _i, name in sorted(ranked):
        if name.startswith("zh"):
            return "zh-CN"
        if name.startswith("en"):
            return "en"
    return "zh-CN"


def _page(language: str, body: str, *, self_path: str) -> str:
    t = TEXTS[language]
    other = "en" if language == "zh-CN" else "zh-CN"
    return (
        f'<!doctype html>\n<html lang="{language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex">'
        f"<title>{html.escape(t['title'])}</title>"
        "<style>body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;max-width:36rem;margin:2rem auto;"
        "padding:0 1rem;line-height:1.6;color:#1b1f24}.ok{color:#0a6b2d}.bad{color:#a4161a}"
        "input,button{font-size:1.1rem;padding:.4rem}</style></head><body>"
        f"<h1>{html.escape(t['title'])}</h1>{body}"
        f'<p><a href="{html.escape(self_path)}?lang={other}">{html.escape(t["other"])}</a></p>'
        "</body></html>\n"
    )


def _name(names: dict[str, str], language: str) -> str:
    return names.get(language) or next((v for v in names.values() if v), "")


def notice_page(notice: Notice | None, language: str, *, self_path: str) -> str:
    t = TEXTS[language]
    if notice is None:
        body = (f'<p class="bad"><strong>{html.escape(t["not_genuine"])}</strong></p>'
                f"<p>{html.escape(t['not_genuine_detail'])}</p>")
        return _page(language, body, self_path=self_path)

    agreement = notice.template_id == protocol.AGREEMENT_DOCUMENT_ID
    detail = t["agreement_detail" if agreement else "genuine_detail"].format(
        agency=_name(notice.agency_name, language), creditor=_name(notice.creditor_name, language),
        issued=format_date(notice.issued_on, language))
    headline = t["genuine_agreement" if agreement else "genuine"]
    body = f'<p class="ok"><strong>{html.escape(headline)}</strong></p><p>{html.escape(detail)}</p>'
    if notice.delivery:
        body += f"<p>{html.escape(t['delivered'].format(delivery=t['delivery'].get(notice.delivery, notice.delivery)))}</p>"
    body += f"<p>{html.escape(t['privacy'])}</p>"
    return _page(language, body, self_path=self_path)


def form_page(language: str, *, problem: str | None = None, code: str = "") -> str:
    t = TEXTS[language]
    body = ""
    if problem:
        body += f'<p class="bad">{html.escape(problem)}</p>'
    body += (f"<p>{html.escape(t['form_intro'])}</p>"
             f'<form method="get" action="{protocol.PATH_VERIFY_FORM}">'
             f'<input type="hidden" name="lang" value="{language}">'
             f'<label>{html.escape(t["code_label"])} <input name="code" value="{html.escape(code)}" '
             'maxlength="12" autocomplete="off" autocapitalize="characters"></label> '
             f'<button type="submit">{html.escape(t["submit"])}</button></form>')
    return _page(language, body, self_path=protocol.PATH_VERIFY_FORM)


def too_many_page(language: str) -> str:
    return _page(language, f"<p>{html.escape(TEXTS[language]['too_many'])}</p>", self_path=protocol.PATH_VERIFY_FORM)


__all__ = ["NoticeProblem", "check_notice", "find", "form_page", "notice_page", "pick_language", "store_delivery", "store_notice",
           "too_many_page"]
