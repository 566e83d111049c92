"""Work-arounds for bugs in the Qt bindings, applied once when the app (or a test) creates Qt.

PySide6 6.12.0 on Python 3.11 returns None, True and False to the interpreter without taking a
reference in several places (Python overrides of C++ virtuals that return nothing or ``None``,
such as ``QRunnable.run`` and ``QAbstractItemModel.data``, and ``Signal.emit``). Each call drops
the singleton's reference count by one, and after a few thousand calls Python aborts with
"none_dealloc: deallocating None" — minutes into a working day. From Python 3.12 these objects are
immortal and the bug is harmless, so there the guard does nothing.
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger(__name__)

_guarded = False
# Headroom added to each singleton's count: centuries of calls at any realistic rate.
_HEADROOM = 1 << 40


def guard_singleton_refcounts() -> None:
    """Make None, True and False effectively immortal on Python < 3.12 (idempotent)."""
    global _guarded
    if _guarded or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    for obj in (None, True, False):
        # ob_refcnt is the first field of every CPython object (PyObject_HEAD).
        ctypes.c_ssize_t.from_address(id(obj)).value += _HEADROOM
    _guarded = True
    log.debug("guarded None/True/False reference counts against the PySide6 6.12 binding bug")
