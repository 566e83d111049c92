"""Notice letters as data: templates, what each jurisdiction requires of them, filling them, verification.

A :class:`NoticeTemplate` is parsed from ``forms/notices/*.yaml`` (``kind: notice``): layout blocks
with ``{placeholders}`` in zh-CN and en. :func:`fill_notice` puts one case's values into one
language and REFUSES (:class:`MissingNoticeValues`, naming the fields) when any value the letter
shows is empty — a notice with a blank balance or a blank creditor phone must never be printed
(PRODUCT.md CN8/CN9). The result, a :class:`FilledNotice`, is what ``fieldapp.documents`` draws.

What each jurisdiction requires (``REQUIREMENTS``) is checked twice: by ``fieldapp forms check``
on the template (:func:`template_problems`), and at fill time on the values.

Also here: the Regulation F validation period (:func:`validation_period_end`), and the random
verification token with its short, typeable code (:func:`new_verification_token`,
:func:`verification_code`). A QR code carries only ``<base_url>/v/<token>`` (PRODUCT.md §8).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from fieldapp.core.canonical import content_hash
from fieldapp.core.forms import (
    LANGUAGES,
    FormError,
    Path_,
    YamlDocument,
    bundled_forms,
    parse_yaml,
)
from fieldapp.core.holidays import add_business_days
from fieldapp.core.money import format_amount, to_minor
from fieldapp.core.verification import NoticeError, verification_code, verification_url

# ------------------------------------------------------------------------------ fields
#: Every placeholder a notice may use, with its label for error messages and the GUI.
FIELD_LABELS: dict[str, dict[str, str]] = {
    # the case
    "debtor_name": {"zh-CN": "债务人姓名", "en": "debtor name"},
    "debtor_address": {"zh-CN": "债务人地址", "en": "debtor mailing address"},
    "account_ref": {"zh-CN": "合同/账户编号", "en": "account number"},
    "contract_name": {"zh-CN": "合同名称", "en": "contract"},
    "product": {"zh-CN": "产品", "en": "product"},
    "overdue_since": {"zh-CN": "逾期起始日", "en": "overdue since"},
    "dpd": {"zh-CN": "逾期天数", "en": "days past due"},
    "as_of_date": {"zh-CN": "余额截止日", "en": "balance date"},
    "currency": {"zh-CN": "币种", "en": "currency"},
    "principal": {"zh-CN": "本金", "en": "principal"},
    "interest": {"zh-CN": "利息", "en": "interest"},
    "fees": {"zh-CN": "费用", "en": "fees"},
    "total_due": {"zh-CN": "欠款余额", "en": "balance due"},
    "itemization_date": {"zh-CN": "明细基准日", "en": "itemization date"},
    "itemization_amount": {"zh-CN": "基准日欠款", "en": "amount on the itemization date"},
    "interest_since": {"zh-CN": "基准日后利息", "en": "interest since the itemization date"},
    "fees_since": {"zh-CN": "基准日后费用", "en": "fees since the itemization date"},
    "payments_since": {"zh-CN": "基准日后还款及减免", "en": "payments and credits since the itemization date"},
    # the issuer (from IssuerConfig)
    "creditor_name": {"zh-CN": "债权人名称", "en": "creditor"},
    "creditor_address": {"zh-CN": "债权人地址", "en": "creditor address"},
    "creditor_phone": {"zh-CN": "债权人官方电话", "en": "creditor's official phone"},
    "agency_name": {"zh-CN": "催收机构名称", "en": "collection agency"},
    "agency_address": {"zh-CN": "催收机构地址", "en": "collection agency address"},
    "agency_phone": {"zh-CN": "催收机构电话", "en": "collection agency phone"},
    "dispute_phone": {"zh-CN": "异议受理电话", "en": "dispute phone"},
    "dispute_address": {"zh-CN": "异议及证据提交地址", "en": "dispute mailing address"},
    "dispute_url": {"zh-CN": "异议受理网址", "en": "dispute website"},
    "repay_channel": {"zh-CN": "官方还款渠道", "en": "official way to pay"},
    "check_channel": {"zh-CN": "账务查询渠道", "en": "how to check the account"},
    # made when the notice is issued
    "issue_date": {"zh-CN": "发函日期", "en": "date of the notice"},
    "validation_period_end": {"zh-CN": "核实期截止日", "en": "end of the validation period"},
    "verify_url": {"zh-CN": "核验网址", "en": "verification address"},
    "verify_code": {"zh-CN": "核验码", "en": "verification code"},
    "verify_page": {"zh-CN": "核验页面", "en": "verification page"},
}
FIELDS = frozenset(FIELD_LABELS)
#: Integer minor units (or an exact Decimal) plus ``currency``; formatted with the currency symbol.
AMOUNT_FIELDS = frozenset({"principal", "interest", "fees", "total_due", "itemization_amount", "interest_since",
                           "fees_since", "payments_since"})
#: ``datetime.date`` values, written out per language.
DATE_FIELDS = frozenset({"overdue_since", "as_of_date", "itemization_date", "issue_date", "validation_period_end"})
#: Values the issuer's configuration supplies; they win over a case's values (official channels only).
ISSUER_FIELDS = frozenset({"creditor_name", "creditor_address", "creditor_phone", "agency_name", "agency_address",
                           "agency_phone", "dispute_phone", "dispute_address", "dispute_url", "repay_channel",
                           "check_channel"})

#: Blocks at the top of the first page, seen before the letter is unfolded: no amounts, nothing about
#: the debt beyond the reference number.
TOP_OF_PAGE_BLOCKS = frozenset({"letterhead", "title", "reference"})
PRIVATE_FIELDS = AMOUNT_FIELDS | frozenset({"dpd", "overdue_since", "contract_name", "product"})

BLOCK_TYPES = ("letterhead", "title", "reference", "addressee", "paragraph", "amount_table", "signature", "qr")
CONDITIONS = ("time_barred", "not_time_barred")
PAGE_SIZES = ("A4", "Letter")


@dataclass(frozen=True)
class Requirement:
    """What a jurisdiction's notice must carry: fields (placeholders) and sections (block roles)."""

    source: str
    fields: Mapping[str, str]  # field → why
    roles: Mapping[str, str]  # block role → why
    block_types: Mapping[str, str] = field(default_factory=dict)


