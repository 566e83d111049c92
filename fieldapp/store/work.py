"""The one unit of work for audited writes on the device store: every writer in app/, sync/ and the CLI.

An audit event links to the chain's head (``prev_hash``), which is unique: two writers that read
the same head cannot both commit. ``audited_write`` runs a change and commits it, one writer of this
process at a time; a writer elsewhere that moved the head first makes the commit fail, and the whole
change is then redone on the new head — never half applied.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError

T = TypeVar("T")

_WRITES = threading.Lock()
ATTEMPTS = 3


def audited_write(store: Any, work: Callable[[Any], T]) -> T:
    """Run ``work(session)`` in a new session and commit; redo it if the audit chain's head moved.

    ``work`` must not commit; it may be run more than once, so it must only write through the
    session it is given. Other integrity errors (a duplicate id …) are raised at once.
    """
    for attempt in range(ATTEMPTS):
        with _WRITES, store.session() as session:
            try:
                result = work(session)
                session.commit()
                return result
            except IntegrityError as exc:
                session.rollback()
                if "prev_hash" not in str(exc) or attempt == ATTEMPTS - 1:
                    raise
    raise AssertionError("unreachable")  # pragma: no cover
