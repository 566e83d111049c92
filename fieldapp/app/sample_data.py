"""Fill a device store with generated Chinese cases: for screenshots, benchmarks and GUI tests only.

The app itself never calls this. Cases come from ``fieldapp.demodata`` (fictional, deterministic)
and are written straight into the store the way a sync would leave them. Everything is built around
``now``, the instant the caller's clock says it is (a test's injected clock): the cases' "today" is
the debtors' date then (Shanghai's), never the machine's.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from fieldapp import protocol
from fieldapp.core.money import to_minor
from fieldapp.core.plans import PlanPolicy, PromiseToPay, draft_plan, seal_plan
from fieldapp.demodata import generate_cases
from fieldapp.store import repo
from fieldapp.store.models import Case, Visit

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _mask(id_number: str) -> str:
    return id_number[:1] + "*" * (len(id_number) - 2) + id_number[-1:] if len(id_number) > 2 else id_number


def _minor(text: str) -> int:
    return to_minor(Decimal(text), "CNY") if text else 0


def shanghai_today(now: dt.datetime) -> dt.date:
    """The date in Shanghai at ``now``: the sample debtors' and collector's day."""
    return now.astimezone(SHANGHAI).date()


def case_records(count: int, *, today: dt.date, seed: int = 7, appointments: int = 8,
                 flagged_every: int = 17) -> list[protocol.CaseRecord]:
    """``count`` CaseRecords; the first ``appointments`` (highest DPD first) have a visit booked on
    ``today`` (a Shanghai date), from 09:30 Shanghai time every 75 minutes."""
    rng = random.Random(seed)
    records = []
    for index, row in enumerate(generate_cases(count, seed=seed, today=today), start=1):
        flags: list[str] = []
        if flagged_every and index % flagged_every == 0:
            flags = [rng.choice(["dispute_open", "vulnerable", "attorney", "bereavement"])]
        records.append(protocol.CaseRecord(
            id=index, revision=1, account_ref=row["account_ref"], debtor_name=row["debtor_name"],
            id_number_masked=_mask(row["id_number"]), phone=row["phone"], address=row["address"],
            city=row["city"], district=row["district"], timezone=row["timezone"], currency=row["currency"],
            principal=_minor(row["principal"]), fees=_minor(row["fees"]), total_due=_minor(row["total_due"]),
            dpd=int(row["dpd"]), overdue_since=dt.date.fromisoformat(row["overdue_since"]),
            last_payment_date=dt.date.fromisoformat(row["last_payment_date"]) if row["last_payment_date"] else None,
            last_payment_amount=_minor(row["last_payment_amount"]) if row["last_payment_amount"] else None,
            risk_grade=row["risk_grade"], creditor=row["creditor"], product=row["product"],
            jurisdiction="CN", status=protocol.CaseStatus.open, flags=flags,
        ))
    by_dpd = sorted(records, key=lambda r: -r.dpd)[:appointments]
    for slot, record in enumerate(by_dpd):
        at = dt.datetime.combine(today, dt.time(9, 30), tzinfo=SHANGHAI) + dt.timedelta(minutes=75 * slot)
        record.appointment_at = at.astimezone(dt.UTC)
    return records


def fill_store(store: Any, count: int, *, now: dt.datetime, seed: int = 7, appointments: int = 8,
               contacts: int = 0) -> list[protocol.CaseRecord]:
    """Insert ``count`` generated cases in bulk, with appointments on Shanghai's date at ``now``; log
    ``contacts`` confirmation calls two hours before ``now`` (they go to the outbox)."""
    records = case_records(count, seed=seed, today=shanghai_today(now), appointments=appointments)
    rows: list[dict[str, Any]] = []
    for record in records:
        data = record.model_dump(exclude={"status"})
        data["status"] = record.status.value
        data["search_text"] = repo.search_text_for(record)
        rows.append(data)
    with store.session() as session:
        for start in range(0, len(rows), 5000):
            session.execute(insert(Case), rows[start:start + 5000])
        for record in sorted(records, key=lambda r: -r.dpd)[:contacts]:
            repo.log_contact_attempt(
                session, case_id=record.id, channel="call", attempted_at=now - dt.timedelta(hours=2),
                outcome="appointment" if record.appointment_at else "no_answer",
                appointment_at=record.appointment_at, note="电话确认上门时间" if record.appointment_at else "",
                username="zhangwei",
            )
        session.commit()
    return records


def fill_follow_ups(store: Any, case_ids: list[int], *, now: dt.datetime) -> dict[str, list[int]]:
    """Give ``case_ids`` plans, promises and visits with follow-up dates, written the way the app and
    a sync leave them, cycling through six kinds; returns the case ids of each kind.

    ``broken`` (a plan the server marked broken), ``rejected`` (the lead said no), ``overdue`` (an active
    plan's first instalment a week past and unpaid), ``promise_due`` (a promise due today),
    ``visit_due`` (a visit's follow-up date yesterday) and ``later`` (a follow-up next week: nothing due).
    """
    today = shanghai_today(now)
    kinds = ("broken", "rejected", "overdue", "promise_due", "visit_due", "later")
    out: dict[str, list[int]] = {kind: [] for kind in kinds}
    policy = PlanPolicy.bundled("CN")
    updates: list[protocol.PlanUpdate] = []
    with store.session() as session:
        for n, case_id in enumerate(case_ids):
            kind = kinds[n % len(kinds)]
            out[kind].append(case_id)
            case = session.get(Case, case_id)
            if case is None:
                continue
            total = Decimal(case.total_due) / 100
            if kind in ("broken", "rejected", "overdue"):
                agreed = today - dt.timedelta(days=40)
                plan = draft_plan(case.account_ref, total, currency=case.currency, agreed_on=agreed,
                                  first_due=today - dt.timedelta(days=7), count=6)
                sealed = seal_plan(plan, b"\x89PNG debtor", b"\x89PNG collector", policy=policy).with_status("active")
                repo.record_plan(session, sealed, case_id=case_id, at=now)
                if kind != "overdue":  # the overdue one: the server has not judged it yet
                    first = sealed.plan.instalments[0]
                    updates.append(protocol.PlanUpdate(
                        plan_id=sealed.id, case_id=case_id, status=kind, decided_by="李组长",
                        decided_at=now if kind == "rejected" else None,
                        comment="减免超出授权，请重新协商" if kind == "rejected" else "",
                        instalments=[protocol.InstalmentState(
                            number=first.number, due_on=first.due_on, amount_minor=to_minor(first.amount, case.currency),
                            paid_minor=0, status="overdue")] if kind == "broken" else []))
            elif kind == "promise_due":
                promise = PromiseToPay(due_on=today, amount=min(total, Decimal(500)), currency=case.currency,
                                       made_on=today - dt.timedelta(days=5))
                repo.record_promise(session, promise, case_id=case_id, at=now)
            else:
                follow_up = today - dt.timedelta(days=1) if kind == "visit_due" else today + dt.timedelta(days=7)
                session.add(Visit(id=str(uuid.uuid4()), case_id=case_id, started_at=now - dt.timedelta(days=3),
                                  ended_at=now - dt.timedelta(days=3, minutes=-40), outcome="not_at_home",
                                  state="complete", payload={"follow_up_on": follow_up.isoformat()}))
        session.flush()
        repo.apply_plan_updates(session, updates)  # as a pull would apply them
        session.commit()
    return out
