"""Notice letters as PDF: one filled notice, or a day's batch in one file, drawn with ReportLab.

Takes :class:`fieldapp.core.notices.FilledNotice` — made by ``fill_notice``, which has already
refused empty values — and lays it out as a formal letter: the issuer's letterhead (logo
optional), title, reference lines, addressee, sections, the amount table, the signature and seal
block, and the verification QR code carrying only ``<base_url>/v/<token>`` with the short code
printed next to it. Footers number pages per notice ("第 1 页 / 共 2 页", "Page 1 of 2") and say
nothing about the debt. A4 or Letter (the template's choice unless overridden).

Pure function of its input, Qt-free and safe off the GUI thread (ReportLab keeps no shared state
per document; the font is registered once per process).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import Paragraph as _ReportLabParagraph

from fieldapp.core.notices import FilledBlock, FilledNotice, IssuerConfig, NoticeError
from fieldapp.documents.fonts import (
    LATIN_BOLD_FONT,
    LATIN_FONT,
    draw_string,
    markup,
    register_fonts,
    text_width,
)
from fieldapp.documents.qr import qr_flowable

PAGE_SIZES = {"A4": A4, "Letter": LETTER}
ACCENT = colors.HexColor("#1F3A5F")
GREY = colors.HexColor("#5A5A5A")
RULE = colors.HexColor("#B8C2CC")
SHADE = colors.HexColor("#F2F4F7")
MARGIN = 20 * mm
FOOTER_Y = 11 * mm
QR_SIZE = 30 * mm


class Paragraph(_ReportLabParagraph):
    """A paragraph that remembers its line breaks for the last width.

    Platypus wraps most paragraphs two or three times at the same width (tables measure their
    cells, KeepTogether measures its content, the frame places it); breaking Chinese text into
    lines is the costliest part of a notice, so doing it once halves the time.
    """

    _wrapped_for: tuple[int, float] | None = None

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        # keyed by identity too (copies carry the attribute); split() drops blPara when it gives up
        if self._wrapped_for != (id(self), avail_width) or "blPara" not in self.__dict__:
            size = super().wrap(avail_width, avail_height)
            self._wrapped_for = (id(self), avail_width)
            return size
        return self.width, self.height


@dataclass(frozen=True)
class _Styles:
    body: ParagraphStyle
    heading: ParagraphStyle
    title: ParagraphStyle
    small: ParagraphStyle
    right: ParagraphStyle
    cell: ParagraphStyle
    cell_right: ParagraphStyle
    cell_total: ParagraphStyle
    cell_total_right: ParagraphStyle
    name: ParagraphStyle


_STYLES: dict[str, _Styles] = {}


def _styles(language: str) -> _Styles:
    """Paragraph styles per language (Chinese wraps between any characters and wants more leading)."""
    if language not in _STYLES:
        zh = language == "zh-CN"
        wrap = "CJK" if zh else None
        size, leading = (10.5, 17) if zh else (10, 14)
        body = ParagraphStyle("body", fontName=LATIN_FONT, fontSize=size, leading=leading, wordWrap=wrap,
                              spaceAfter=4, firstLineIndent=2 * size if zh else 0)
        _STYLES[language] = _Styles(
            body=body,
            heading=ParagraphStyle("heading", parent=body, fontName=LATIN_BOLD_FONT, fontSize=size + 0.5,
                                   textColor=ACCENT, spaceBefore=6, spaceAfter=2, firstLineIndent=0),
            title=ParagraphStyle("title", parent=body, fontName=LATIN_BOLD_FONT, fontSize=19, leading=26,
                                 alignment=TA_CENTER, spaceBefore=8, spaceAfter=10, firstLineIndent=0),
            small=ParagraphStyle("small", parent=body, fontSize=8.5, leading=12, textColor=GREY, firstLineIndent=0,
                                 spaceAfter=0),
            right=ParagraphStyle("right", parent=body, alignment=TA_RIGHT, firstLineIndent=0),
            cell=ParagraphStyle("cell", parent=body, firstLineIndent=0, spaceAfter=0),
            cell_right=ParagraphStyle("cell_right", parent=body, firstLineIndent=0, spaceAfter=0, alignment=TA_RIGHT),
            cell_total=ParagraphStyle("cell_total", parent=body, firstLineIndent=0, spaceAfter=0,
                                      fontName=LATIN_BOLD_FONT),
            cell_total_right=ParagraphStyle("cell_total_right", parent=body, firstLineIndent=0, spaceAfter=0,
                                            fontName=LATIN_BOLD_FONT, alignment=TA_RIGHT),
            name=ParagraphStyle("name", parent=body, fontName=LATIN_BOLD_FONT, fontSize=15, leading=20,
                                textColor=ACCENT, firstLineIndent=0, spaceAfter=1),
        )
    return _STYLES[language]


# ------------------------------------------------------------------------------ page furniture
@dataclass(frozen=True)
class _Footer:
    notice: int  # index in the batch
    language: str
    code: str


class _NoticeStart(Flowable):
    """Invisible marker at the top of each notice: tells the canvas which notice its pages belong to."""

    def __init__(self, footer: _Footer) -> None:
        super().__init__()
        self.footer = footer

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._fieldapp_footer = self.footer  # type: ignore[attr-defined]


class _NumberedCanvas(Canvas):
    """Holds every page until the end, then writes "page i of n" counted per notice."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._fieldapp_footer: _Footer | None = None
        self._held: list[dict] = []  # type: ignore[type-arg]

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        totals: dict[int, int] = {}
        for state in self._held:
            footer = state["_fieldapp_footer"]
            if footer is not None:
                totals[footer.notice] = totals.get(footer.notice, 0) + 1
        seen: dict[int, int] = {}
        for state in self._held:
            self.__dict__.update(state)
            footer = self._fieldapp_footer
            if footer is not None:
                seen[footer.notice] = seen.get(footer.notice, 0) + 1
                self._draw_footer(footer, seen[footer.notice], totals[footer.notice])
            super().showPage()
        super().save()

    def _draw_footer(self, footer: _Footer, page: int, total: int) -> None:
        width, _ = self._pagesize
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, FOOTER_Y + 10, width - MARGIN, FOOTER_Y + 10)
        self.setFillColor(GREY)
        text = f"第 {page} 页 / 共 {total} 页" if footer.language == "zh-CN" else f"Page {page} of {total}"
        draw_string(self, width / 2, FOOTER_Y, text, 8.5, align="center")
        label = "核验码" if footer.language == "zh-CN" else "Verification code"
        draw_string(self, width - MARGIN, FOOTER_Y, f"{label} {footer.code}", 8, align="right")
        self.restoreState()


