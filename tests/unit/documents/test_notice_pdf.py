"""Notice PDFs: every CN9 value is in the printed Chinese notice, the QR code decodes to the verification
URL and nothing else, pages are numbered per notice, empty values refuse to print."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from notice_samples import CN_BASE_URL, CN_ISSUER, cn_notice, squeeze, us_notice
from pypdf import PdfReader

from fieldapp.core.money import format_amount
from fieldapp.core.notices import REQUIREMENTS, MissingNoticeValues, NoticeError
from fieldapp.core.verification import new_verification_token
from fieldapp.documents.notice_pdf import render_batch, render_notice

A4 = (595.2756, 841.8898)
LETTER = (612.0, 792.0)


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def decode_qr_codes(pdf: bytes, tmp_path: Path, page: int) -> list[str]:
    """Render one page (1-based) as the printer would and read every barcode on it."""
    import zxingcpp
    from PIL import Image

    if shutil.which("pdftoppm") is None:  # pragma: no cover - poppler is part of the dev set-up
        pytest.skip("pdftoppm (poppler) is not installed")
    source = tmp_path / "notice.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", str(page), "-l", str(page), "-singlefile", str(source),
                    str(tmp_path / "page")], check=True, timeout=60)
    return [r.text for r in zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"), formats=zxingcpp.BarcodeFormat.QRCode)]


# ------------------------------------------------------------------ content
def test_every_cn9_value_is_printed_in_the_chinese_notice() -> None:
    notice = cn_notice("zh-CN")
    text = squeeze("".join(pages_text(render_notice(notice))))
    for name in REQUIREMENTS["CN"].fields:
        if name == "verify_url":
            continue  # in the QR code, checked below
        assert squeeze(notice.values[name]) in text, f"{name} = {notice.values[name]!r} is not in the PDF"
    # the values themselves, as a reader knows them
    for expected in ("张伟", "HX-2024-0038817", "¥13,482.66", "¥12,345.00", "¥987.66", "¥150.00",
                     "华信消费金融有限公司", "明达信息咨询服务有限公司", "400-820-1234", "400-820-1235",
                     "上海市浦东新区世纪大道100号华信大厦18层", "2026年11月25日", "2026年6月15日",
                     "https://verify.huaxin-cf.example.cn/v", notice.verify_code):
        assert squeeze(expected) in text, expected
    # the sections CN9 asks for, by their headings
    for heading in ("催收依据", "权利与义务", "如何查询", "如何还款", "如有异议", "委托催收说明", "联系方式", "盖章"):
        assert heading in text


def test_the_english_version_of_the_chinese_notice() -> None:
    notice = cn_notice("en")
    text = squeeze("".join(pages_text(render_notice(notice))))
    for expected in ("Notice of Overdue Payment", "张伟", "Huaxin Consumer Finance Co., Ltd.", "¥13,482.66",
                     "November 25, 2026", "(seal)", "400-820-1234"):
        assert squeeze(expected) in text, expected


def test_pages_are_numbered_and_nothing_personal_is_in_the_footer_or_metadata() -> None:
    notice = cn_notice("zh-CN")
    pdf = render_notice(notice)
    reader = PdfReader(io.BytesIO(pdf))
    total = len(reader.pages)
    assert total >= 2
    for number, page in enumerate(reader.pages, 1):
        assert f"第{number}页/共{total}页" in squeeze(page.extract_text())
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4, abs=0.1)
    meta = {k: str(v) for k, v in (reader.metadata or {}).items()}
    assert not any(s in v for v in meta.values() for s in ("张伟", "HX-2024", "13,482"))


def test_the_qr_code_carries_only_the_verification_url(tmp_path: Path) -> None:
    token = new_verification_token()
    notice = cn_notice("zh-CN", token=token)
    pdf = render_notice(notice)
    last = len(PdfReader(io.BytesIO(pdf)).pages)
    codes = decode_qr_codes(pdf, tmp_path, last)
    assert codes == [f"{CN_BASE_URL}/v/{token}"]
    assert notice.verify_url == codes[0]
    for personal in ("张伟", "HX-2024-0038817", "13482", "13,482", "1348266", "400-820", "华信"):
        assert personal not in codes[0]
    assert re.fullmatch(r"https://verify\.huaxin-cf\.example\.cn/v/[A-Za-z0-9_-]{32}", codes[0])


def test_us_notice_b1_itemization_and_validation_date(tmp_path: Path) -> None:
    notice = us_notice()
    pdf = render_notice(notice)
    reader = PdfReader(io.BytesIO(pdf))
    assert (float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)) == pytest.approx(LETTER)
    text = "\n".join(pages_text(pdf))
    flat = squeeze(text)
    for expected in ("Fairway Recovery Services, LLC is a debt collector.", "you owe to Bay Bank, N.A. We will use",
                     "As of September 1, 2026, you owed:", "$2,540.00", "+ $31.25", "+ $0.00", "– $50.00",
                     "Total amount of the debt now:", "$2,521.25", "How can you dispute the debt?",
                     "Call or write to us by January 2, 2027", "What else can you do?",
                     "www.cfpb.gov/debt-collection", "Jane Doe", "Springfield, IL 62704"):
        assert squeeze(expected) in flat, expected
    assert decode_qr_codes(pdf, tmp_path, len(reader.pages)) == [notice.verify_url]


def test_time_barred_variant_has_no_suit_language() -> None:
    current = squeeze(" ".join(pages_text(render_notice(us_notice())))).lower()
    barred = squeeze(" ".join(pages_text(render_notice(us_notice(time_barred=True))))).lower()
    assert "lawsuit" in current and "courtpapers" in current
    assert "lawsuit" not in barred and "court" not in barred
    assert squeeze("Because of the age of your debt, Bay Bank, N.A. cannot sue you for it.").lower() in barred
    zh = squeeze(" ".join(pages_text(render_notice(us_notice("zh-CN", time_barred=True)))))
    assert "法院" not in zh and "不能就此债务起诉您" in zh


def test_page_size_override() -> None:
    pdf = render_notice(cn_notice("zh-CN"), page_size="Letter")
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(LETTER)
    with pytest.raises(ValueError, match="page size"):
        render_notice(cn_notice("zh-CN"), page_size="A5")


# ------------------------------------------------------------------ batches
def test_batch_starts_each_notice_on_a_new_page_with_its_own_numbering(tmp_path: Path) -> None:
    notices = [cn_notice("zh-CN"), cn_notice("en"), us_notice(), cn_notice("zh-CN", debtor_name="李娜")]
    singles = [len(PdfReader(io.BytesIO(render_notice(n))).pages) for n in notices]
    pdf = render_batch(notices)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == sum(singles)
    start = 0
    for notice, count in zip(notices, singles, strict=True):
        for i in range(count):
            page = reader.pages[start + i]
            text = squeeze(page.extract_text())
            label = f"第{i + 1}页/共{count}页" if notice.language == "zh-CN" else f"Page{i + 1}of{count}"
            assert label in text
            size = LETTER if notice.page_size == "Letter" else A4
            assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(size, abs=0.1)
        assert squeeze(notice.values["debtor_name"]) in squeeze(reader.pages[start].extract_text())
        start += count
    # every notice's QR code is its own
    last_of_first = singles[0]
    assert decode_qr_codes(pdf, tmp_path, last_of_first) == [notices[0].verify_url]


def test_empty_batch_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        render_batch([])


# ------------------------------------------------------------------ refusals
def test_empty_required_values_refuse_to_print() -> None:
    with pytest.raises(MissingNoticeValues) as caught:
        cn_notice("zh-CN", debtor_name="  ", total_due=None)
    assert caught.value.fields == ("debtor_name", "total_due")
    assert "debtor name (debtor_name)" in str(caught.value) and "balance due (total_due)" in str(caught.value)
    assert "债务人姓名" in caught.value.reason["zh-CN"] and "欠款余额" in caught.value.reason["zh-CN"]


def test_an_issuer_without_an_official_phone_cannot_print() -> None:
    from dataclasses import replace

    from notice_samples import ISSUED_ON, cn_values

    from fieldapp.core.notices import NoticeTemplate, fill_notice

    issuer = replace(CN_ISSUER, creditor_phone="", dispute_address={"zh-CN": "", "en": ""})
    with pytest.raises(MissingNoticeValues) as caught:
        fill_notice(NoticeTemplate.bundled("cn-overdue-notice"), cn_values(), language="zh-CN", issuer=issuer,
                    token=new_verification_token(), base_url=CN_BASE_URL, issued_on=ISSUED_ON)
    assert caught.value.fields == ("creditor_phone", "dispute_address")


def test_the_issuer_config_wins_over_case_values() -> None:
    notice = cn_notice("zh-CN", creditor_phone="138-0000-0000")  # a collector's own number must never print
    assert notice.values["creditor_phone"] == "400-820-1234"


def test_zero_is_a_value_but_a_float_is_refused() -> None:
    assert us_notice(fees_since=0).values["fees_since"] == format_amount(0, "USD")
    with pytest.raises(TypeError, match="never float"):
        us_notice(fees_since=1.5)
    with pytest.raises(MissingNoticeValues) as caught:
        us_notice(currency="")
    assert caught.value.fields == ("currency",)


def test_tokens_that_could_carry_data_and_odd_base_urls_are_refused() -> None:
    with pytest.raises(NoticeError, match="token"):
        cn_notice("zh-CN", token="zhangwei-13482")
    from fieldapp.core.verification import verification_url

    with pytest.raises(NoticeError, match="base URL"):
        verification_url("https://verify.example.cn/?name=x", new_verification_token())
    with pytest.raises(NoticeError, match="base URL"):
        verification_url("ftp://verify.example.cn", new_verification_token())


def test_logo_and_seal_images(tmp_path: Path) -> None:
    from dataclasses import replace

    from PIL import Image, ImageDraw

    logo = tmp_path / "logo.png"
    image = Image.new("RGB", (240, 120), "white")
    ImageDraw.Draw(image).ellipse((10, 10, 110, 110), fill=(31, 58, 95))
    image.save(logo)
    seal = tmp_path / "seal.png"
    Image.new("RGBA", (300, 300), (200, 0, 0, 90)).save(seal)
    notice = replace(cn_notice("zh-CN"), issuer=replace(CN_ISSUER, logo_path=str(logo), seal_path=str(seal)))
    pdf = render_notice(notice)
    assert b"/Subtype /Image" in pdf or b"/Subtype/Image" in pdf
    broken = replace(notice, issuer=replace(CN_ISSUER, logo_path=str(tmp_path / "missing.png")))
    with pytest.raises(NoticeError, match="logo"):
        render_notice(broken)
    broken = replace(notice, issuer=replace(CN_ISSUER, seal_path=str(tmp_path / "missing-seal.png")))
    with pytest.raises(NoticeError, match="seal"):
        render_notice(broken)


def test_same_content_same_hash_and_the_hash_tracks_the_text() -> None:
    token = new_verification_token()
    assert cn_notice("zh-CN", token=token).content_hash == cn_notice("zh-CN", token=token).content_hash
    assert cn_notice("zh-CN", token=token).content_hash != cn_notice("zh-CN", token=token, dpd=159).content_hash


# ------------------------------------------------------------------ from a synced case
def test_a_synced_case_fills_the_chinese_notice() -> None:
    import datetime as dt

    from notice_samples import ISSUED_ON

    from fieldapp.core.notices import NoticeTemplate, fill_notice
    from fieldapp.documents.notice_values import (
        case_is_time_barred,
        notice_values_from_case,
    )
    from fieldapp.protocol import CaseRecord

    case = CaseRecord(
        id=7, revision=3, account_ref="SH000123", debtor_name="王芳", id_number_masked="3****8", phone="13900001234",
        address="上海市徐汇区漕溪北路12号", city="上海市", district="徐汇区", timezone="Asia/Shanghai", currency="CNY",
        principal=1000000, fees=25000, total_due=1040000, dpd=95, overdue_since=dt.date(2026, 8, 26),
        last_payment_date=None, last_payment_amount=None, risk_grade="C", creditor="华信消费金融", product="信用贷",
        jurisdiction="CN", status="open", flags=[], attributes={})
    from fieldapp.documents.notice_values import notice_for_case

    same = notice_for_case("cn-overdue-notice", case, language="en", issuer=CN_ISSUER, base_url=CN_BASE_URL,
                           issued_on=dt.date(2026, 11, 29))
    assert same.values["debtor_name"] == "王芳" and same.values["as_of_date"] == "November 29, 2026"
    barred = case.model_copy(update={"flags": ["time_barred"]})
    assert case_is_time_barred(barred)
    values = notice_values_from_case(case, as_of=dt.date(2026, 11, 29))
    assert values["interest"] == 15000 and not case_is_time_barred(case)
    notice = fill_notice(NoticeTemplate.bundled("cn-overdue-notice"), values, language="zh-CN", issuer=CN_ISSUER,
                         token=new_verification_token(), base_url=CN_BASE_URL, issued_on=ISSUED_ON)
    text = squeeze("".join(pages_text(render_notice(notice))))
    assert "王芳" in text and "¥10,400.00" in text and "《信用贷借款合同》" in text
    with pytest.raises(MissingNoticeValues) as caught:
        fill_notice(NoticeTemplate.bundled("us-validation-notice"), values, language="en", issuer=CN_ISSUER,
                    token=new_verification_token(), base_url=CN_BASE_URL, issued_on=ISSUED_ON)
    assert {"itemization_date", "itemization_amount", "agency_address"} <= set(caught.value.fields)


def test_negative_amounts_are_refused() -> None:
    with pytest.raises(NoticeError, match="negative"):
        us_notice(payments_since=-5000)


@settings(max_examples=15, deadline=None)
@given(name=st.text(alphabet=st.sampled_from(list("王李张伟芳娜 O'Brien-&<>;\"éü·")), min_size=1, max_size=12)
       .filter(lambda s: s.strip()))
def test_any_name_prints_as_given(name: str) -> None:
    notice = cn_notice("zh-CN", debtor_name=name)
    text = squeeze("".join(pages_text(render_notice(notice))))
    assert squeeze(name) in text


def test_the_record_holds_what_the_verification_page_may_show() -> None:
    import json

    notice = cn_notice("zh-CN")
    record = notice.record()
    assert record["token"] == notice.token and record["code"] == notice.verify_code
    assert record["issued_on"] == "2026-11-25" and record["template_id"] == "cn-overdue-notice"
    assert record["creditor_name"] == {"zh-CN": "华信消费金融有限公司", "en": "Huaxin Consumer Finance Co., Ltd."}
    text = json.dumps(record, ensure_ascii=False)
    for personal in ("张伟", "HX-2024-0038817", "13,482", "1348266", "12,345"):
        assert personal not in text


def test_issuer_from_configuration() -> None:
    from fieldapp.core.notices import IssuerConfig

    config = {"creditor_name": "Bay Bank, N.A.", "creditor_address": "1 Market St", "creditor_phone": "(800) 555-0100",
              "agency_name": "Fairway Recovery Services, LLC"}
    assert IssuerConfig.from_dict(config).creditor_phone == "(800) 555-0100"
    with pytest.raises(NoticeError, match="unknown issuer setting.*creditor_fone"):
        IssuerConfig.from_dict({**config, "creditor_fone": "x"})
    with pytest.raises(NoticeError, match="incomplete"):
        IssuerConfig.from_dict({"creditor_name": "Bay Bank, N.A."})
