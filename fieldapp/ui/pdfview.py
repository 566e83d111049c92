"""Show, print and save a PDF made by fieldapp.documents: a page preview, the print dialog, "Save as PDF".

Pages are rasterised with pypdfium2 off the GUI thread (one page per Task, only the pages on
screen), so a 200-notice batch opens at once. Printing paints each page at the printer's
resolution (capped, see ``PRINT_MAX_DPI``) and lays the page's text invisibly over the image, so a
"print to PDF" stays searchable. PDFium is not thread-safe: every call into it holds ``_PDFIUM``.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QMarginsF,
    QObject,
    QRectF,
    QSizeF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPixmap,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fieldapp.core.atomic import write_atomic
from fieldapp.ui.tasks import Task

log = logging.getLogger(__name__)

_PDFIUM = threading.Lock()
# Zoom steps of the preview (1.0 = the page at 96 dpi, i.e. its real size on a common screen).
ZOOM_STEPS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0)
# Pages are painted on the printer at no more than this many dots per inch: sharp on paper, and a
# 1200-dpi printer does not get a 500 MB image per page.
PRINT_MAX_DPI = 300
POINTS_PER_INCH = 72.0


@dataclass(frozen=True)
class PageImage:
    """One rendered page as plain bytes (RGBX8888), safe to hand from a worker to the GUI thread."""

    index: int
    width: int
    height: int
    data: bytes


@dataclass(frozen=True)
class TextRun:
    """A run of a page's text and its box in points from the page's top-left corner."""

    text: str
    left: float
    top: float
    width: float
    height: float


def _open(pdf_bytes: bytes):  # type: ignore[no-untyped-def]
    import pypdfium2

    return pypdfium2.PdfDocument(pdf_bytes)


def page_sizes(pdf_bytes: bytes) -> list[tuple[float, float]]:
    """Each page's (width, height) in points. Worker-safe; ValueError for bytes that are not a PDF."""
    import pypdfium2

    with _PDFIUM:
        try:
            doc = _open(pdf_bytes)
        except pypdfium2.PdfiumError as exc:
            raise ValueError(f"not a readable PDF: {exc}") from None
        try:
            return [tuple(doc[i].get_size()) for i in range(len(doc))]  # type: ignore[misc]
        finally:
            doc.close()


def render_page(pdf_bytes: bytes, index: int, dpi: float) -> PageImage:
    """Rasterise one page at ``dpi`` (worker-safe; no Qt object is made here)."""
    with _PDFIUM:
        doc = _open(pdf_bytes)
        try:
            import pypdfium2.raw as pdfium_c

            # BGRx with the byte order reversed: 4 bytes a pixel in R, G, B, X order (QImage's RGBX8888)
            bitmap = doc[index].render(scale=dpi / POINTS_PER_INCH, rev_byteorder=True,
                                       force_bitmap_format=pdfium_c.FPDFBitmap_BGRx, may_draw_forms=True)
            width, height = bitmap.width, bitmap.height
            # copy row by row: the bitmap's stride may be wider than width * 4
            raw = bytes(bitmap.buffer)
            stride = bitmap.stride
            data = raw if stride == width * 4 else b"".join(raw[r * stride:r * stride + width * 4]
                                                             for r in range(height))
            return PageImage(index, width, height, data)
        finally:
            doc.close()


def page_text_runs(pdf_bytes: bytes, index: int) -> list[TextRun]:
    """The text of one page in runs with their boxes (for the invisible text layer of a print)."""
    with _PDFIUM:
        doc = _open(pdf_bytes)
        try:
            page = doc[index]
            _, page_height = page.get_size()
            text_page = page.get_textpage()
            runs = []
            for i in range(text_page.count_rects()):
                left, bottom, right, top = text_page.get_rect(i)
                text = text_page.get_text_bounded(left, bottom, right, top).strip()
                if text:
                    runs.append(TextRun(text, left, page_height - top, right - left, top - bottom))
            return runs
        finally:
            doc.close()


def to_qimage(page: PageImage) -> QImage:
    """The page as a QImage that owns its pixels (GUI thread)."""
    image = QImage(page.data, page.width, page.height, page.width * 4, QImage.Format.Format_RGBX8888)
    return image.copy()  # detach from ``page.data``, which Python may free


