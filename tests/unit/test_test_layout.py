"""How the suite is laid out: every test that drives Qt carries the ``gui`` marker."""

from __future__ import annotations

from typing import Any

#: pytest-qt's fixtures (tests/conftest.py marks their users; this checks it did)
QT_FIXTURES = {"qtbot", "qapp", "qtmodeltester"}


def test_every_test_using_qt_is_marked_gui(request: Any) -> None:
    items = request.session.items
    qt = [item for item in items if QT_FIXTURES & set(getattr(item, "fixturenames", ()))]
    unmarked = [item.nodeid for item in qt if item.get_closest_marker("gui") is None]
    assert not unmarked, f"drive Qt but are not marked gui: {unmarked[:5]}"
    # and the marker is not handed out to tests that never touch Qt
    assert request.node.get_closest_marker("gui") is None
