"""Notices for cases on this laptop (no Qt): issuer configuration, rendering, permission, the print record.

Run these on Tasks. The issuer (creditor letterhead, agency, official phones, logo) comes from
``notice_issuer.yaml`` in :func:`fieldapp.paths.config_dir`; without one, clearly fictional demo
values are used so a fresh install can show a notice (the creditor's name is then the case's).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldapp import protocol
from fieldapp.core.notices import FilledNotice, IssuerConfig, MissingNoticeValues, NoticeError

ISSUER_FILE = "notice_issuer.yaml"
#: The file ``fieldapp notice render`` reads (one issuer, or creditor name → issuer); used when
#: ``notice_issuer.yaml`` is absent, so the office's batch prints and the app's look the same.
CLI_ISSUER_FILE = "issuers.yaml"
#: The notice a case gets, per jurisdiction.
TEMPLATE_FOR = {"CN": "cn-overdue-notice", "US": "us-validation-notice"}
#: How a notice reached (or did not reach) the debtor. Never "posted on the door".
DELIVERY_MODES = ("handed_to_debtor", "sealed_envelope", "refused", "not_delivered")
AUDIT_NOTICE_PRINTED = "notice_printed"
AUDIT_NOTICE_REFUSED = "notice_refused"

DEMO_BASE_URL = "https://verify.fieldapp.example"
DEMO_ISSUERS: dict[str, dict[str, Any]] = {
    "CN": {
        "creditor_address": {"zh-CN": "上海市浦东新区示例路100号（演示地址）", "en": "100 Example Road, Pudong, Shanghai (demo)"},
        "creditor_phone": "400-000-0000",
        "agency_name": {"zh-CN": "示例信息咨询服务有限公司（演示）", "en": "Example Information Services Co., Ltd. (demo)"},
        "agency_phone": "021-0000-0000",
        "dispute_phone": "400-000-0001",
        "dispute_address": {"zh-CN": "上海市浦东新区示例路100号客户权益部（演示地址）",
                            "en": "Customer Rights Dept., 100 Example Road, Shanghai (demo)"},
        "repay_channel": {"zh-CN": "出借人官方App“我的借款—还款”（演示）", "en": "the lender's official app, My loans → Repay (demo)"},
        "check_channel": {"zh-CN": "出借人官方App或官方网站（演示）", "en": "the lender's official app or website (demo)"},
    },
    "US": {
        "creditor_address": "1 Example Plaza, Springfield, IL 62701 (demo)",
        "creditor_phone": "(800) 555-0100",
        "agency_name": "Example Recovery Services, LLC (demo)",
        "agency_address": "PO Box 0000, Springfield, IL 62701",
        "agency_phone": "(800) 555-0199",
        "dispute_address": "Example Recovery Services, PO Box 0000, Springfield, IL 62701",
        "dispute_phone": "(800) 555-0199",
    },
}


@dataclass
class IssuerSettings:
    """The parsed configuration: the verification site and the issuer per creditor / jurisdiction."""

    base_url: str = DEMO_BASE_URL
    defaults: dict[str, dict[str, Any]] = field(default_factory=lambda: {k: dict(v) for k, v in DEMO_ISSUERS.items()})
    creditors: dict[str, dict[str, Any]] = field(default_factory=dict)
    demo: bool = True
    source: str = ""

    def issuer_for(self, case: dict[str, Any]) -> IssuerConfig:
        """The issuer of ``case``'s notices: its creditor's entry, else the jurisdiction's default
        (whose creditor name, when not configured, is the case's creditor). NoticeError if invalid."""
        creditor = case.get("creditor") or ""
        if creditor in self.creditors:
            return IssuerConfig.from_dict(self.creditors[creditor])
        data = dict(self.defaults.get((case.get("jurisdiction") or "CN").upper()) or self.defaults.get("CN") or {})
        data.setdefault("creditor_name", creditor)
        return IssuerConfig.from_dict(data)


def load_issuer_settings(config_dir: Path | None = None) -> IssuerSettings:
    """Read ``notice_issuer.yaml``; demo values when there is none. NoticeError for a broken file.

    Format::

        base_url: https://verify.lender.example.cn   # the public verification site (GET /v/<token>)
        defaults:                                     # per jurisdiction
          CN: {creditor_address: ..., creditor_phone: ..., agency_name: ..., ...}
        creditors:                                    # by the case's creditor name, all IssuerConfig keys
          华信消费金融: {creditor_name: ..., logo_path: /path/logo.png, ...}
    """
    import yaml

    from fieldapp.paths import config_dir as default_dir

    folder = config_dir or default_dir()
    path = folder / ISSUER_FILE
    if not path.exists():
        shared = folder / CLI_ISSUER_FILE
        return _from_cli_file(shared) if shared.exists() else IssuerSettings()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise NoticeError(f"{path} cannot be read: {exc}", f"无法读取出函方设置 {path}") from None
    if not isinstance(data, dict):
        raise NoticeError(f"{path}: expected a mapping", f"出函方设置格式错误：{path}")
    settings = IssuerSettings(base_url=str(data.get("base_url") or DEMO_BASE_URL), demo=False, source=str(path))
    for key, value in (data.get("defaults") or {}).items():
        settings.defaults[str(key).upper()] = dict(value)
    settings.creditors = {str(k): dict(v) for k, v in (data.get("creditors") or {}).items()}
    for entry in [*settings.defaults.values(), *settings.creditors.values()]:
        for key in ("logo_path", "seal_path"):
            if entry.get(key) and not Path(entry[key]).is_absolute():
                entry[key] = str(path.parent / entry[key])
    return settings


def _from_cli_file(path: Path) -> IssuerSettings:
    """``issuers.yaml`` as ``fieldapp notice render`` reads it: one issuer, or creditor name → issuer."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise NoticeError(f"{path} cannot be read: {exc}", f"无法读取出函方设置 {path}") from None
    if not isinstance(data, dict):
        raise NoticeError(f"{path}: expected a mapping", f"出函方设置格式错误：{path}")
    settings = IssuerSettings(demo=False, source=str(path))
    if "creditor_name" in data:
        settings.defaults = {"CN": dict(data), "US": dict(data)}
    else:
        settings.creditors = {str(k): dict(v) for k, v in data.items()}
    return settings


def case_record(case: dict[str, Any]) -> protocol.CaseRecord:
    """A store Case row (as a dict) as the protocol's CaseRecord, which notice_for_case reads."""
    fields = set(protocol.CaseRecord.model_fields)
    return protocol.CaseRecord.model_validate({k: v for k, v in case.items() if k in fields})


def _case(store: Any, case_id: int) -> dict[str, Any] | None:
    from fieldapp.store.models import Case

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
                   settings: IssuerSettings | None = None) -> PreparedNotice:
    """Fill and render the case's notice as ``fieldapp notice render`` does: the template version this
    device holds (received or bundled), dated in the debtor's time zone, verified on the server this
    laptop syncs with (the configured site before enrolment). MissingNoticeValues names empty values;
    NoticeError otherwise.
    """
    from zoneinfo import ZoneInfo

    from fieldapp.core.forms import FormError
    from fieldapp.core.notices import fill_notice, new_verification_token
    from fieldapp.documents.notice_pdf import render_notice
    from fieldapp.documents.notice_values import case_is_time_barred, notice_values_from_case
    from fieldapp.store import repo

    case = _case(store, case_id)
    if case is None:
        raise NoticeError("this case is no longer on this laptop", "此案件已不在本机上")
    settings = settings or load_issuer_settings()
    template_id = TEMPLATE_FOR.get((case.get("jurisdiction") or "CN").upper())
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
    base_url = store.get_meta("server_url") or settings.base_url
    if language not in template.languages:
        language = template.languages[0]
    notice = fill_notice(template, notice_values_from_case(record, as_of=issued_on), language=language,
                         issuer=settings.issuer_for(case), token=new_verification_token(), base_url=base_url,
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
    from fieldapp.documents.notice_pdf import render_batch

    settings = settings or load_issuer_settings()
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

    from fieldapp.store import repo
    from fieldapp.store.models import Visit
    from fieldapp.ui.visit.service import case_facts, contact_history

    case = _case(store, case_id)
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
    """Record each printed notice in one transaction so the next sync registers its token: the
    store's notice record (``repo.record_printed_notice``: row, audit event, outbox) when this build
    has it, else an audit event carrying the notice record (token, code, template, content hash —
    no personal data). Returns the tokens.
    """
    from fieldapp.store import repo

    from fieldapp.ui.visit.service import write

    record_printed_notice = getattr(repo, "record_printed_notice", None)

    def work(session: Any) -> None:
        for item in prepared:
            if record_printed_notice is not None:
                record_printed_notice(session, item.notice, case_id=item.case_id, printed_at=at, copies=copies)
            else:
                repo.append_audit(session, AUDIT_NOTICE_PRINTED, {
                    "notice": item.notice.record(), "copies": copies, "delivery": item.mode or mode,
                    "visit_id": visit_id, "batch": batch}, at=at, case_id=item.case_id)

    write(store, work)
    return [item.notice.token for item in prepared]


def record_delivery(session: Any, tokens: list[str], delivery: str, *, at: dt.datetime, note: str = "") -> None:
    """How the notices printed in a visit were delivered (in the caller's transaction), when the store
    keeps notice records; unknown tokens (printed by an older build) are skipped."""
    from fieldapp.store import repo

    record_notice_delivery = getattr(repo, "record_notice_delivery", None)
    if record_notice_delivery is None:
        return
    for token in tokens:
        try:
            record_notice_delivery(session, token, delivery, at=at, note=note)
        except KeyError:
            continue


def missing_fields_text(exc: MissingNoticeValues, language: str) -> str:
    """The empty required values, named for a person ("collection agency phone, …")."""
    from fieldapp.core.notices import FIELD_LABELS

    lang = "zh-CN" if language.startswith("zh") else "en"
    sep = "、" if lang == "zh-CN" else ", "
    return sep.join(FIELD_LABELS[f][lang] for f in exc.fields)