# ------------------------------------------------------------------------------------------ preview
class _PageLabel(QLabel):
    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index
        self.setObjectName("pdfPage")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet("QLabel#pdfPage { background: #ffffff; border: 1px solid #c3ccd1; }")
        self.rendered_at: float | None = None


class PdfPreview(QWidget):
    """A scrollable, zoomable view of a PDF's pages with a page count.

    ``set_pdf(bytes)`` shows a document; pages are rendered on Tasks as they scroll into view.
    ``rendered`` is emitted (with the page index) each time a page image arrives; ``failed`` when the
    bytes are not a PDF (the view then says so in words).
    """

    rendered = Signal(int)
    loaded = Signal(int)  # the page count, once the page sizes are known
    failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPreview")
        self._pdf = b""
        self._sizes: list[tuple[float, float]] = []
        self._pages: list[_PageLabel] = []
        self._zoom = 1.0
        self._busy = False
        self._generation = 0

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        bar = QHBoxLayout()
        bar.setContentsMargins(8, 6, 12, 0)
        bar.setSpacing(8)
        self.zoom_out_button = QPushButton(self.tr("Zoom out"))
        self.zoom_out_button.setToolTip(self.tr("Smaller (Ctrl+-)"))
        self.zoom_out_button.setShortcut("Ctrl+-")
        self.zoom_in_button = QPushButton(self.tr("Zoom in"))
        self.zoom_in_button.setToolTip(self.tr("Larger (Ctrl++)"))
        self.zoom_in_button.setShortcut("Ctrl++")
        self.zoom_label = QLabel("")
        self.zoom_label.setObjectName("muted")
        self.page_count_label = QLabel("")
        self.page_count_label.setObjectName("muted")
        bar.addWidget(self.zoom_out_button)
        bar.addWidget(self.zoom_in_button)
        bar.addWidget(self.zoom_label)
        bar.addStretch(1)
        bar.addWidget(self.page_count_label)
        layout.addLayout(bar)

        self.scroll = QScrollArea()
        self.scroll.setObjectName("pdfScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setStyleSheet("QScrollArea#pdfScroll, QWidget#pdfPages { background: #dfe4e7; }")
        self.pages_widget = QWidget()
        self.pages_widget.setObjectName("pdfPages")
        self.pages_layout = QVBoxLayout(self.pages_widget)
        self.pages_layout.setContentsMargins(16, 16, 16, 16)
        self.pages_layout.setSpacing(16)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.message = QLabel(self.tr("No document."))
        self.message.setObjectName("muted")
        self.message.setWordWrap(True)
        self.pages_layout.addWidget(self.message)
        self.scroll.setWidget(self.pages_widget)
        layout.addWidget(self.scroll, 1)

        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(30)
        self._render_timer.timeout.connect(self._render_next)
        self.scroll.verticalScrollBar().valueChanged.connect(self._render_timer.start)
        self.zoom_in_button.clicked.connect(self.zoom_in)
        self.zoom_out_button.clicked.connect(self.zoom_out)
        self._update_zoom_label()

    # -- public
    @property
    def page_count(self) -> int:
        return len(self._sizes)

    @property
    def zoom(self) -> float:
        return self._zoom

    def pdf_bytes(self) -> bytes:
        return self._pdf

    def set_pdf(self, pdf_bytes: bytes) -> None:
        """Show ``pdf_bytes``; the page sizes are read on a Task, then visible pages are rendered."""
        self._generation += 1
        generation = self._generation
        self._pdf = bytes(pdf_bytes)
        self._clear_pages()
        self.message.setText(self.tr("Opening the document…"))
        self.message.show()
        Task(self, page_sizes, self._pdf).on_done(lambda sizes: self._sizes_ready(generation, sizes)).on_error(
            lambda exc, details: self._open_failed(generation, exc, details)).start()

    def set_zoom(self, zoom: float) -> None:
        zoom = max(ZOOM_STEPS[0], min(ZOOM_STEPS[-1], zoom))
        if zoom == self._zoom:
            return
        self._zoom = zoom
        self._update_zoom_label()
        self._size_pages()
        self._render_timer.start()

    def zoom_in(self) -> None:
        self.set_zoom(next((z for z in ZOOM_STEPS if z > self._zoom + 1e-9), ZOOM_STEPS[-1]))

    def zoom_out(self) -> None:
        self.set_zoom(next((z for z in reversed(ZOOM_STEPS) if z < self._zoom - 1e-9), ZOOM_STEPS[0]))

    def page_pixmap(self, index: int) -> QPixmap | None:
        """The rendered image of page ``index`` (None until it was rendered), for tests and screenshots."""
        if 0 <= index < len(self._pages) and self._pages[index].rendered_at is not None:
            return self._pages[index].pixmap()
        return None

    def is_settled(self) -> bool:
        """True when every page on screen is rendered at the current zoom and no render is running."""
        return not self._busy and not self._wanted()

    # -- internals
    def _update_zoom_label(self) -> None:
        self.zoom_label.setText(self.tr("{percent}%").format(percent=round(self._zoom * 100)))
        self.zoom_in_button.setEnabled(self._zoom < ZOOM_STEPS[-1])
        self.zoom_out_button.setEnabled(self._zoom > ZOOM_STEPS[0])

    def _clear_pages(self) -> None:
        for label in self._pages:
            self.pages_layout.removeWidget(label)
            label.deleteLater()
        self._pages = []
        self._sizes = []
        self.page_count_label.setText("")

    def _sizes_ready(self, generation: int, sizes: list[tuple[float, float]]) -> None:
        if generation != self._generation:
            return
        self._sizes = sizes
        self.message.setVisible(not sizes)
        self.message.setText(self.tr("The document has no pages."))
        for index in range(len(sizes)):
            label = _PageLabel(index)
            self._pages.append(label)
            self.pages_layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
        self.page_count_label.setText(self.tr("Pages: {n}").format(n=len(sizes)))
        self._size_pages()
        self.loaded.emit(len(sizes))
        self._render_timer.start()

    def _open_failed(self, generation: int, exc: BaseException, details: str) -> None:
        if generation != self._generation:
            return
        log.error("PDF preview failed: %s\n%s", exc, details)
        self.message.setText(self.tr("This document cannot be shown: it is not a readable PDF."))
        self.message.show()
        self.failed.emit(str(exc))

    def _dpi(self) -> float:
        return 96.0 * self._zoom

    def _size_pages(self) -> None:
        dpi = self._dpi()
        for label, (width, height) in zip(self._pages, self._sizes):
            label.setFixedSize(round(width / POINTS_PER_INCH * dpi), round(height / POINTS_PER_INCH * dpi))

    def _wanted(self) -> list[int]:
        """Pages in (or near) the viewport that are not rendered at the current zoom."""
        if not self._pages:
            return []
        top = self.scroll.verticalScrollBar().value()
        bottom = top + max(self.scroll.viewport().height(), 400)
        margin = 600
        return [label.index for label in self._pages
                if label.rendered_at != self._zoom
                and label.y() + label.height() >= top - margin and label.y() <= bottom + margin]

    def _render_next(self) -> None:
        if self._busy:
            return
        wanted = self._wanted()
        if not wanted:
            return
        self._busy = True
        index, zoom, generation = wanted[0], self._zoom, self._generation
        ratio = self.devicePixelRatioF()
        Task(self, render_page, self._pdf, index, self._dpi() * ratio).on_done(
            lambda page: self._page_ready(generation, zoom, ratio, page)).on_error(
            lambda exc, details: self._render_failed(generation, exc, details)).start()

    def _page_ready(self, generation: int, zoom: float, ratio: float, page: PageImage) -> None:
        self._busy = False
        if generation == self._generation and page.index < len(self._pages):
            pixmap = QPixmap.fromImage(to_qimage(page))
            pixmap.setDevicePixelRatio(ratio)
            label = self._pages[page.index]
            label.setPixmap(pixmap)
            label.rendered_at = zoom
            self.rendered.emit(page.index)
        self._render_timer.start()

    def _render_failed(self, generation: int, exc: BaseException, details: str) -> None:
        self._busy = False
        if generation == self._generation:
            log.error("a PDF page could not be rendered: %s\n%s", exc, details)
            self.message.setText(self.tr("A page of this document could not be shown."))
            self.message.show()

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
        super().showEvent(event)
        self._render_timer.start()

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._render_timer.start()


# ------------------------------------------------------------------------------------------ printing
def paint_pdf(printer: QPrinter, pdf_bytes: bytes, *, copies: int = 1) -> int:
    """Paint every page of ``pdf_bytes`` on ``printer``; returns the number of sheets painted.

    Runs on the GUI thread (QPainter on a printer). Each page is rendered at the printer's
    resolution (at most ``PRINT_MAX_DPI``), placed on a page of the PDF's own size, and the page's
    text is laid over it invisibly. When the printer cannot make copies itself (PDF output), the
    pages are painted ``copies`` times. ValueError for bytes that are not a PDF; RuntimeError when
    the printer cannot be started.
    """
    sizes = page_sizes(pdf_bytes)
    if not sizes:
        raise ValueError("the document has no pages")
    copies = max(1, int(copies))
    printer.setCopyCount(copies)
    repeat = 1 if printer.supportsMultipleCopies() and printer.copyCount() == copies else copies
    printer.setFullPage(True)
    _set_page(printer, sizes[0])
    dpi = min(float(printer.resolution()), PRINT_MAX_DPI)
    painter = QPainter()
    if not painter.begin(printer):
        raise RuntimeError("the printer could not be started")
    sheets = 0
    try:
        for copy in range(repeat):
            for index, size in enumerate(sizes):
                if sheets:
                    _set_page(printer, size)
                    if not printer.newPage():
                        raise RuntimeError("the printer refused a new page")
                _paint_page(painter, printer, pdf_bytes, index, size, dpi)
                sheets += 1
    finally:
        painter.end()
    return sheets


def _set_page(printer: QPrinter, size: tuple[float, float]) -> None:
    width, height = size
    orientation = QPageLayout.Orientation.Landscape if width > height else QPageLayout.Orientation.Portrait
    page_size = QPageSize(QSizeF(min(width, height), max(width, height)), QPageSize.Unit.Point, "",
                          QPageSize.SizeMatchPolicy.FuzzyMatch)
    printer.setPageLayout(QPageLayout(page_size, orientation, QMarginsF(0, 0, 0, 0)))


def _paint_page(painter: QPainter, printer: QPrinter, pdf_bytes: bytes, index: int, size: tuple[float, float],
                dpi: float) -> None:
    _paint_rendered(painter, printer, render_page(pdf_bytes, index, dpi), page_text_runs(pdf_bytes, index), size)


def _render_for_print(pdf_bytes: bytes, index: int, dpi: float) -> tuple[PageImage, list[TextRun]]:
    """Worker: one page's image at print resolution and its text runs."""
    return render_page(pdf_bytes, index, dpi), page_text_runs(pdf_bytes, index)


def _paint_rendered(painter: QPainter, printer: QPrinter, page: PageImage, runs: list[TextRun],
                    size: tuple[float, float]) -> None:
    target = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
    painter.drawImage(target, to_qimage(page))
    # The invisible text layer: the same words at the same places, so the printed PDF can be searched
    # and read back; a paper printer draws nothing for it.
    scale = target.width() / size[0]
    painter.save()
    painter.setPen(QColor(0, 0, 0, 0))
    for run in runs:
        box = QRectF(target.left() + run.left * scale, target.top() + run.top * scale, run.width * scale,
                     run.height * scale)
        font = QFont(painter.font())
        font.setPixelSize(max(1, round(box.height() * 0.9)))
        painter.setFont(font)
        painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, run.text)
    painter.restore()