# ------------------------------------------------------------------------------ blocks
def _image(path: str, height: float, what: str) -> Image:
    try:
        from reportlab.lib.utils import ImageReader

        reader = ImageReader(path)
        w, h = reader.getSize()
    except Exception as exc:  # unreadable or missing file: say which setting is wrong
        raise NoticeError(f"the {what} image {path!r} cannot be read: {exc}", f"无法读取{what}图片 {path!r}") from None
    return Image(path, width=height * w / h, height=height)


def _paragraphs(text: str, style: ParagraphStyle) -> list[Paragraph]:
    return [Paragraph(markup(part), style) for part in text.split("\n\n") if part.strip()]


def _letterhead(block: FilledBlock, issuer: IssuerConfig, st: _Styles, width: float) -> list[Flowable]:
    name = Paragraph(markup(block.heading), st.name)
    sub = Paragraph(markup(block.text), st.small) if block.text else Spacer(0, 0)
    if issuer.logo_path:
        logo = _image(issuer.logo_path, 15 * mm, "logo")
        table = Table([[logo, [name, sub]]], colWidths=[logo.drawWidth + 4 * mm, width - logo.drawWidth - 4 * mm])
    else:
        table = Table([[[name, sub]]], colWidths=[width])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LINEBELOW", (0, 0), (-1, -1), 1.2, ACCENT),
    ]))
    return [table, Spacer(0, 4 * mm)]


