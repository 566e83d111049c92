"""The shared QR helper: codes made with the fixed mask decode, for many random verification URLs."""

from __future__ import annotations

import io

import pytest

from fieldapp.core.verification import new_verification_token
from fieldapp.documents.qr import qr_flowable, qr_matrix


def matrix_image(matrix: list[list[bool]], scale: int = 4):  # type: ignore[no-untyped-def]
    from PIL import Image

    n = len(matrix)
    image = Image.new("L", (n, n), 255)
    image.putdata([0 if dark else 255 for row in matrix for dark in row])
    return image.resize((n * scale, n * scale), Image.NEAREST)


@pytest.mark.parametrize("base", ["https://verify.huaxin-cf.example.cn", "https://v.example.com/notices"])
def test_random_verification_urls_decode(base: str) -> None:
    import zxingcpp

    for _ in range(60):
        url = f"{base}/v/{new_verification_token()}"
        # only QR codes: a 1D reader now and then "finds" a short number in the modules (a false positive)
        results = zxingcpp.read_barcodes(matrix_image(qr_matrix(url)), formats=zxingcpp.BarcodeFormat.QRCode)
        assert [r.text for r in results] == [url]
        assert results[0].format == zxingcpp.BarcodeFormat.QRCode


def test_flowable_is_square_and_draws() -> None:
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    flowable = qr_flowable("https://verify.example.cn/v/" + new_verification_token(), 30 * mm)
    assert flowable.wrap(500, 500) == (30 * mm, 30 * mm)
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer).build([flowable])
    assert buffer.getvalue().startswith(b"%PDF")
