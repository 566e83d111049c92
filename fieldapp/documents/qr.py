"""QR codes for printed documents, drawn as vectors (crisp at any print resolution, no raster image).

A QR code on a FieldApp document carries only a verification URL with a random token
(PRODUCT.md §8); callers must never put a name, an ID number or an amount in it.
"""

from __future__ import annotations

from reportlab.platypus import Flowable


def qr_matrix(data: str, *, border: int = 4) -> list[list[bool]]:
    """The QR modules of ``data`` (error correction M), including a quiet zone of ``border`` modules."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    # A fixed mask: choosing the "best" of the 8 costs 7 ms a code for no gain a phone camera notices
    # (tests decode many random tokens with this mask).
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=border, mask_pattern=2)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


class QrFlowable(Flowable):
    """A square QR code of side ``size`` points (quiet zone included) for a ReportLab story."""

    def __init__(self, data: str, size: float) -> None:
        super().__init__()
        self.data = data
        self.size = size
        self._matrix = qr_matrix(data)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        draw_qr(self.canv, self._matrix, 0, 0, self.size)


def draw_qr(canvas, matrix: list[list[bool]], x: float, y: float, size: float) -> None:  # type: ignore[no-untyped-def]
    """Draw a QR matrix with its lower-left corner at (x, y); dark runs of a row become one rectangle."""
    n = len(matrix)
    module = size / n
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        top = y + size - (row_index + 1) * module
        col = 0
        while col < n:
            if row[col]:
                start = col
                while col < n and row[col]:
                    col += 1
                # a hair of overlap so no white seams appear between rows when rasterised
                path.rect(x + start * module, top - 0.01, (col - start) * module, module + 0.02)
            else:
                col += 1
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def qr_flowable(url: str, size: float) -> QrFlowable:
    """A QR code of ``url`` as a flowable of ``size`` × ``size`` points (quiet zone included)."""
    return QrFlowable(url, size)


__all__ = ("QrFlowable", "draw_qr", "qr_flowable", "qr_matrix")