REQUIREMENTS: dict[str, Requirement] = {
    "CN": Requirement(
        source="PRODUCT.md CN8/CN9/CN11 (credit-card rules Art. 68–69)",
        fields={
            "debtor_name": "CN8/CN9: the debtor's (or guarantor's) name",
            "account_ref": "CN9: which debt",
            "total_due": "CN9: the balance",
            "overdue_since": "CN9: the reason (overdue since)",
            "creditor_name": "CN9/CN11: the creditor",
            "creditor_phone": "CN9: the creditor's contact details",
            "creditor_address": "CN9: the creditor's contact details",
            "agency_name": "CN11: the collecting agency is named",
            "check_channel": "CN9: how to check",
            "repay_channel": "CN9: how to repay (official channel only)",
            "dispute_phone": "CN9: how to dispute",
            "dispute_address": "CN9: where to submit evidence",
            "issue_date": "the date of the letter",
            "verify_url": "PRODUCT.md §8: the public verification",
            "verify_code": "PRODUCT.md §8: the public verification",
        },
        roles={
            "reason": "CN9: the reason for collection",
            "legal_basis": "CN9: the legal basis",
            "balance": "CN9: the balance",
            "rights_duties": "CN9: the debtor's rights and duties",
            "how_to_check": "CN9: how to check",
            "how_to_repay": "CN9: how to repay",
            "how_to_dispute": "CN9: how to dispute and submit evidence",
            "contact": "CN9: the creditor's contact details",
            "agency": "CN11: the collecting agency",
        },
        block_types={"signature": "CN9: the creditor's seal", "qr": "PRODUCT.md §8: the verification QR code"},
    ),
    "US": Requirement(
        source="Regulation F §1006.34 and model form B-1",
        fields={
            "agency_name": "§1006.34(c)(1): the debt collector's name",
            "agency_address": "§1006.34(c)(1): the debt collector's mailing address",
            "debtor_name": "§1006.34(c)(2)(i): the consumer's name",
            "debtor_address": "§1006.34(c)(2)(i): the consumer's mailing address",
            "creditor_name": "§1006.34(c)(2)(iii)-(v): the creditor",
            "account_ref": "§1006.34(c)(2)(iv): the account number",
            "itemization_date": "§1006.34(c)(2)(vi): the itemization date",
            "itemization_amount": "§1006.34(c)(2)(vi): the amount on the itemization date",
            "interest_since": "§1006.34(c)(2)(vii): interest since the itemization date",
            "fees_since": "§1006.34(c)(2)(vii): fees since the itemization date",
            "payments_since": "§1006.34(c)(2)(vii): payments and credits since the itemization date",
            "total_due": "§1006.34(c)(2)(viii): the current amount of the debt",
            "validation_period_end": "§1006.34(c)(3): the end of the validation period",
            "dispute_address": "§1006.34(c)(3): where to dispute",
            "issue_date": "the date of the letter",
            "verify_url": "PRODUCT.md §8: the public verification",
            "verify_code": "PRODUCT.md §8: the public verification",
        },
        roles={
            "collector_disclosure": "B-1: '<collector> is a debt collector'",
            "itemization": "B-1: the itemization table",
            "how_to_dispute": "B-1: 'How can you dispute the debt?'",
            "what_else": "B-1: 'What else can you do?'",
        },
        block_types={"qr": "PRODUCT.md §8: the verification QR code"},
    ),
}

