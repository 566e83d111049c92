"""The binding work-around: thousands of Qt calls returning None or emitting signals do not abort Python."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.gui

SCRIPT = textwrap.dedent("""
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
    from PySide6.QtWidgets import QApplication
    if sys.argv[1] == "guarded":
        from fieldapp.ui.compat import guard_singleton_refcounts
        guard_singleton_refcounts()
    app = QApplication([])

    class Model(QAbstractTableModel):
        def rowCount(self, parent=QModelIndex()):
            return 0 if parent.isValid() else 10
        def columnCount(self, parent=QModelIndex()):
            return 0 if parent.isValid() else 3
        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            return None

    class Emitter(QObject):
        changed = Signal(int)

    model, emitter = Model(), Emitter()
    for i in range(20_000):
        model.index(i % 10, 1).data()
        emitter.changed.emit(i)
    print("ok")
""")


def test_many_none_returns_and_emits_survive_with_the_guard() -> None:
    result = subprocess.run([sys.executable, "-c", SCRIPT, "guarded"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]
