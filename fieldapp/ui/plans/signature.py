"""A signature pad: mouse, pen and touch; strokes kept as vectors with timing, rendered to PNG.

Each stroke is a list of points ``(x, y, t, pressure)``: x and y in pad pixels, t in milliseconds
since the first point of the signature, pressure 0..1 (1.0 for a mouse). The strokes are the
evidence (how the signature was written); the PNG is what is printed and sealed. Undo takes the
last stroke back, clear takes all of them, redo brings either back until a new stroke is drawn.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QElapsedTimer,
    QIODevice,
    QPointF,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

Point = tuple[float, float, int, float]
INK = QColor("#10233f")
STROKE_FORMAT = "fieldapp.signature_strokes/1"


class SignaturePad(QWidget):
    """Draw a signature here. ``changed`` fires after every stroke, undo, redo or clear.

    Runs on the GUI thread only. ``strokes()`` and ``to_png()`` read what is drawn now.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, hint: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("signaturePad")
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents, True)
        self.setMinimumSize(QSize(360, 150))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.hint = hint
        self._strokes: list[list[Point]] = []
        self._redo: list[list[list[Point]]] = []  # groups: one stroke (undo) or all of them (clear)
        self._current: list[Point] | None = None
        self._clock = QElapsedTimer()
        self._tablet_down = False

    # ------------------------------------------------------------------ public
    def is_empty(self) -> bool:
        return not self._strokes

    def can_undo(self) -> bool:
        return bool(self._strokes)

    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> None:
        if self._strokes:
            self._redo.append([self._strokes.pop()])
            self._changed()

    def redo(self) -> None:
        if self._redo:
            self._strokes.extend(self._redo.pop())
            self._changed()

    def clear(self) -> None:
        if self._strokes:
            self._redo.append(self._strokes)
            self._strokes = []
            self._changed()

    def strokes(self) -> dict[str, Any]:
        """The signature as JSON-safe data: pad size and every stroke's points ``[x, y, t_ms, pressure]``."""
        return {"format": STROKE_FORMAT, "width": self.width(), "height": self.height(),
                "strokes": [[[round(x, 1), round(y, 1), t, round(p, 3)] for x, y, t, p in stroke]
                            for stroke in self._strokes]}

    def set_strokes(self, data: dict[str, Any]) -> None:
        """Show strokes saved by :meth:`strokes` (scaled if the pad's size differs)."""
        sx = self.width() / max(1, data.get("width") or self.width())
        sy = self.height() / max(1, data.get("height") or self.height())
        self._strokes = [[(x * sx, y * sy, int(t), float(p)) for x, y, t, p in stroke] for stroke in data["strokes"]]
        self._redo.clear()
        self._changed()

    def to_png(self, width: int = 900, height: int = 300) -> bytes:
        """The strokes in ink on a transparent ``width`` × ``height`` image, as PNG bytes.

        The ink is cropped to its bounding box and scaled to fit (never more than 3×), so a
        signature drawn small in a corner of the pad still fills the line on paper.
        """
        image = QImage(width, height, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        points = [(x, y) for stroke in self._strokes for x, y, _, _ in stroke]
        if points:
            margin = 8.0
            left, right = min(x for x, _ in points) - margin, max(x for x, _ in points) + margin
            top, bottom = min(y for _, y in points) - margin, max(y for _, y in points) + margin
            box = QRectF(left, top, right - left, bottom - top)
        else:
            box = QRectF(0, 0, max(1, self.width()), max(1, self.height()))
        scale = min(width / box.width(), height / box.height(), 3.0)
        painter.translate((width - box.width() * scale) / 2, (height - box.height() * scale) / 2)
        painter.scale(scale, scale)
        painter.translate(-box.left(), -box.top())
        self._paint_strokes(painter, self._strokes)
        painter.end()
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        return bytes(buffer.data().data())

    # ------------------------------------------------------------------ input
    def _now(self) -> int:
        if not self._clock.isValid():
            self._clock.start()
        return int(self._clock.elapsed())

    def _begin(self, pos: QPointF, pressure: float) -> None:
        self._current = [(pos.x(), pos.y(), self._now(), pressure)]
        self._strokes.append(self._current)
        self._redo.clear()
        self.update()

    def _extend(self, pos: QPointF, pressure: float) -> None:
        if self._current is not None:
            self._current.append((pos.x(), pos.y(), self._now(), pressure))
            self.update()

    def _end(self, pos: QPointF | None = None, pressure: float = 1.0) -> None:
        if self._current is not None:
            if pos is not None:
                self._current.append((pos.x(), pos.y(), self._now(), pressure))
            self._current = None
            self._changed()

    def mousePressEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton and not self._tablet_down:
            self._begin(event.position(), 1.0)
            event.accept()

    def mouseMoveEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        if event.buttons() & Qt.MouseButton.LeftButton and not self._tablet_down:
            self._extend(event.position(), 1.0)
            event.accept()

    def mouseReleaseEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and not self._tablet_down:
            self._end(event.position(), 1.0)
            event.accept()

    def tabletEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        # Accepting a tablet event stops Qt from also sending the synthesised mouse event.
        kind = event.type()
        pressure = max(0.05, float(event.pressure()))
        if kind == event.Type.TabletPress:
            self._tablet_down = True
            self._begin(event.position(), pressure)
        elif kind == event.Type.TabletMove and self._tablet_down:
            self._extend(event.position(), pressure)
        elif kind == event.Type.TabletRelease:
            self._tablet_down = False
            self._end(event.position(), pressure)
        event.accept()

    def event(self, event) -> bool:  # type: ignore[no-untyped-def]
        kind = event.type()
        if kind in (event.Type.TouchBegin, event.Type.TouchUpdate, event.Type.TouchEnd, event.Type.TouchCancel):
            points = event.points()
            if points:  # one finger signs; a second finger is ignored
                point = points[0]
                pressure = float(point.pressure()) or 1.0
                if kind == event.Type.TouchBegin:
                    self._begin(point.position(), pressure)
                elif kind == event.Type.TouchUpdate:
                    self._extend(point.position(), pressure)
                else:
                    self._end(point.position(), pressure)
            elif kind in (event.Type.TouchEnd, event.Type.TouchCancel):
                self._end()
            event.accept()
            return True
        return super().event(event)

    # ------------------------------------------------------------------ painting
    def _changed(self) -> None:
        self.update()
        self.changed.emit()

    @staticmethod
    def _paint_strokes(painter: QPainter, strokes: list[list[Point]]) -> None:
        for stroke in strokes:
            if len(stroke) == 1:
                x, y, _, p = stroke[0]
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(INK)
                radius = 1.2 + 1.6 * p
                painter.drawEllipse(QPointF(x, y), radius, radius)
                continue
            for (x1, y1, _, p1), (x2, y2, _, p2) in zip(stroke, stroke[1:]):
                pen = QPen(INK, 1.6 + 2.4 * (p1 + p2) / 2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                           Qt.PenJoinStyle.RoundJoin)
                painter.setPen(pen)
                painter.drawLine(QPointF(x1, y1), QPointF(x2, y2))

    def paintEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        path = QPainterPath()
        path.addRoundedRect(rect, 8, 8)
        painter.fillPath(path, QColor("#ffffff"))
        painter.setPen(QPen(QColor("#1f6f8b") if self.hasFocus() else QColor("#aab7be"), 1.5))
        painter.drawPath(path)
        baseline = self.height() * 0.75
        painter.setPen(QPen(QColor("#c3ccd1"), 1, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(24, baseline), QPointF(self.width() - 24, baseline))
        painter.setPen(QColor("#8d999f"))
        painter.drawText(QPointF(24, baseline + 22), "×")
        if not self._strokes and self.hint:
            painter.drawText(QRectF(0, 0, self.width(), baseline), Qt.AlignmentFlag.AlignCenter, self.hint)
        self._paint_strokes(painter, self._strokes)
        painter.end()


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) of PNG bytes, for tests and layout."""
    image = QImage()
    image.loadFromData(png, "PNG")
    return image.width(), image.height()


__all__ = ("STROKE_FORMAT", "SignaturePad", "png_size")


class SignatureBox(QWidget):
    """One person's signature: a title, the pad, and Undo, Redo and Clear that enable themselves."""

    def __init__(self, title: str, hint: str, *, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(title)
        heading.setObjectName("sectionTitle")
        layout.addWidget(heading)
        self.pad = SignaturePad(hint=hint)
        self.pad.setObjectName(name)
        self.pad.setAccessibleName(title)
        layout.addWidget(self.pad, 1)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        self.undo_button, self.redo_button = QPushButton(self.tr("Undo")), QPushButton(self.tr("Redo"))
        self.clear_button = QPushButton(self.tr("Clear"))
        for button, slot in ((self.undo_button, self.pad.undo), (self.redo_button, self.pad.redo),
                             (self.clear_button, self.pad.clear)):
            button.clicked.connect(lambda _checked=False, slot=slot: slot())
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.pad.changed.connect(self._update)
        self._update()

    def _update(self) -> None:
        self.undo_button.setEnabled(self.pad.can_undo())
        self.redo_button.setEnabled(self.pad.can_redo())
        self.clear_button.setEnabled(not self.pad.is_empty())
