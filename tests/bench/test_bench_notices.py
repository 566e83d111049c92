"""Notice PDFs against PRODUCT.md §9: one notice ≤ 100 ms (median of 20, after the font is registered
once per process), a batch of 200 in one file ≤ 10 s. Filling (the refusal checks) is timed with the
rendering: that is what a print costs."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "documents"))
from benchlib import report  # noqa: E402
from notice_samples import cn_notice, us_notice  # noqa: E402

from fieldapp.documents.fonts import register_fonts  # noqa: E402
from fieldapp.documents.notice_pdf import render_batch, render_notice  # noqa: E402


def test_bench_one_notice() -> None:
    start = time.perf_counter()
    register_fonts()
    print(f"font registration (once per process): {time.perf_counter() - start:.3f} s")
    render_notice(cn_notice("zh-CN"))  # warm-up: imports, style objects
    for name, make in (("one Chinese notice (fill + render)", lambda: cn_notice("zh-CN")),
                       ("one US B-1 notice (fill + render)", lambda: us_notice("en"))):
        samples = []
        for _ in range(20):
            start = time.perf_counter()
            pdf = render_notice(make())
            samples.append(time.perf_counter() - start)
        assert pdf.startswith(b"%PDF")
        line = report(name, samples, 0.1)
        assert "OVER BUDGET" not in line


def test_bench_batch_of_200() -> None:
    register_fonts()
    samples = []
    for _ in range(3):
        start = time.perf_counter()
        notices = [cn_notice("zh-CN" if i % 4 else "en", debtor_name=f"测试{i:03d}") for i in range(200)]
        pdf = render_batch(notices)
        samples.append(time.perf_counter() - start)
    print(f"batch of 200: {len(pdf) / 1e6:.1f} MB")
    line = report("batch of 200 notices in one PDF", samples, 10.0)
    assert "OVER BUDGET" not in line
