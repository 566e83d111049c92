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
