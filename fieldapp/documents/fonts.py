"""The fonts every FieldApp PDF uses: Helvetica for Latin text, the bundled CJK TrueType for the rest.

The bundled DroidSansFallbackFull.ttf has the CJK ideographs and full-width punctuation but no
Latin letters or digits, so text is drawn in two fonts: :func:`markup` wraps the runs Helvetica
cannot show (anything outside Windows-1252) in the CJK font. ReportLab embeds only the glyphs a
document uses (a subset), so a notice stays small although the font file is 4 MB.

Register once per process with :func:`register_fonts` (it also turns off ReportLab's ASCII85
stream encoding for the process); parsing the font takes about 0.1 s, every later call is free.
Safe to call from any thread.
"""

from __future__ import annotations

import re
import threading
from importlib.resources import as_file, files
from xml.sax.saxutils import escape

#: ReportLab font names. LATIN and LATIN_BOLD are PDF standard fonts (not embedded).
CJK_FONT = "FieldAppCJK"
LATIN_FONT = "Helvetica"
LATIN_BOLD_FONT = "Helvetica-Bold"
FONT_FILE = "DroidSansFallbackFull.ttf"

_lock = threading.Lock()
_registered = False

# Characters outside Windows-1252 (what Helvetica can show): CJK, full-width punctuation, etc.
_CP1252_EXTRA = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_NOT_LATIN = re.compile(f"[^\\x00-\\xff{re.escape(_CP1252_EXTRA)}]+")


def register_fonts() -> str:
    """Register the bundled CJK font with ReportLab (once per process); returns its font name.

    The font has no bold face: bold CJK text is drawn in the same face (Latin bold is Helvetica-Bold).
    """
    global _registered
    if _registered:
        return CJK_FONT
    with _lock:
        if not _registered:
            from reportlab import rl_config
            from reportlab.lib.fonts import addMapping

            # Binary streams: ASCII85 (a 7-bit-safe wrapper no printer or viewer needs) makes every PDF
            # 25 % larger and costs a third of a notice's time where ReportLab's C accelerator is absent.
            rl_config.useA85 = 0
            _chinese_line_breaking()
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont

            with as_file(files("fieldapp.resources") / "fonts" / FONT_FILE) as path:
                font = TTFont(CJK_FONT, str(path))  # reads the file fully: the temporary path may go
            pdfmetrics.registerFont(font)
            global _cjk_chars
            _cjk_chars = frozenset(font.face.charToGlyph)
            for bold in (0, 1):
                for italic in (0, 1):
                    addMapping(CJK_FONT, bold, italic, CJK_FONT)
            _registered = True
    return CJK_FONT


#: Stand-ins for characters neither font has, so they never print as blanks or boxes.
SUBSTITUTES = {"→": "->", "←": "<-", "⇒": "=>", "☐": "[ ]", "☑": "[x]", "✓": "v", "✔": "v", "★": "*", "●": "•",
               "■": "•", "▪": "•", "≤": "<=", "≥": ">=", "≠": "!=", "\u00a0": " "}
_cjk_chars: frozenset[int] = frozenset()


def _fallback(run: str) -> str:
    """A run for the CJK font, with characters it lacks replaced by Latin stand-ins (or "?")."""
    if all(ord(c) in _cjk_chars for c in run):
        return f'<font name="{CJK_FONT}">{run}</font>'
    out = []
    for c in run:
        if ord(c) in _cjk_chars:
            out.append(f'<font name="{CJK_FONT}">{c}</font>')
        else:
            out.append(escape(SUBSTITUTES.get(c, "?")))
    return "".join(out)


#: Punctuation that must not start a line in Chinese (CLREQ); ReportLab's list is Japanese and lacks these.
CHINESE_CANNOT_START = "，；：！？）》」』】〕〗〉’”、。．·…—～％"


def _chinese_line_breaking() -> None:
    """Teach ReportLab's CJK line breaker the Chinese rule, so "，" never starts a line.

    ReportLab reads the list as a module global of its paragraph module; adding to it changes
    nothing for text without these characters.
    """
    from reportlab.platypus import paragraph

    extra = "".join(c for c in CHINESE_CANNOT_START if c not in paragraph.ALL_CANNOT_START)
    paragraph.ALL_CANNOT_START = paragraph.ALL_CANNOT_START + extra


def markup(text: str) -> str:
    """Plain text → ReportLab paragraph markup, XML-escaped, with non-Latin runs in the CJK font.

    Newlines become line breaks. Use it for every piece of data that goes into a Paragraph: names
    and addresses may mix scripts in either language.
    """
    register_fonts()
    out = _NOT_LATIN.sub(lambda m: _fallback(m.group(0)), escape(text))
    return out.replace("\n", "<br/>")


def needs_cjk(text: str) -> bool:
    """True when ``text`` has characters only the CJK font can show."""
    return _NOT_LATIN.search(text) is not None


def draw_string(canvas, x: float, y: float, text: str, size: float, *,  # type: ignore[no-untyped-def]
                align: str = "left", bold: bool = False) -> None:
    """Draw one line of mixed-script text on a canvas (for headers and footers)."""
    register_fonts()
    text = "".join(c if ord(c) in _cjk_chars or not _NOT_LATIN.match(c) else SUBSTITUTES.get(c, "?") for c in text)
    latin = LATIN_BOLD_FONT if bold else LATIN_FONT
    runs: list[tuple[str, str]] = []
    pos = 0
    for m in _NOT_LATIN.finditer(text):
        if m.start() > pos:
            runs.append((latin, text[pos:m.start()]))
        runs.append((CJK_FONT, m.group(0)))
        pos = m.end()
    if pos < len(text):
        runs.append((latin, text[pos:]))
    from reportlab.pdfbase.pdfmetrics import stringWidth

    width = sum(stringWidth(t, f, size) for f, t in runs)
    if align == "center":
        x -= width / 2
    elif align == "right":
        x -= width
    for font, run in runs:
        canvas.setFont(font, size)
        canvas.drawString(x, y, run)
        x += stringWidth(run, font, size)


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width in points of one line of mixed-script text as :func:`draw_string` draws it."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register_fonts()
    latin = LATIN_BOLD_FONT if bold else LATIN_FONT
    width, pos = 0.0, 0
    for m in _NOT_LATIN.finditer(text):
        width += stringWidth(text[pos:m.start()], latin, size) + stringWidth(m.group(0), CJK_FONT, size)
        pos = m.end()
    return width + stringWidth(text[pos:], latin, size)


__all__ = ("CHINESE_CANNOT_START", "CJK_FONT", "LATIN_BOLD_FONT", "LATIN_FONT", "SUBSTITUTES", "draw_string", "markup",
           "needs_cjk", "register_fonts", "text_width")
