"""Render the main window, the case detail and the other screens to PNG, in Chinese, and check them.

The PNGs land in a temporary folder, or in $FIELDAPP_SCREENSHOTS to look at them
(``packaging/screenshots.py`` regenerates the README's from the same code).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QColor, QImage, QRawFont

from fieldapp.ui import style
from fieldapp.ui.screenshots import render

pytestmark = pytest.mark.gui


def test_the_bundled_font_covers_chinese(styled_app: Any) -> None:
    family = style.load_cjk_font()
    assert family and family in styled_app.font().families()
    raw = QRawFont(style.resource_bytes("fonts", "DroidSansFallbackFull.ttf"), 12)
    assert raw.isValid() and raw.familyName() == family
    assert all(raw.supportsCharacter(ord(ch)) for ch in "案件今日待上传逾期天数应还总额张伟浦东一组已预约")


def _distinct_colours(image: QImage, step: int = 7) -> int:
    seen = set()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            seen.add(image.pixel(x, y))
    return len(seen)


def test_screens_render_in_chinese(qtbot: Any, styled_app: Any, filled_store: Any, shot_dir: Path) -> None:
    paths = render(filled_store, shot_dir, "zh_CN", demo_credentials={"pin": "246810"})
    names = sorted(p.name for p in paths)
    assert names == sorted(f"zh_CN-{n}.png" for n in ("cases", "contact", "today", "outbox", "enroll", "unlock"))
    for path in paths:
        image = QImage(str(path))
        assert not image.isNull() and image.width() >= 380 and image.height() >= 300, path.name
        assert _distinct_colours(image) > 20, f"{path.name} looks blank"
    cases = QImage(str(shot_dir / "zh_CN-cases.png"))
    assert (cases.width(), cases.height()) == (1360, 820)
    # the left rail is drawn in its dark colour, the accent shows on the selected page
    assert QColor(cases.pixel(5, 400)).name() == "#1d2b33"