#: Words that threaten, impersonate or shame: never in a notice (CN: no threats; US: §1006.18).
FORBIDDEN_WORDS: dict[str, tuple[str, ...]] = {
    "zh-CN": ("坐牢", "拘留", "判刑", "刑事责任", "公安", "警察", "传票", "曝光", "通讯录", "亲友", "上门追讨",
              "后果自负", "黑名单"),
    "en": ("arrest", "jail", "prison", "police", "criminal", "expose you", "your family", "your employer",
           "blacklist"),
}
#: Suit language, removed for a time-barred debt (US7, §1006.26(b)).
SUIT_WORDS: dict[str, tuple[str, ...]] = {
    "zh-CN": ("起诉", "诉讼", "法院", "法律行动"),
    "en": ("sue", "suit", "lawsuit", "court", "legal action", "judgment"),
}
#: A block with this role may say that the creditor cannot sue (the time-barred disclosure).
TIME_BARRED_DISCLOSURE = "time_barred_disclosure"

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_FILL = re.compile(r"\{([^{}]*)\}(\.?)")


def placeholders_in(text: str) -> list[str]:
    """Names of ``{placeholder}`` fields in a text, in order of appearance."""
    return _PLACEHOLDER.findall(text)


def _word_hits(text: str, words: Sequence[str], lang: str) -> list[str]:
    if lang == "en":
        lowered = text.lower()
        return [w for w in words if re.search(rf"\b{re.escape(w)}\b", lowered)]
    return [w for w in words if w in text]


# ------------------------------------------------------------------------------ templates
@dataclass(frozen=True)
class Block:
    """One layout block. Texts are {language: text}; ``rows`` for reference and amount tables."""

    type: str
    role: str | None = None
    heading: Mapping[str, str] = field(default_factory=dict)
    text: Mapping[str, str] = field(default_factory=dict)
    rows: tuple[Mapping[str, Any], ...] = ()
    style: str = "plain"
    only_if: str | None = None

    def texts(self) -> list[tuple[Path_, str, str]]:
        """(path inside the block, language, text) of every text of the block."""
        out: list[tuple[Path_, str, str]] = []
        for key in ("heading", "text"):
            for lang, text in getattr(self, key).items():
                out.append(((key, lang), lang, text))
        for i, row in enumerate(self.rows):
            for lang, text in row.get("label", {}).items():
                out.append((("rows", i, "label", lang), lang, text))
            for lang in LANGUAGES:
                out.append((("rows", i, "value"), lang, row.get("value", "")))
        return out

    def shown(self, time_barred: bool) -> bool:
        if self.only_if == "time_barred":
            return time_barred
        if self.only_if == "not_time_barred":
            return not time_barred
        return True


