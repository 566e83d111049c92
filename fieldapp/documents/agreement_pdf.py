"""The signed repayment agreement (还款协议) as a PDF: parties, plan, schedule, default terms, signatures, seal, QR.

Takes a :class:`fieldapp.core.plans.SealedPlan` and the two signature images (PNG bytes) and lays
out one formal document: the creditor, the collecting agency and the debtor; what is agreed (total
due, waiver, down payment, frequency); the full schedule with a total that equals the agreed total;
the default terms (违约责任); both signatures side by side; the seal (the SHA-256 the plan was sealed
with) so anyone can compare a paper copy with the record; and a QR code carrying only
``<base_url>/v/<token>`` with the short verification code next to it (PRODUCT.md §8). Pages are
numbered ("第 1 页 / 共 2 页") and the footer says nothing about the debt.

Pure function of its input, Qt-free and safe off the GUI thread; about 30 ms a document once the
font is registered.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from fieldapp.core.money import format_amount, to_minor
from fieldapp.core.notices import IssuerConfig
from fieldapp.core.plans import (
    FREQUENCY_LABELS,
    PENDING_APPROVAL,
    SealedPlan,
    verify_seal,
)
from fieldapp.core.verification import verification_code, verification_url
from fieldapp.documents.fonts import LATIN_BOLD_FONT, markup, register_fonts

# The notice's page furniture and styles: every FieldApp document has the same footer and type.
from fieldapp.documents.notice_pdf import (
    ACCENT,
    GREY,
    MARGIN,
    QR_SIZE,
    RULE,
    SHADE,
    Paragraph,
    _Footer,
    _NoticeStart,
    _NumberedCanvas,
    _styles,
)
from fieldapp.documents.qr import qr_flowable

LANGUAGES = ("zh-CN", "en")

#: Standard default terms (违约责任) per language; the editor puts them in the plan, where they are sealed.
DEFAULT_TERMS = {
    "zh-CN": (
        "一、乙方任何一期未按约定足额还款且逾期超过 15 日的，视为违约，甲方有权终止本还款计划，"
        "本计划中的减免不再适用，剩余欠款按原借款合同的约定处理。\n"
        "二、本协议不改变原借款合同的效力；除本协议约定的分期与减免外，原合同其他条款继续有效。\n"
        "三、乙方如预计无法按期还款，应在到期日前主动联系甲方或受托催收机构协商，双方可另行签订新的还款计划，"
        "新计划签署后取代本计划，本计划仍予留存。\n"
        "四、甲方及受托催收机构依法合规催收，不采取暴力、威胁、侮辱或向无关第三人披露债务等手段。"
    ),
    "en": (
        "1. If the Debtor fails to pay any instalment in full and it is more than 15 days overdue, the plan is in "
        "default: the Creditor may end it, the waiver in it no longer applies, and the remaining debt is handled "
        "under the original loan agreement.\n"
        "2. This agreement does not change the validity of the original loan agreement; apart from the instalments "
        "and waiver agreed here, its other terms remain in force.\n"
        "3. If the Debtor expects to miss a payment, the Debtor should contact the Creditor or the collecting agency "
        "before the due date; a new plan may then be signed, which replaces this one (this one stays on record).\n"
        "4. The Creditor and the collecting agency collect lawfully: no violence, threats, insults, or telling "
        "unrelated third parties about the debt."
    ),
}

_T = {
    "title": {"zh-CN": "还款协议", "en": "Repayment Agreement"},
    "agreement_no": {"zh-CN": "协议编号", "en": "Agreement no."},
    "account": {"zh-CN": "借款账号", "en": "Account"},
    "signed_on": {"zh-CN": "签署日期", "en": "Signed on"},
    "parties": {"zh-CN": "协议各方", "en": "Parties"},
    "creditor": {"zh-CN": "甲方（债权人）", "en": "Creditor"},
    "agency": {"zh-CN": "受托催收机构", "en": "Collecting agency"},
    "debtor": {"zh-CN": "乙方（债务人）", "en": "Debtor"},
    "id_number": {"zh-CN": "身份证号", "en": "ID number"},
    "collector": {"zh-CN": "外访员", "en": "Collector"},
    "terms": {"zh-CN": "还款安排", "en": "What is agreed"},
    "total_due": {"zh-CN": "欠款总额", "en": "Total due"},
    "waiver": {"zh-CN": "减免金额", "en": "Waiver"},
    "agreed_total": {"zh-CN": "约定还款总额", "en": "Agreed total"},
    "down_payment": {"zh-CN": "首付款", "en": "Down payment"},
    "frequency": {"zh-CN": "还款频率", "en": "Frequency"},
    "count": {"zh-CN": "期数", "en": "Instalments"},
    "schedule": {"zh-CN": "还款计划表", "en": "Schedule"},
    "number": {"zh-CN": "期次", "en": "No."},
    "due_on": {"zh-CN": "到期日", "en": "Due on"},
    "amount": {"zh-CN": "金额", "en": "Amount"},
    "total": {"zh-CN": "合计", "en": "Total"},
    "down": {"zh-CN": "首付", "en": "Down"},
    "default_terms": {"zh-CN": "违约责任", "en": "Default terms"},
    "pending": {"zh-CN": "本计划超出外访员的权限，须经组长审批后生效；审批结果将另行通知乙方。",
                "en": "This plan is beyond the collector's authority and takes effect once the team lead approves "
                      "it; the Debtor will be told the decision."},
    "supersedes": {"zh-CN": "本协议取代编号为 {old} 的原还款计划，原计划仍予留存。",
                   "en": "This agreement replaces the earlier plan no. {old}, which stays on record."},
    "signatures": {"zh-CN": "签字", "en": "Signatures"},
    "debtor_signs": {"zh-CN": "乙方（债务人）签字", "en": "Debtor's signature"},
    "collector_signs": {"zh-CN": "外访员签字（代表受托催收机构）", "en": "Collector's signature (for the agency)"},
    "seal": {"zh-CN": "文件摘要（SHA-256）", "en": "Document seal (SHA-256)"},
    "seal_note": {"zh-CN": "本摘要由协议内容和双方签名计算得出，协议内容任何改动都会使摘要不符。",
                  "en": "Computed from the agreement and both signatures; any change to the agreement breaks it."},
    "verify": {"zh-CN": "扫描二维码或访问核验网址并输入核验码，可查验本协议是否真实；核验页面不显示个人信息。",
               "en": "Scan the code, or visit the verification page and enter the code, to check this agreement is "
                     "genuine; the page shows no personal data."},
}


class AgreementError(ValueError):
    """An agreement that cannot be printed: a broken seal, a missing signature, an unknown language."""


def _t(key: str, language: str) -> str:
    return _T[key][language]


def _pick(value: str | Mapping[str, str], language: str) -> str:
    if isinstance(value, Mapping):
        return str(value.get(language) or value.get("zh-CN") or next(iter(value.values()), ""))
    return str(value or "")


def format_date(day: dt.date, language: str) -> str:
    """``2026年12月1日`` or ``1 Dec 2026``: dates as the debtor reads them."""
    if language == "zh-CN":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {day:%b} {day.year}"


def _money(amount: Any, currency: str) -> str:
    return format_amount(to_minor(amount, currency), currency)


class _SignatureImage(Flowable):
    """A signature PNG scaled into a fixed box over a signing line, with its caption below."""

    def __init__(self, png: bytes, caption: str, width: float, style: ParagraphStyle) -> None:
        super().__init__()
        self.reader = ImageReader(io.BytesIO(png))
        self.caption = Paragraph(markup(caption), style)
        self.box_width, self.box_height = width, 24 * mm

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        _, caption_height = self.caption.wrap(self.box_width, avail_height)
        self.caption_height = caption_height
        return self.box_width, self.box_height + caption_height + 3 * mm

    def draw(self) -> None:
        canvas = self.canv
        base = self.caption_height + 3 * mm
        w, h = self.reader.getSize()
        scale = min(self.box_width / w, self.box_height / h)
        canvas.drawImage(self.reader, (self.box_width - w * scale) / 2, base, w * scale, h * scale, mask="auto")
        canvas.setStrokeColor(GREY)
        canvas.setLineWidth(0.6)
        canvas.line(0, base, self.box_width, base)
        self.caption.drawOn(canvas, 0, 0)


def _two_columns(rows: list[list[Any]], widths: list[float], *, header: bool = False) -> Table:
    table = Table(rows, colWidths=widths)
    style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 4),
             ("RIGHTPADDING", (0, 0), (-1, -1), 4), ("TOPPADDING", (0, 0), (-1, -1), 3),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 3), ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE)]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    table.setStyle(TableStyle(style))
    return table


def render_agreement(sealed_plan: SealedPlan, *, case: Any, issuer: IssuerConfig, base_url: str, token: str,
                     signatures: Mapping[str, bytes], language: str | None = None) -> bytes:
    """The agreement as PDF bytes (A4). ``case``: anything with ``debtor_name``, ``account_ref`` and
    optionally ``id_number_masked`` and ``address`` (a store Case or a protocol CaseRecord).

    ``signatures``: ``{"debtor": png, "collector": png}``, the images whose hashes (or whose stroke
    data's hashes) were sealed. ``language`` defaults to the plan's. Raises AgreementError when the
    seal does not verify or a signature is missing, NoticeError for a bad token or base URL.
    """
    plan = sealed_plan.plan
    language = language or plan.language
    if language not in LANGUAGES:
        raise AgreementError(f"unknown language {language!r}; expected one of {LANGUAGES}")
    if not verify_seal(sealed_plan):
        raise AgreementError("the plan does not match its seal: it was changed after signing")
    for who in ("debtor", "collector"):
        if not signatures.get(who):
            raise AgreementError(f"the {who}'s signature image is missing")
    url = verification_url(base_url, token)
    code = verification_code(token)
    register_fonts()
    st = _styles(language)
    width = A4[0] - 2 * MARGIN
    cur = plan.currency
    label = ParagraphStyle("label", parent=st.cell, textColor=GREY)
    P = lambda text, style=st.cell: Paragraph(markup(text), style)  # noqa: E731

    story: list[Flowable] = [_NoticeStart(_Footer(0, language, code))]
    creditor = _pick(issuer.creditor_name, language)
    agency = _pick(issuer.agency_name, language)
    head = Table([[P(creditor, st.name)], [P(agency, st.small)]], colWidths=[width])
    head.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, -1), (-1, -1), 5),
                              ("LINEBELOW", (0, -1), (-1, -1), 1.2, ACCENT)]))
    story += [head, Paragraph(markup(_t("title", language)), st.title)]

    ref = Table([[P(_t("agreement_no", language), label), P(plan.id, st.cell)],
                 [P(_t("account", language), label), P(str(case.account_ref), st.cell)],
                 [P(_t("signed_on", language), label), P(format_date(plan.agreed_on, language), st.cell)]],
                colWidths=[30 * mm, 85 * mm], hAlign="RIGHT")
    ref.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5)]))
    story += [ref, Spacer(0, 3 * mm)]

    # ---------------------------------------------------------------- parties
    debtor_lines = [str(case.debtor_name)]
    masked = getattr(case, "id_number_masked", "")
    if masked:
        debtor_lines.append(f"{_t('id_number', language)}：{masked}" if language == "zh-CN"
                            else f"{_t('id_number', language)}: {masked}")
    address = getattr(case, "address", "")
    if address:
        debtor_lines.append(str(address))
    creditor_lines = [creditor, _pick(issuer.creditor_address, language), issuer.creditor_phone]
    agency_lines = [agency, _pick(issuer.agency_address, language), issuer.agency_phone]
    if plan.collector:
        agency_lines.append(f"{_t('collector', language)}：{plan.collector}" if language == "zh-CN"
                            else f"{_t('collector', language)}: {plan.collector}")
    parties = [[P(_t(key, language), label), P("\n".join(x for x in lines if x))]
               for key, lines in (("creditor", creditor_lines), ("agency", agency_lines), ("debtor", debtor_lines))]
    story += [Paragraph(markup(_t("parties", language)), st.heading), _two_columns(parties, [38 * mm, width - 38 * mm])]

    # ---------------------------------------------------------------- terms
    regular = plan.regular_instalments
    terms = [(_t("total_due", language), _money(plan.total_due, cur))]
    if plan.waiver:
        terms.append((_t("waiver", language), _money(plan.waiver, cur)))
    terms.append((_t("agreed_total", language), _money(plan.agreed_total, cur)))
    if plan.down_payment:
        terms.append((_t("down_payment", language), _money(plan.down_payment, cur)))
    terms += [(_t("frequency", language), FREQUENCY_LABELS[plan.frequency][language]),
              (_t("count", language), str(len(regular)))]
    rows = [[P(k, label), P(v, st.cell_right)] for k, v in terms]
    story += [Paragraph(markup(_t("terms", language)), st.heading), _two_columns(rows, [width * 0.6, width * 0.4])]
    notes = []
    if plan.supersedes:
        notes.append(_t("supersedes", language).format(old=plan.supersedes))
    if plan.status == PENDING_APPROVAL:
        notes.append(_t("pending", language))
    for note in notes:
        story += [Spacer(0, 2 * mm), P(note, ParagraphStyle("note", parent=st.small, textColor=ACCENT))]

    # ---------------------------------------------------------------- schedule
    sched = [[P(_t("number", language), st.cell_total), P(_t("due_on", language), st.cell_total),
              P(_t("amount", language), st.cell_total_right)]]
    for item in plan.instalments:
        number = _t("down", language) if item.number == 0 else str(item.number)
        sched.append([P(number), P(format_date(item.due_on, language)), P(_money(item.amount, cur), st.cell_right)])
    sched.append([P(_t("total", language), st.cell_total), P(""),
                  P(_money(sum((i.amount for i in plan.instalments), Decimal(0)), cur), st.cell_total_right)])
    # a page break never leaves fewer than two instalments on either side (no lone total row)
    table = Table(sched, colWidths=[width * 0.18, width * 0.47, width * 0.35], repeatRows=1,
                  rowSplitRange=(3, -3) if len(sched) >= 7 else None)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LINEABOVE", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, ACCENT), ("LINEABOVE", (0, -1), (-1, -1), 0.6, ACCENT),
        ("LINEBELOW", (0, -1), (-1, -1), 0.8, ACCENT), ("BACKGROUND", (0, -1), (-1, -1), SHADE),
        ("LINEBELOW", (0, 1), (-1, -3), 0.3, RULE), ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    story += [CondPageBreak(40 * mm), Paragraph(markup(_t("schedule", language)), st.heading),
              table if len(sched) >= 7 else KeepTogether([table])]

    # ---------------------------------------------------------------- default terms
    story.append(CondPageBreak(30 * mm))
    story.append(Paragraph(markup(_t("default_terms", language)), st.heading))
    body = ParagraphStyle("terms", parent=st.body, firstLineIndent=0)
    for line in (plan.default_terms or DEFAULT_TERMS[language]).split("\n"):
        if line.strip():
            story.append(P(line, body))

    # ---------------------------------------------------------------- signatures and seal
    half = (width - 10 * mm) / 2
    signed = Table([[_SignatureImage(signatures["debtor"], _t("debtor_signs", language), half, st.small),
                     _SignatureImage(signatures["collector"], _t("collector_signs", language), half, st.small)]],
                   colWidths=[half + 10 * mm, half])
    signed.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    seal_style = ParagraphStyle("seal", parent=st.cell, fontName="Courier", fontSize=8.5, leading=11)
    seal = Table([[P(_t("seal", language), label)], [P(sealed_plan.seal, seal_style)],
                  [P(_t("seal_note", language), st.small)]], colWidths=[width])
    seal.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 1),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    story.append(KeepTogether([Paragraph(markup(_t("signatures", language)), st.heading), Spacer(0, 2 * mm), signed,
                               Spacer(0, 4 * mm), seal]))

    code_style = ParagraphStyle("code", parent=st.cell, fontName=LATIN_BOLD_FONT, fontSize=15, leading=20,
                                textColor=ACCENT)
    qr = Table([[qr_flowable(url, QR_SIZE), [P(code, code_style), P(_t("verify", language), st.small)]]],
               colWidths=[QR_SIZE + 4 * mm, width - QR_SIZE - 4 * mm])
    qr.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                            ("BOX", (0, 0), (-1, -1), 0.5, RULE), ("BACKGROUND", (1, 0), (1, 0), SHADE)]))
    story += [CondPageBreak(QR_SIZE + 10 * mm), Spacer(0, 4 * mm), KeepTogether([qr])]

    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=16 * mm,
                          bottomMargin=20 * mm, title="还款协议 / Repayment Agreement",  # never a name: metadata shows
                          author=creditor, creator="FieldApp", subject="", keywords="")
    frame = Frame(MARGIN, 20 * mm, width, A4[1] - 36 * mm, id="body", leftPadding=0, rightPadding=0, topPadding=0,
                  bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="A4", frames=[frame], pagesize=A4)])
    doc.build(story, canvasmaker=_NumberedCanvas)
    return buffer.getvalue()


__all__ = ("DEFAULT_TERMS", "AgreementError", "format_date", "render_agreement")