class PrintJob(QObject):
    """Print a long PDF without freezing the window: each page is rendered on a Task and painted on
    the GUI thread when it arrives. ``progress(done, total)`` per sheet; ``finished(ok, message)``.

    Use it for batches (today's route); ``print_pdf`` is the simple, blocking form for a letter or two.
    """

    progress = Signal(int, int)
    finished = Signal(bool, str)

    def __init__(self, parent: QObject, printer: QPrinter, pdf_bytes: bytes, *, copies: int = 1) -> None:
        super().__init__(parent)
        self.printer = printer
        self.pdf = bytes(pdf_bytes)
        self.copies = max(1, int(copies))
        self.painter = QPainter()
        self.sizes: list[tuple[float, float]] = []
        self.total = 0
        self.done = 0
        self.cancelled = False
        self._dpi = 0.0

    def start(self) -> PrintJob:
        Task(self, page_sizes, self.pdf).on_done(self._begin).on_error(self._failed).start()
        return self

    def cancel(self) -> None:
        """Stop after the page being painted (what is printed so far stays printed)."""
        self.cancelled = True

    def _begin(self, sizes: list[tuple[float, float]]) -> None:
        if not sizes:
            self.finished.emit(False, "the document has no pages")
            return
        self.sizes = sizes
        self.printer.setCopyCount(self.copies)
        repeat = 1 if self.printer.supportsMultipleCopies() and self.printer.copyCount() == self.copies else self.copies
        self.total = repeat * len(sizes)
        self.printer.setFullPage(True)
        _set_page(self.printer, sizes[0])
        self._dpi = min(float(self.printer.resolution()), PRINT_MAX_DPI)
        if not self.painter.begin(self.printer):
            self.finished.emit(False, "the printer could not be started")
            return
        self._next()

    def _next(self) -> None:
        if self.cancelled or self.done >= self.total:
            self.painter.end()
            self.finished.emit(not self.cancelled, "cancelled" if self.cancelled else "")
            return
        index = self.done % len(self.sizes)
        Task(self, _render_for_print, self.pdf, index, self._dpi).on_done(
            lambda result: self._paint(index, *result)).on_error(self._failed).start()

    def _paint(self, index: int, page: PageImage, runs: list[TextRun]) -> None:
        size = self.sizes[index]
        if self.done:
            _set_page(self.printer, size)
            if not self.printer.newPage():
                self._failed(RuntimeError("the printer refused a new page"), "")
                return
        _paint_rendered(self.painter, self.printer, page, runs, size)
        self.done += 1
        self.progress.emit(self.done, self.total)
        self._next()

    def _failed(self, exc: BaseException, details: str) -> None:
        log.error("printing failed: %s\n%s", exc, details)
        if self.painter.isActive():
            self.painter.end()
        self.finished.emit(False, str(exc))


