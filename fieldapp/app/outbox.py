"""The Outbox as a person reads it: what they did (a visit, a call, a plan, a letter), not every audit event.

A visit queues about a dozen audit events beside its record. Waiting audit events are folded into
the newest waiting record of the same case made by the person (``audit_events`` counts them); those
with no such record become one "audit trail" line per case. Records the server refused or found in
conflict are never folded: each needs a person and stays on its own line with the server's reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from fieldapp.app.cases import OutboxRow, outbox_rows

AUDIT = "audit_event"


@dataclass(frozen=True)
class OutboxItem:
    """One line of the Outbox: a record (or a case's folded audit trail) and how many audit events ride with it."""

    kind: str
    case_id: int | None
    debtor_name: str
    created_at: dt.datetime
    state: str  # pending | rejected | conflict
    reason: str = ""
    audit_events: int = 0
    record_ids: tuple[str, ...] = ()


def _item(row: OutboxRow) -> OutboxItem:
    return OutboxItem(row.kind, row.case_id, row.debtor_name, row.created_at, row.state, row.reason,
                      1 if row.kind == AUDIT else 0, (row.id,))


def fold(rows: list[OutboxRow]) -> list[OutboxItem]:
    """``outbox_rows`` as lines a person reads: refused ones first (as given), then waiting ones oldest first."""
    items: list[OutboxItem] = []
    person: dict[int | None, int] = {}  # case → position of its newest waiting record made by the person
    trail: dict[int | None, int] = {}  # case → position of its folded audit trail line
    loose: dict[int | None, list[OutboxRow]] = {}
    for row in rows:
        if row.state != "pending" or row.kind != AUDIT:
            items.append(_item(row))
            if row.state == "pending":
                person[row.case_id] = len(items) - 1
            continue
        loose.setdefault(row.case_id, []).append(row)
    for case_id, events in loose.items():
        at = person.get(case_id)
        if at is None:
            at = trail.get(case_id)
        if at is None:
            first = events[0]
            items.append(OutboxItem(AUDIT, case_id, first.debtor_name, first.created_at, "pending"))
            at = trail[case_id] = len(items) - 1
        held = items[at]
        items[at] = replace(held, audit_events=held.audit_events + len(events),
                            record_ids=held.record_ids + tuple(e.id for e in events))
    refused = [i for i in items if i.state != "pending"]
    waiting = sorted((i for i in items if i.state == "pending"), key=lambda i: i.created_at)
    return refused + waiting


def outbox_items(store: Any) -> list[OutboxItem]:
    """The Outbox's lines (a worker thread)."""
    with store.session() as session:
        return fold(outbox_rows(session))

