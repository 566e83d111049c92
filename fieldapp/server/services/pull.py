"""The pull side of sync: a commit-ordered cursor and the page of changes for one collector.

Cases (as CaseRecords), tombstones, and plan and promise updates for the plans and promises this
user sent, merged in commit (sequence) order. Never timestamps, never a bare id (PRODUCT.md §7.4).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldapp import protocol
from fieldapp.server.db import Case, Issuer, Plan, Promise, Tombstone, current_sequence
from fieldapp.server.services.cases import to_case_record
from fieldapp.server.services.issuers import to_record as issuer_record
from fieldapp.server.services.plans import plan_update, promise_update

CURSOR_PREFIX = "v1"


class CursorUnknown(Exception):
    """The cursor is malformed, from another database epoch, or ahead of this server."""


def encode_cursor(epoch: str, seq: int) -> str:
    return f"{CURSOR_PREFIX}.{epoch}.{seq}"


def decode_cursor(cursor: str, epoch: str) -> int:
    if not cursor:
        return 0
    parts = cursor.split(".")
    if len(parts) != 3 or parts[0] != CURSOR_PREFIX or parts[1] != epoch or not parts[2].isdigit():
        raise CursorUnknown(cursor)
    return int(parts[2])


@dataclass
class PullPage:
    cases: list[protocol.CaseRecord]
    tombstones: list[protocol.Tombstone]
    next_seq: int
    has_more: bool
    plan_updates: list[protocol.PlanUpdate] = field(default_factory=list)
    promise_updates: list[protocol.PromiseUpdate] = field(default_factory=list)
    issuers: list[protocol.IssuerProfileRecord] = field(default_factory=list)


def pull_page(session: Session, user_id: int, since: int, limit: int) -> PullPage:
    """Changes for ``user_id`` after ``since`` (cases, tombstones, plan and promise updates), in
    commit order, at most ``limit`` of them.

    Raises CursorUnknown when ``since`` is beyond the counter (a cursor from a restored backup or
    another server). Within the page each case appears once: the change with the highest seq wins.
    """
    if since > current_sequence(session):
        raise CursorUnknown(str(since))
    cases = session.scalars(
        select(Case)
        .where(Case.assignee_id == user_id, Case.status == protocol.CaseStatus.open.value, Case.revision > since)
        .order_by(Case.revision)
        .limit(limit + 1)
    ).all()
    stones = session.scalars(
        select(Tombstone).where(Tombstone.user_id == user_id, Tombstone.seq > since).order_by(Tombstone.seq).limit(limit + 1)
    ).all()
    plans = session.scalars(
        select(Plan).where(Plan.user_id == user_id, Plan.seq > since).order_by(Plan.seq).limit(limit + 1)
    ).all()
    promises = session.scalars(
        select(Promise).where(Promise.user_id == user_id, Promise.seq > since).order_by(Promise.seq).limit(limit + 1)
    ).all()
    issuers = session.scalars(select(Issuer).where(Issuer.seq > since).order_by(Issuer.seq).limit(limit + 1)).all()
    merged: list[tuple[int, Case | Tombstone | Plan | Promise | Issuer]] = sorted(
        [(c.revision, c) for c in cases] + [(t.seq, t) for t in stones]
        + [(p.seq, p) for p in plans] + [(p.seq, p) for p in promises] + [(i.seq, i) for i in issuers],
        key=lambda item: item[0],
    )
    page, has_more = merged[:limit], len(merged) > limit
    # Within the page each thing appears once: the change with the highest seq wins.
    latest: dict[tuple[str, object], tuple[int, Case | Tombstone | Plan | Promise | Issuer]] = {}
    for seq, item in page:
        if isinstance(item, Case):
            key: tuple[str, object] = ("case", item.id)
        elif isinstance(item, Tombstone):
            key = ("case", item.case_id)
        elif isinstance(item, Issuer):
            key = ("issuer", item.creditor)
        else:
            key = (type(item).__name__, item.id)
        latest[key] = (seq, item)
    out_cases: list[protocol.CaseRecord] = []
    out_stones: list[protocol.Tombstone] = []
    out_plans: list[protocol.PlanUpdate] = []
    out_promises: list[protocol.PromiseUpdate] = []
    out_issuers: list[protocol.IssuerProfileRecord] = []
    for _seq, item in sorted(latest.values(), key=lambda pair: pair[0]):
        if isinstance(item, Case):
            out_cases.append(to_case_record(item))
        elif isinstance(item, Tombstone):
            out_stones.append(
                protocol.Tombstone(
                    case_id=item.case_id, account_ref=item.account_ref, reason=protocol.TombstoneReason(item.reason)
                )
            )
        elif isinstance(item, Plan):
            out_plans.append(plan_update(item))
        elif isinstance(item, Issuer):
            out_issuers.append(issuer_record(item))
        else:
            out_promises.append(promise_update(item))
    next_seq = page[-1][0] if page else since
    return PullPage(out_cases, out_stones, next_seq, has_more, out_plans, out_promises, out_issuers)
