"""Fonts: every character of the bundled notice templates has a glyph (no boxes), mixed text is split
between Helvetica and the embedded CJK subset, and the CJK font is embedded as a subset."""

from __future__ import annotations

import io
import re

from notice_samples import cn_notice
from pypdf import PdfReader

from fieldapp.core.notices import bundled_notice_templates
from fieldapp.documents import fonts
from fieldapp.documents.notice_pdf import render_notice


def renderable(char: str) -> bool:
    fonts.register_fonts()
    return not fonts.needs_cjk(char) or ord(char) in fonts._cjk_chars


def test_every_character_of_the_bundled_templates_has_a_glyph() -> None:
    missing = set()
    for template in bundled_notice_templates().values():
        texts = [template.title[lang] for lang in template.languages]
        texts += [text for block in template.blocks for _, _, text in block.texts()]
        missing |= {c for text in texts for c in text if not renderable(c)}
    assert missing == set()


def test_markup_splits_scripts_escapes_and_substitutes() -> None:
    out = fonts.markup("张伟 owes ¥1,234.50 <b> & 合同 → 还款\nline 2")
    assert out.count(f'<font name="{fonts.CJK_FONT}">') == 3
    assert "&lt;b&gt; &amp;" in out and "-&gt;" in out and "<br/>" in out
    assert "¥1,234.50" in out  # Latin-1: Helvetica has it


def test_cjk_font_is_embedded_as_a_subset() -> None:
    pdf = render_notice(cn_notice("zh-CN"))
    reader = PdfReader(io.BytesIO(pdf))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    assert "/Helvetica" in names
    cjk = [n for n in names if "DroidSansFallback" in n]
    assert cjk and all(re.match(r"^/[A-Z]{6}\+", n) for n in cjk)  # the subset tag ABCDEF+
    assert len(pdf) < 200_000  # a 4 MB font, but only the glyphs used


def test_chinese_punctuation_never_starts_a_line() -> None:
    import dataclasses

    from notice_samples import CN_BASE_URL, CN_ISSUER, ISSUED_ON, cn_values

    from fieldapp.core.notices import NoticeTemplate, fill_notice
    from fieldapp.core.verification import new_verification_token

    template = NoticeTemplate.bundled("cn-overdue-notice")
    lines = []
    for pad in range(0, 12):  # shift every line break across the punctuation
        issuer = dataclasses.replace(CN_ISSUER, repay_channel="官" * pad + "方App还款，或对公账户：华信消费金融有限公司，"
                                                              "招商银行上海分行，账号1219087654321")
        notice = fill_notice(template, cn_values(debtor_name="欧阳" + "娜" * (pad % 3)), language="zh-CN",
                             issuer=issuer, token=new_verification_token(), base_url=CN_BASE_URL, issued_on=ISSUED_ON)
        for page in PdfReader(io.BytesIO(render_notice(notice))).pages:
            lines += [line.strip() for line in page.extract_text().splitlines() if line.strip()]
    starts = [line for line in lines if line[0] in fonts.CHINESE_CANNOT_START]
    assert starts == []
