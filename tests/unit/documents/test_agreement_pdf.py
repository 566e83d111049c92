"""The repayment agreement PDF: parties, every schedule line, default terms, both signatures, the seal,
page numbers, and a QR code that decodes to the verification URL and nothing else."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from fieldapp.core.money import format_amount, to_minor
from fieldapp.core.notices import IssuerConfig, NoticeError
from fieldapp.core.plans import (
    PENDING_APPROVAL,
    PlanPolicy,
    draft_plan,
    seal_plan,
    supersede,
)
from fieldapp.core.verification import new_verification_token, verification_code
from fieldapp.documents.agreement_pdf import (
    DEFAULT_TERMS,
    AgreementError,
    format_date,
    render_agreement,
)

BASE_URL = "https://verify.huaxin-cf.example.cn"
ISSUER = IssuerConfig(
    creditor_name={"zh-CN": "华信消费金融有限公司", "en": "Huaxin Consumer Finance Co., Ltd."},
    creditor_address={"zh-CN": "上海市浦东新区世纪大道100号", "en": "100 Century Avenue, Shanghai"},
    creditor_phone="400-820-1234",
    agency_name={"zh-CN": "明达信息咨询服务有限公司", "en": "Mingda Information Consulting Services Co., Ltd."},
    agency_phone="021-6888-1200",
)
CASE = SimpleNamespace(debtor_name="王小明", account_ref="HX-2024-0038817", id_number_masked="3***************8",
                       address="北京市朝阳区建国路 1 号")


def signature_png(wave: int) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (600, 200), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(20, 150), (120, 40 + wave), (220, 160), (320, 50), (420, 140 - wave), (560, 60)],
                               fill=(16, 35, 63, 255), width=5)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


SIGNATURES = {"debtor": signature_png(0), "collector": signature_png(30)}


def sealed_plan(language: str = "zh-CN", **changes: object):  # type: ignore[no-untyped-def]
    policy = PlanPolicy.bundled("CN")
    values = dict(currency="CNY", agreed_on=dt.date(2026, 11, 25), first_due=dt.date(2026, 12, 31), count=8,
                  waiver="1000", down_payment="500", skip_holidays=policy.skip_holidays,
                  default_terms=DEFAULT_TERMS[language], language=language, collector="张伟")
    values.update(changes)
    plan = draft_plan("HX-2024-0038817", "13482.66", **values)  # type: ignore[arg-type]
    sealed = seal_plan(plan, SIGNATURES["debtor"], SIGNATURES["collector"], policy=policy)
    from fieldapp.core.plans import evaluate_plan

    return sealed.with_status(evaluate_plan(plan, policy).status_after_signing(plan.justification))


def render(sealed, token: str, language: str | None = None) -> bytes:  # type: ignore[no-untyped-def]
    return render_agreement(sealed, case=CASE, issuer=ISSUER, base_url=BASE_URL, token=token, signatures=SIGNATURES,
                            language=language)


def text_of(pdf: bytes) -> list[str]:
    return ["".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def qr_codes(pdf: bytes, tmp_path: Path) -> list[str]:
    import zxingcpp
    from PIL import Image

    if shutil.which("pdftoppm") is None:  # pragma: no cover - poppler is part of the dev set-up
        pytest.skip("pdftoppm (poppler) is not installed")
    (tmp_path / "agreement.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(tmp_path / "agreement.pdf"), str(tmp_path / "page")],
                   check=True, timeout=60)
    return [r.text for png in sorted(tmp_path.glob("page*.png")) for r in zxingcpp.read_barcodes(Image.open(png), formats=zxingcpp.BarcodeFormat.QRCode)]


def test_the_chinese_agreement_holds_parties_schedule_terms_and_seal(tmp_path: Path) -> None:
    sealed = sealed_plan()
    token = new_verification_token()
    pdf = render(sealed, token)
    pages = text_of(pdf)
    text = "".join(pages)
    for expected in ("还款协议", "王小明", "华信消费金融有限公司", "明达信息咨询服务有限公司", "张伟", "HX-2024-0038817",
                     "违约责任", "乙方（债务人）签字", "¥13,482.66", "¥1,000.00", "¥12,482.66", sealed.seal,
                     verification_code(token)):
        assert expected.replace(" ", "") in text, expected
    for item in sealed.plan.instalments:
        assert format_date(item.due_on, "zh-CN") in text
        assert format_amount(to_minor(item.amount, "CNY"), "CNY") in text
    total = len(pages)
    for number, page in enumerate(pages, 1):
        assert f"第{number}页/共{total}页" in page
    # the QR code is the verification URL, exactly, once; nothing personal is in the metadata
    assert qr_codes(pdf, tmp_path) == [f"{BASE_URL}/v/{token}"]
    meta = " ".join(str(v) for v in (PdfReader(io.BytesIO(pdf)).metadata or {}).values())
    assert "王小明" not in meta and "HX-2024" not in meta
    # both signature images are embedded
    images = [image for page in PdfReader(io.BytesIO(pdf)).pages for image in page.images]
    assert len(images) >= 2


def test_the_english_agreement_and_a_plan_awaiting_approval() -> None:
    sealed = sealed_plan("en", waiver="6000")
    assert sealed.plan.status == PENDING_APPROVAL
    text = "".join(text_of(render(sealed, new_verification_token())))
    for expected in ("RepaymentAgreement", "Creditor", "Collectingagency", "Defaultterms", "HuaxinConsumerFinance",
                     "teamleadapproves", "31Dec2026", "¥6,000.00"):
        assert expected in text, expected


def test_a_superseding_plan_names_the_plan_it_replaces() -> None:
    first = sealed_plan()
    second = supersede(first, default_terms=DEFAULT_TERMS["zh-CN"] + "\n五、双方另有约定的，从其约定。")
    sealed = seal_plan(second, signature_png(5), signature_png(25))
    text = "".join(text_of(render_agreement(sealed, case=CASE, issuer=ISSUER, base_url=BASE_URL,
                                            token=new_verification_token(),
                                            signatures={"debtor": signature_png(5), "collector": signature_png(25)})))
    assert first.id in text and "取代" in text


def test_tampering_or_a_missing_signature_refuses_to_print() -> None:
    sealed = sealed_plan()
    changed = dataclasses.replace(sealed, plan=dataclasses.replace(sealed.plan, default_terms="无"))
    with pytest.raises(AgreementError):
        render(changed, new_verification_token())
    with pytest.raises(AgreementError):
        render_agreement(sealed, case=CASE, issuer=ISSUER, base_url=BASE_URL, token=new_verification_token(),
                         signatures={"debtor": SIGNATURES["debtor"]})
    with pytest.raises(NoticeError):  # nothing but a random token goes into the QR code
        render(sealed, "王小明 13482.66")
    with pytest.raises(AgreementError):
        render(sealed, new_verification_token(), language="fr")