def print_pdf(parent: QWidget | None, pdf_bytes: bytes, *, copies: int = 1, printer: QPrinter | None = None,
              ask: bool = True) -> bool:
    """Print ``pdf_bytes``: the print dialog (printer, copies) first unless ``ask`` is False.

    Returns True when it was printed, False when the person cancelled. ``printer`` is the printer
    to use (a PDF-format QPrinter in tests: the printer boundary); by default the system's.
    Raises ValueError / RuntimeError as ``paint_pdf`` does — callers say it in words.
    """
    printer = printer or QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setCopyCount(max(1, copies))
    if ask and not ask_printer(parent, printer, copies=copies):
        return False
    paint_pdf(printer, pdf_bytes, copies=printer.copyCount())
    return True


def ask_printer(parent: QWidget | None, printer: QPrinter, *, copies: int = 1) -> bool:
    """The print dialog (printer, copies) for ``printer``; False when the person cancelled."""
    printer.setCopyCount(max(1, copies))
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(QCoreApplication.translate("PdfPreview", "Print"))
    return dialog.exec() == QPrintDialog.DialogCode.Accepted


def save_pdf(parent: QWidget | None, pdf_bytes: bytes, suggested_name: str, *, path: str | Path | None = None) -> Path | None:
    """Ask where to save ``pdf_bytes`` (the original, vector PDF) and write it atomically.

    ``path`` skips the question (tests, batch jobs). Returns the path written, or None when the
    person cancelled. OSError when the file cannot be written.
    """
    if path is None:
        chosen, _ = QFileDialog.getSaveFileName(parent, QCoreApplication.translate("PdfPreview", "Save as PDF"),
                                                suggested_name, "PDF (*.pdf)")
        if not chosen:
            return None
        path = chosen if chosen.lower().endswith(".pdf") else chosen + ".pdf"
    target = Path(path)
    write_atomic(target, pdf_bytes, mode=0o644)
    return target


__all__ = ("PdfPreview", "PrintJob", "ask_printer", "page_sizes", "paint_pdf", "print_pdf", "render_page", "save_pdf")