def _reference(block: FilledBlock, st: _Styles, width: float) -> list[Flowable]:
    rows = [[Paragraph(markup(label), st.small), Paragraph(markup(value), st.cell)] for label, value, _ in block.rows]
    table = Table(rows, colWidths=[32 * mm, 55 * mm], hAlign="RIGHT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 0.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5), ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ]))
    return [table, Spacer(0, 3 * mm)]


def _amount_table(block: FilledBlock, st: _Styles, width: float) -> list[Flowable]:
    rows = []
    style = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LINEABOVE", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, -1), (-1, -1), 0.8, ACCENT), ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4), ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
    ]
    for i, (label, value, total) in enumerate(block.rows):
        if total:
            rows.append([Paragraph(markup(label), st.cell_total), Paragraph(markup(value), st.cell_total_right)])
            style += [("BACKGROUND", (0, i), (-1, i), SHADE), ("LINEABOVE", (0, i), (-1, i), 0.6, ACCENT)]
        else:
            rows.append([Paragraph(markup(label), st.cell), Paragraph(markup(value), st.cell_right)])
            if i:
                style.append(("LINEABOVE", (0, i), (-1, i), 0.3, RULE))
    table = Table(rows, colWidths=[width * 0.72, width * 0.28])
    table.setStyle(TableStyle(style))
    out: list[Flowable] = []
    if block.heading:
        out.append(Paragraph(markup(block.heading), st.heading))
    out += [table, Spacer(0, 3 * mm)]
    return [KeepTogether(out)]