class NoticeTemplate:
    """A parsed notice template (``kind: notice``); identified by id, version and content hash."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        try:
            self.id: str = data["id"]
            self.version: str = data["version"]
            self.jurisdiction: str = data["jurisdiction"]
            self.languages: tuple[str, ...] = tuple(data["languages"])
            self.page_size: str = data.get("page_size", "A4")
            self.title: Mapping[str, str] = data["title"]
            self.required_fields: tuple[str, ...] = tuple(data["required_fields"])
            self.blocks: tuple[Block, ...] = tuple(
                Block(type=b["type"], role=b.get("role"), heading=b.get("heading", {}), text=b.get("text", {}),
                      rows=tuple(b.get("rows", ())), style=b.get("style", "plain"), only_if=b.get("only_if"))
                for b in data["blocks"])
        except (KeyError, TypeError) as exc:
            raise FormError(f"notice template {data.get('id', '?')!r} is malformed: {exc}") from None
        self.data = data
        self.hash = content_hash(data)

    @classmethod
    def bundled(cls, template_id: str) -> NoticeTemplate:
        """The bundled template with this id; FormError if there is none."""
        template = _bundled_notice_templates().get(template_id)
        if template is None:
            raise FormError(f"no notice template {template_id!r}")
        return template

    def placeholders(self, time_barred: bool | None = None) -> set[str]:
        """Placeholders of the blocks shown (all blocks when ``time_barred`` is None)."""
        return {name for b in self.blocks if time_barred is None or b.shown(time_barred)
                for _, _, text in b.texts() for name in placeholders_in(text)}

    def __repr__(self) -> str:
        return f"<NoticeTemplate {self.id} {self.version}>"


def bundled_notice_templates() -> dict[str, NoticeTemplate]:
    """Every bundled notice template by id (``forms/notices/*.yaml``); read once per process."""
    return dict(_bundled_notice_templates())


@lru_cache(maxsize=1)
def _bundled_notice_templates() -> dict[str, NoticeTemplate]:
    out: dict[str, NoticeTemplate] = {}
    for entry in sorted((bundled_forms() / "notices").iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".yaml", ".yml")):
            template = NoticeTemplate(parse_yaml(entry.read_text(encoding="utf-8")).data)
            out[template.id] = template
    return out


# ------------------------------------------------------------------------------ the checks
def template_problems(doc: YamlDocument) -> list[tuple[int, str]]:
    """What a schema cannot check of a notice template: (line, problem) for ``fieldapp forms check``.

    Unknown placeholders; languages; a required field of the jurisdiction not declared in
    ``required_fields`` or not shown in some language; a required section (block role) missing;
    threatening words; suit language shown on a time-barred debt (US).
    """
    data = doc.data
    template = NoticeTemplate(data)
    found: list[tuple[int, str]] = []

    def at(*path: str | int) -> int:
        return doc.line_of(path)

    for lang in LANGUAGES:
        if lang not in template.languages:
            found.append((at("languages"), f"the notice must be available in {lang}"))
    declared = set(template.required_fields)
    for i, name in enumerate(template.required_fields):
        if name not in FIELDS:
            found.append((at("required_fields", i), f"unknown required field {name!r}"))
        if name in template.required_fields[:i]:
            found.append((at("required_fields", i), f"required field {name!r} is listed twice"))

    shown_in: dict[str, set[str]] = {lang: set() for lang in LANGUAGES}
    for i, block in enumerate(template.blocks):
        for path, lang, text in block.texts():
            where = at("blocks", i, *path)
            for name in placeholders_in(text):
                if name not in FIELDS:
                    found.append((where, f"unknown placeholder {{{name}}}"))
                else:
                    shown_in[lang].add(name)
            for word in _word_hits(text, FORBIDDEN_WORDS.get(lang, ()), lang):
                found.append((where, f"{word!r} threatens, impersonates or shames: not allowed in a notice"))
            if (template.jurisdiction == "US" and block.shown(time_barred=True)
                    and block.role != TIME_BARRED_DISCLOSURE):
                for word in _word_hits(text, SUIT_WORDS.get(lang, ()), lang):
                    found.append((where, f"US7: suit language ({word!r}) would be shown on a time-barred debt; "
                                         "mark the block only_if: not_time_barred"))
        if block.type in TOP_OF_PAGE_BLOCKS:
            for path, lang, text in block.texts():
                for name in sorted(set(placeholders_in(text)) & PRIVATE_FIELDS):
                    found.append((at("blocks", i, *path), f"a {block.type} block is seen first (and through an "
                                                          f"envelope window): it must not show {{{name}}}"))
        if block.type == "qr":
            for lang in LANGUAGES:
                shown_in[lang].add("verify_url")  # the QR code carries it
        if block.type in ("reference", "amount_table") and not block.rows:
            found.append((at("blocks", i), f"a {block.type} block needs rows"))
        if block.type in ("addressee", "paragraph") and not block.text:
            found.append((at("blocks", i), f"a {block.type} block needs text"))
    for lang in LANGUAGES:
        for name in sorted((declared & FIELDS) - shown_in[lang]):
            found.append((at("required_fields", template.required_fields.index(name)),
                          f"required field {name!r} is not shown in the {lang} text"))

    requirement = REQUIREMENTS.get(template.jurisdiction)
    if requirement is not None:
        for name, why in requirement.fields.items():
            if name not in declared:
                found.append((at("required_fields"),
                              f"the {template.jurisdiction} notice must require {name!r} ({why})"))
        roles = {b.role for b in template.blocks if b.role}
        for role, why in requirement.roles.items():
            if role not in roles:
                found.append((at("blocks"), f"the {template.jurisdiction} notice has no {role!r} section ({why})"))
        types = {b.type for b in template.blocks}
        for block_type, why in requirement.block_types.items():
            if block_type not in types:
                found.append((at("blocks"), f"the {template.jurisdiction} notice has no {block_type} block ({why})"))
    return found


# ------------------------------------------------------------------------------ filling
class MissingNoticeValues(NoticeError):
    """Values the notice shows are empty: it must not be printed. ``fields`` names them."""

    def __init__(self, template_id: str, fields: Sequence[str]) -> None:
        self.fields = tuple(fields)
        en = ", ".join(f"{FIELD_LABELS[f]['en']} ({f})" for f in self.fields)
        zh = "、".join(f"{FIELD_LABELS[f]['zh-CN']}（{f}）" for f in self.fields)
        super().__init__(f"cannot issue notice {template_id}: these values are empty: {en}",
                         f"无法出具通告函 {template_id}：以下内容为空：{zh}")


@dataclass(frozen=True)
class IssuerConfig:
    """Who issues the notices: the creditor's letterhead and official channels, and the agency.

    Texts may be plain strings or {language: text}. ``logo_path`` and ``seal_path`` (PNG/JPEG) are
    optional; without a seal image the signature block leaves room for the physical seal.
    """

    creditor_name: str | Mapping[str, str]
    creditor_address: str | Mapping[str, str]
    creditor_phone: str
    agency_name: str | Mapping[str, str]
    agency_address: str | Mapping[str, str] = ""
    agency_phone: str = ""
    dispute_phone: str = ""
    dispute_address: str | Mapping[str, str] = ""
    dispute_url: str = ""
    repay_channel: str | Mapping[str, str] = ""
    check_channel: str | Mapping[str, str] = ""
    logo_path: str | None = None
    seal_path: str | None = None

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in ISSUER_FIELDS}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> IssuerConfig:
        """From configuration (YAML/JSON/server settings); NoticeError naming unknown or missing keys."""
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - known)
        if unknown:
            raise NoticeError(f"unknown issuer setting(s): {', '.join(unknown)}", f"未知的出函方设置：{'、'.join(unknown)}")
        try:
            return cls(**data)
        except TypeError as exc:
            raise NoticeError(f"issuer settings incomplete: {exc}", "出函方设置不完整") from None


@dataclass(frozen=True)
class FilledBlock:
    """A block in one language, placeholders filled. ``rows``: (label, value, is_total)."""

    type: str
    role: str | None
    heading: str
    text: str
    rows: tuple[tuple[str, str, bool], ...]
    style: str


@dataclass(frozen=True)
class FilledNotice:
    """One notice, ready to draw: one language, every value filled, nothing empty."""

    template_id: str
    template_version: str
    template_hash: str
    jurisdiction: str
    language: str
    page_size: str
    title: str
    blocks: tuple[FilledBlock, ...]
    values: Mapping[str, str]  # the formatted values shown
    token: str
    verify_url: str
    verify_code: str
    issuer: IssuerConfig
    issued_on: dt.date
    time_barred: bool = False

    @property
    def content_hash(self) -> str:
        """SHA-256 of what the letter says (for the notice record and the audit event)."""
        return content_hash({
            "template": [self.template_id, self.template_version, self.template_hash],
            "language": self.language, "title": self.title, "token": self.token,
            "blocks": [[b.type, b.heading, b.text, [list(r) for r in b.rows]] for b in self.blocks],
        })


    def record(self) -> dict[str, Any]:
        """The notice as stored and synced (JSON-safe): what the verification page may show, and no more.

        Token and code, template id/version/hash, language, content hash, issue date, and creditor
        and agency names in both languages. Never the debtor's name, address or any amount.
        """
        def both(value: str | Mapping[str, str]) -> dict[str, str]:
            if isinstance(value, Mapping):
                fallback = next((v for v in value.values() if not _empty(v)), "")
                return {lang: value.get(lang) or fallback for lang in LANGUAGES}
            return {lang: value for lang in LANGUAGES}

        return {
            "token": self.token, "code": self.verify_code, "template_id": self.template_id,
            "template_version": self.template_version, "template_hash": self.template_hash,
            "language": self.language, "content_hash": self.content_hash, "issued_on": self.issued_on.isoformat(),
            "creditor_name": both(self.issuer.creditor_name), "agency_name": both(self.issuer.agency_name),
            "time_barred": self.time_barred,
        }


def _empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, Mapping):
        return all(_empty(v) for v in value.values())
    return False


def format_date(day: dt.date, language: str) -> str:
    """``2026年11月25日`` / ``November 25, 2026``."""
    if isinstance(day, dt.datetime):
        day = day.date()
    if language == "zh-CN":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day:%B} {day.day}, {day.year}"


def _format(name: str, value: Any, language: str, currency: str | None) -> str:
    if isinstance(value, Mapping):
        value = value.get(language) or next((v for v in value.values() if not _empty(v)), "")
    if name in AMOUNT_FIELDS:
        if isinstance(value, bool) or isinstance(value, float):
            raise TypeError(f"{name}: amounts are integer minor units or Decimal, never {type(value).__name__}")
        minor = to_minor(value, currency) if isinstance(value, Decimal) else int(value)
        if minor < 0:  # the letter's wording carries the sign ("– {payments_since}")
            raise NoticeError(f"{name} is negative ({minor} minor units): notices show amounts as positive numbers",
                              f"{FIELD_LABELS[name]['zh-CN']}为负数，无法出具通告函")
        return format_amount(minor, currency)
    if name in DATE_FIELDS:
        if isinstance(value, str):
            value = dt.date.fromisoformat(value)
        return format_date(value, language)
    return str(value).strip()


def fill_notice(template: NoticeTemplate, values: Mapping[str, Any], *, language: str, issuer: IssuerConfig,
                token: str, base_url: str, issued_on: dt.date, time_barred: bool = False) -> FilledNotice:
    """Fill ``template`` with one case's ``values`` in ``language``; refuse if a shown value is empty.

    ``values``: amounts in integer minor units (or Decimal) with ``currency``; dates as
    ``datetime.date``; texts as str or {language: text}. The issuer's values (``IssuerConfig``)
    override the case's: a notice only ever shows the creditor's official channels. Filled in
    here: ``issue_date`` (= ``issued_on``), ``verify_url``, ``verify_code`` and, for US notices,
    ``validation_period_end`` from ``issued_on`` unless given.

    Raises MissingNoticeValues naming every empty field a shown block uses or the template
    requires (0 is a value; None, "" and blanks are not), NoticeError for a language the template
    lacks or a bad token or base URL.
    """
    if language not in template.languages:
        raise NoticeError(f"notice {template.id} has no {language} version", f"通告函 {template.id} 没有 {language} 版本")
    url = verification_url(base_url, token)
    merged: dict[str, Any] = dict(values)
    merged.update(issuer.values())
    merged["issue_date"] = issued_on
    merged["verify_url"] = url
    merged["verify_code"] = verification_code(token)
    merged["verify_page"] = url.rsplit("/", 1)[0]  # <base_url>/v: where the short code can be typed
    if template.jurisdiction == "US" and _empty(merged.get("validation_period_end")):
        merged["validation_period_end"] = validation_period_end(issued_on)

    shown = [b for b in template.blocks if b.shown(time_barred)]
    needed = {name for b in shown for _, lang, text in b.texts() if lang == language
              for name in placeholders_in(text)} | set(template.required_fields)
    if any(b.type == "qr" for b in shown):
        needed.add("verify_url")
    if needed & AMOUNT_FIELDS:
        needed.add("currency")
    missing = sorted(name for name in needed if _empty(merged.get(name)))
    if missing:
        raise MissingNoticeValues(template.id, missing)
    currency = str(merged.get("currency") or "")
    formatted = {name: _format(name, merged[name], language, currency) for name in needed}

    def fill(text: str) -> str:
        # "owed to {creditor_name}." with "Bay Bank, N.A." must not end in "..": the value's stop serves
        return _FILL.sub(lambda m: formatted[m.group(1)] + ("" if formatted[m.group(1)].endswith(".") else m.group(2)),
                         text)

    blocks = tuple(
        FilledBlock(
            type=b.type, role=b.role, heading=fill(b.heading.get(language, "")), text=fill(b.text.get(language, "")),
            rows=tuple((fill(r.get("label", {}).get(language, "")), fill(r.get("value", "")), bool(r.get("total")))
                       for r in b.rows),
            style=b.style)
        for b in shown)
    return FilledNotice(
        template_id=template.id, template_version=template.version, template_hash=template.hash,
        jurisdiction=template.jurisdiction, language=language, page_size=template.page_size,
        title=fill(template.title[language]), blocks=blocks, values=formatted, token=token, verify_url=url,
        verify_code=formatted["verify_code"], issuer=issuer, issued_on=issued_on, time_barred=time_barred)


# ------------------------------------------------------------------------------ Regulation F dates
def assumed_receipt(sent_on: dt.date) -> dt.date:
    """§1006.34(b)(5): the consumer is assumed to receive a notice 5 business days after it is sent
    (Saturdays, Sundays and federal holidays not counted)."""
    return add_business_days(sent_on, 5)


def validation_period_end(sent_on: dt.date) -> dt.date:
    """The last day of the validation period: 30 days after the assumed receipt.

    The result may fall on a weekend or holiday; Regulation F does not move it.
    """
    if isinstance(sent_on, dt.datetime):
        raise TypeError("sent_on is a date (the consumer-local day the notice was sent), not a datetime")
    return assumed_receipt(sent_on) + dt.timedelta(days=30)


__all__ = (
    "AMOUNT_FIELDS", "DATE_FIELDS", "FIELDS", "FIELD_LABELS", "REQUIREMENTS", "Block",
    "FilledBlock", "FilledNotice", "IssuerConfig", "MissingNoticeValues", "NoticeError", "NoticeTemplate",
    "assumed_receipt", "bundled_notice_templates", "fill_notice", "format_date",
    "placeholders_in", "template_problems", "validation_period_end",
)
