"""The one look: Fusion, a calm palette with one accent colour, the bundled CJK font, the style sheet."""

from __future__ import annotations

import logging
from importlib import resources

from PySide6.QtGui import QColor, QFont, QFontDatabase, QIcon, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QStyleFactory

log = logging.getLogger(__name__)

ACCENT = "#1f6f8b"
INK = "#1d2b33"
# The UI's base point size; nothing in the app is drawn smaller than 10 pt.
BASE_POINT_SIZE = 11

_font_family: str | None = None


def resource_bytes(*parts: str) -> bytes:
    """A file under ``resources/`` (installed as ``fieldapp.resources``), found the same way when frozen."""
    node = resources.files("fieldapp.resources")
    for part in parts:
        node = node / part
    return node.read_bytes()


def load_cjk_font() -> str | None:
    """Register the bundled Droid Sans Fallback once; returns its family name (None if it failed)."""
    global _font_family
    if _font_family is not None:
        return _font_family
    font_id = QFontDatabase.addApplicationFontFromData(resource_bytes("fonts", "DroidSansFallbackFull.ttf"))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        log.error("the bundled CJK font could not be loaded; Chinese may show as boxes")
        return None
    _font_family = families[0]
    return _font_family


def icon(name: str) -> QIcon:
    """One of the bundled SVG icons (``resources/icons/<name>.svg``)."""
    pixmap = QPixmap()
    pixmap.loadFromData(resource_bytes("icons", f"{name}.svg"), "SVG")
    return QIcon(pixmap)


def palette() -> QPalette:
    pal = QPalette()
    window, base, text = QColor("#f4f6f7"), QColor("#ffffff"), QColor(INK)
    accent = QColor(ACCENT)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        pal.setColor(group, QPalette.ColorRole.Window, window)
        pal.setColor(group, QPalette.ColorRole.WindowText, text)
        pal.setColor(group, QPalette.ColorRole.Base, base)
        pal.setColor(group, QPalette.ColorRole.AlternateBase, QColor("#f6f9fa"))
        pal.setColor(group, QPalette.ColorRole.Text, text)
        pal.setColor(group, QPalette.ColorRole.Button, QColor("#ffffff"))
        pal.setColor(group, QPalette.ColorRole.ButtonText, text)
        pal.setColor(group, QPalette.ColorRole.Highlight, QColor("#cfe5ec"))
        pal.setColor(group, QPalette.ColorRole.HighlightedText, QColor("#10232b"))
        pal.setColor(group, QPalette.ColorRole.Link, accent)
        pal.setColor(group, QPalette.ColorRole.ToolTipBase, QColor("#ffffff"))
        pal.setColor(group, QPalette.ColorRole.ToolTipText, text)
        pal.setColor(group, QPalette.ColorRole.PlaceholderText, QColor("#6b7a82"))
    disabled = QPalette.ColorGroup.Disabled
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        pal.setColor(disabled, role, QColor("#8d999f"))
    return pal


def apply(app: QApplication) -> None:
    """Give ``app`` FieldApp's look. Call once, after the QApplication exists."""
    fusion = QStyleFactory.create("Fusion")
    if fusion is not None:
        app.setStyle(fusion)
    app.setPalette(palette())
    family = load_cjk_font()
    font = QFont(app.font())
    font.setPointSize(BASE_POINT_SIZE)
    if family:
        # Latin text keeps the system sans; anything it lacks (Chinese) falls back to the bundled font.
        font.setFamilies([font.family(), family] if font.family() != family else [family])
    app.setFont(font)
    app.setStyleSheet(resource_bytes("style", "fieldapp.qss").decode("utf-8"))
    app.setWindowIcon(icon("app"))