def _paragraph(block: FilledBlock, st: _Styles, width: float) -> list[Flowable]:
    body = st.body if block.style == "plain" else ParagraphStyle("boxed", parent=st.body, firstLineIndent=0)
    inner: list[Flowable] = []
    if block.heading:
        inner.append(Paragraph(markup(block.heading), st.heading))
    for line in block.text.split("\n"):
        if line.strip():
            inner.append(Paragraph(markup(line), body))
    if block.style == "plain":
        return [KeepTogether(inner[:2]), *inner[2:]] if block.heading else inner
    box = Table([[inner]], colWidths=[width])
    if block.style == "box":
        box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.8, ACCENT), ("LEFTPADDING", (0, 0), (-1, -1), 8),
                                 ("RIGHTPADDING", (0, 0), (-1, -1), 8), ("TOPPADDING", (0, 0), (-1, -1), 4),
                                 ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    else:  # note: the tear-off response form
        box.setStyle(TableStyle([("LINEABOVE", (0, 0), (-1, 0), 0.8, GREY, None, (3, 2)),
                                 ("BACKGROUND", (0, 0), (-1, -1), SHADE), ("LEFTPADDING", (0, 0), (-1, -1), 8),
                                 ("RIGHTPADDING", (0, 0), (-1, -1), 8), ("TOPPADDING", (0, 0), (-1, -1), 6),
                                 ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    return [Spacer(0, 2 * mm), box, Spacer(0, 2 * mm)]


class _Signature(Flowable):
    """The issuer's name and the date, right-aligned, with the seal stamped over them as on paper.

    Without a seal image the block leaves the same room for the physical seal.
    """

    SEAL = 36 * mm

    def __init__(self, lines: list[str], seal_path: str | None, size: float, leading: float) -> None:
        super().__init__()
        self.lines, self.seal_path, self.size, self.leading = lines, seal_path, size, leading
        if seal_path:
            _image(seal_path, self.SEAL, "seal")  # refuse an unreadable seal before drawing anything

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.SEAL + 4 * mm

    def draw(self) -> None:
        canvas = self.canv
        right = self.width - 8 * mm
        text_height = self.leading * len(self.lines)
        top = (self.SEAL + 4 * mm + text_height) / 2
        for i, line in enumerate(self.lines):
            y = top - (i + 1) * self.leading + (self.leading - self.size) / 2
            draw_string(canvas, right, y, line, self.size, align="right")
        if self.seal_path:  # over the issuer's name (the first line), as a seal is stamped
            center_x = right - min(text_width(self.lines[0], self.size) if self.lines else 0, 70 * mm) / 2
            center_y = (self.SEAL + 4 * mm) / 2
            canvas.drawImage(self.seal_path, center_x - self.SEAL / 2, center_y - self.SEAL / 2, self.SEAL, self.SEAL,
                             mask="auto", preserveAspectRatio=True, anchor="c")


def _signature(block: FilledBlock, issuer: IssuerConfig, st: _Styles, width: float) -> list[Flowable]:
    lines = [line.strip() for line in block.text.split("\n") if line.strip()]
    return [Spacer(0, 2 * mm), _Signature(lines, issuer.seal_path, st.body.fontSize + 0.5, st.body.leading + 2)]


def _qr(block: FilledBlock, notice: FilledNotice, st: _Styles, width: float) -> list[Flowable]:
    code_style = ParagraphStyle("code", parent=st.cell, fontName=LATIN_BOLD_FONT, fontSize=15, leading=20,
                                textColor=ACCENT)
    text = [Paragraph(markup(notice.verify_code), code_style), Paragraph(markup(block.text), st.small)]
    table = Table([[qr_flowable(notice.verify_url, QR_SIZE), text]],
                  colWidths=[QR_SIZE + 4 * mm, width - QR_SIZE - 4 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("BOX", (0, 0), (-1, -1), 0.5, RULE), ("BACKGROUND", (1, 0), (1, 0), SHADE)]))
    return [Spacer(0, 3 * mm), KeepTogether([table])]


def _story(notice: FilledNotice, index: int, width: float) -> list[Flowable]:
    st = _styles(notice.language)
    story: list[Flowable] = [_NoticeStart(_Footer(index, notice.language, notice.verify_code))]
    for block in notice.blocks:
        if block.type == "letterhead":
            story += _letterhead(block, notice.issuer, st, width)
        elif block.type == "title":
            story.append(Paragraph(markup(notice.title), st.title))
        elif block.type == "reference":
            story += _reference(block, st, width)
        elif block.type == "addressee":
            story += [Paragraph(markup(block.text), ParagraphStyle("addr", parent=st.body, firstLineIndent=0,
                                                                   spaceBefore=2, spaceAfter=6))]
        elif block.type == "paragraph":
            story += _paragraph(block, st, width)
        elif block.type == "amount_table":
            story += _amount_table(block, st, width)
        elif block.type == "signature":
            story += _signature(block, notice.issuer, st, width)
        elif block.type == "qr":
            story.append(CondPageBreak(QR_SIZE + 10 * mm))
            story += _qr(block, notice, st, width)
    return story


# ------------------------------------------------------------------------------ the API
def render_notice(notice: FilledNotice, *, page_size: str | None = None) -> bytes:
    """One notice as a PDF (bytes). ``page_size``: "A4" or "Letter" (default: the template's)."""
    return render_batch([notice], page_size=page_size)


def render_batch(notices: Sequence[FilledNotice], *, page_size: str | None = None) -> bytes:
    """Many notices in one PDF, each starting on a new page with its own page numbering.

    For "print today's notices": one print job. Raises ValueError for an empty batch or an
    unknown page size, NoticeError for an unreadable logo or seal image.
    """
    if not notices:
        raise ValueError("nothing to render: the batch is empty")
    register_fonts()
    sizes = [page_size or n.page_size for n in notices]
    for size in sizes:
        if size not in PAGE_SIZES:
            raise ValueError(f"unknown page size {size!r}; expected one of {sorted(PAGE_SIZES)}")
    buffer = io.BytesIO()
    first = PAGE_SIZES[sizes[0]]
    issuers = {n.issuer.creditor_name if isinstance(n.issuer.creditor_name, str) else "" for n in notices}
    doc = BaseDocTemplate(
        buffer, pagesize=first, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=16 * mm, bottomMargin=20 * mm,
        title="通告函 / Notice" if len(notices) == 1 else "通告函 / Notices",  # never a name: metadata is visible
        author=issuers.pop() if len(issuers) == 1 else "", creator="FieldApp", subject="", keywords="",
    )
    templates = []
    for name in dict.fromkeys(sizes):  # the first notice's size first: the document starts on it
        width, height = PAGE_SIZES[name]
        frame = Frame(MARGIN, 20 * mm, width - 2 * MARGIN, height - 36 * mm, id=f"body-{name}",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        templates.append(PageTemplate(id=name, frames=[frame], pagesize=PAGE_SIZES[name]))
    doc.addPageTemplates(templates)
    story: list[Flowable] = []
    for index, (notice, size) in enumerate(zip(notices, sizes, strict=True)):
        if index:
            story += [NextPageTemplate(size), PageBreak()]
        story += _story(notice, index, PAGE_SIZES[size][0] - 2 * MARGIN)
    doc.build(story, canvasmaker=_NumberedCanvas)
    return buffer.getvalue()


__all__ = ("PAGE_SIZES", "render_batch", "render_notice")
