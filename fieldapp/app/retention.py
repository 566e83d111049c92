"""Minimisation on the laptop (PRODUCT.md §6 CN12–15): the work on a case that left it is deleted once safe.

A case leaves the laptop when the server closes or reassigns it (a tombstone): its row goes at once,
but the contact attempts, visits, plans, promises, notices and attachments made for it stay, because
they are work that must reach the server. Once every one of them is acknowledged (no outbox entry of
the case waits, is refused or in conflict; every attachment's bytes confirmed) and the last work on
the case is older than the rule pack's ``device_purge_days``, they are deleted here, in one audited
transaction. The server keeps its own copy for the pack's retention period.

The case's own row is gone, so its market is not known here any more: the shortest purge delay of
the packs on this laptop applies (the strictest minimisation).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from fieldapp.core.forms import bundled_rule_pack_data
from fieldapp.store import repo
from fieldapp.store.models import (
    Attachment,
    Case,
    ContactAttempt,
    NoticeRow,
    OutboxEntry,
    PlanInstalmentRow,
    PlanRow,
    PromiseRow,
    Visit,
)
from fieldapp.store.repo.attachments import attachment_path
from fieldapp.store.work import audited_write

AUDIT_PURGED = "case_purged"


@dataclass
class PurgeReport:
    """What one purge deleted (case id → rows deleted per kind) and what it kept, with why."""

    purged: dict[int, dict[str, int]] = field(default_factory=dict)
    kept: dict[int, str] = field(default_factory=dict)


def purge_days(session: Session) -> int:
    """The shortest ``device_purge_days`` of the rule packs this laptop knows."""
    packs = [repo.rule_pack(session, jurisdiction) for jurisdiction in bundled_rule_pack_data()]
    return min(pack.retention().device_purge_days for pack in packs)


def _departed_work(session: Session) -> dict[int, dt.datetime]:
    """Case id → the last work on it, for every case whose row left this laptop but whose work is here."""
    here = select(Case.id)
    last: dict[int, dt.datetime] = {}
    for column, table in ((ContactAttempt.attempted_at, ContactAttempt), (Visit.started_at, Visit),
                          (Visit.ended_at, Visit), (PlanRow.created_at, PlanRow), (PromiseRow.created_at, PromiseRow),
                          (NoticeRow.printed_at, NoticeRow)):
        stmt = (select(table.case_id, func.max(column)).where(table.case_id.not_in(here), table.case_id.is_not(None))
                .group_by(table.case_id))
        for case_id, at in session.execute(stmt):
            if at is not None and (case_id not in last or at > last[case_id]):
                last[case_id] = at
    return last


def _attachments_of(session: Session, case_id: int) -> set[str]:
    shas: set[str] = set()
    for payload in session.scalars(select(Visit.payload).where(Visit.case_id == case_id)):
        for item in (payload or {}).get("attachments", []) or []:
            sha = item.get("sha256") if isinstance(item, dict) else item
            if isinstance(sha, str):
                shas.add(sha)
    return shas


def purge_departed_cases(store: Any, now: dt.datetime, *, dry_run: bool = False) -> PurgeReport:
    """Delete the acknowledged work on cases that left this laptop more than the purge delay ago."""
    report = PurgeReport()

    def work(session: Session) -> PurgeReport:
        cutoff = now - dt.timedelta(days=purge_days(session))
        waiting = set(session.scalars(select(OutboxEntry.case_id).where(OutboxEntry.case_id.is_not(None)).distinct()))
        for case_id, last in sorted(_departed_work(session).items()):
            if case_id in waiting:
                report.kept[case_id] = "records wait for the server"
                continue
            if last > cutoff:
                report.kept[case_id] = f"last work {last:%Y-%m-%d}, kept until {last + (now - cutoff):%Y-%m-%d}"
                continue
            shas = _attachments_of(session, case_id)
            unconfirmed = session.scalar(select(func.count()).select_from(Attachment).where(
                Attachment.sha256.in_(shas), Attachment.confirmed.is_(False))) if shas else 0
            if unconfirmed:
                report.kept[case_id] = "attachments wait for the server"
                continue
            counts = {"attachments": len(shas)}
            if not dry_run:
                for row in session.scalars(select(Attachment).where(Attachment.sha256.in_(shas))):
                    attachment_path(store, row).unlink(missing_ok=True)
                session.execute(delete(Attachment).where(Attachment.sha256.in_(shas)))
                plan_ids = list(session.scalars(select(PlanRow.id).where(PlanRow.case_id == case_id)))
                session.execute(delete(PlanInstalmentRow).where(PlanInstalmentRow.plan_id.in_(plan_ids)))
            for name, table in (("contact_attempts", ContactAttempt), ("visits", Visit), ("plans", PlanRow),
                                ("promises", PromiseRow), ("notices", NoticeRow)):
                if dry_run:
                    counts[name] = int(session.scalar(select(func.count()).select_from(table).where(
                        table.case_id == case_id)) or 0)
                else:
                    counts[name] = int(session.execute(delete(table).where(table.case_id == case_id)).rowcount or 0)
            report.purged[case_id] = counts
            if not dry_run:
                repo.append_audit(session, AUDIT_PURGED, {"case_id": case_id, "last_work": last.isoformat(),
                                                          "deleted": counts}, at=now, case_id=None)
        if dry_run:
            session.rollback()
        return report

    return audited_write(store, work)
