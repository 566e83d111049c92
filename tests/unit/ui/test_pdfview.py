"""The PDF preview, printing to a PDF-format printer (the printer boundary) and saving."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdf
import pytest
from PySide6.QtPrintSupport import QPrinter

from fieldapp.ui.pdfview import PdfPreview, paint_pdf, print_pdf, save_pdf

pytestmark = pytest.mark.gui

from notice_samples import cn_notice  # noqa: E402


@pytest.fixture(scope="module")
def notice_pdf() -> bytes:
    from fieldapp.documents.notice_pdf import render_notice

    return render_notice(cn_notice())


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_preview_shows_every_page_and_zooms(qtbot: Any, styled_app: Any, notice_pdf: bytes, shot_dir: Path) -> None:
    preview = PdfPreview()
    qtbot.addWidget(preview)
    preview.resize(760, 900)
    preview.show()
    with qtbot.waitSignal(preview.loaded, timeout=10_000) as loaded:
        preview.set_pdf(notice_pdf)
    pages = loaded.args[0]
    assert pages == preview.page_count == len(pypdf.PdfReader(__import__("io").BytesIO(notice_pdf)).pages) >= 1
    assert preview.page_count_label.text() == f"Pages: {pages}"
    qtbot.waitUntil(lambda: preview.page_pixmap(0) is not None and preview.is_settled(), timeout=10_000)
    small = preview.page_pixmap(0).width()
    preview.zoom_in_button.click()
    assert preview.zoom_label.text() == "125%"
    qtbot.waitUntil(lambda: preview.is_settled() and preview.page_pixmap(0).width() > small, timeout=10_000)
    preview.grab().save(str(shot_dir / "pdf_preview.png"))


def test_preview_says_when_bytes_are_not_a_pdf(qtbot: Any, styled_app: Any) -> None:
    preview = PdfPreview()
    qtbot.addWidget(preview)
    with qtbot.waitSignal(preview.failed, timeout=10_000):
        preview.set_pdf(b"not a pdf at all")
    assert "not a readable PDF" in preview.message.text() and preview.page_count == 0


def test_print_to_a_pdf_printer_keeps_the_text_and_makes_copies(
        qtbot: Any, styled_app: Any, notice_pdf: bytes, tmp_path: Path) -> None:
    out = tmp_path / "printed.pdf"
    assert print_pdf(None, notice_pdf, copies=2, printer=pdf_printer(out), ask=False)
    reader = pypdf.PdfReader(out)
    source_pages = len(pypdf.PdfReader(__import__("io").BytesIO(notice_pdf)).pages)
    assert len(reader.pages) == 2 * source_pages
    text = "".join(page.extract_text() for page in reader.pages)
    assert text.count("张伟") >= 2 and "华信消费金融有限公司" in text


def test_paint_refuses_what_is_not_a_pdf(styled_app: Any, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        paint_pdf(pdf_printer(tmp_path / "x.pdf"), b"%PDF-broken")


def test_save_writes_the_original_pdf(styled_app: Any, notice_pdf: bytes, tmp_path: Path) -> None:
    target = save_pdf(None, notice_pdf, "notice.pdf", path=tmp_path / "saved.pdf")
    assert target is not None and target.read_bytes() == notice_pdf


def test_a_print_job_paints_page_by_page_with_progress(
        qtbot: Any, styled_app: Any, notice_pdf: bytes, tmp_path: Path) -> None:
    from PySide6.QtCore import QObject

    from fieldapp.ui.pdfview import PrintJob

    owner = QObject()
    out = tmp_path / "job.pdf"
    job = PrintJob(owner, pdf_printer(out), notice_pdf, copies=3)
    steps: list[tuple[int, int]] = []
    job.progress.connect(lambda done, total: steps.append((done, total)))
    with qtbot.waitSignal(job.finished, timeout=20_000) as finished:
        job.start()
    assert finished.args == [True, ""]
    pages = len(pypdf.PdfReader(__import__("io").BytesIO(notice_pdf)).pages)
    assert steps[-1] == (3 * pages, 3 * pages) and len(steps) == 3 * pages
    reader = pypdf.PdfReader(out)
    assert len(reader.pages) == 3 * pages and "张伟" in reader.pages[0].extract_text()
