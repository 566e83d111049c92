"""Exactly once through a hostile network: 500 records pushed through a proxy that drops connections
after the server committed, answers 502 and delays — each record arrives on the server once."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from faultproxy import FaultProxy
from sqlalchemy import create_engine, func, select, text

from fieldapp.store import repo
from fieldapp.store.models import Case, OutboxEntry
from fieldapp.sync import client as sync_client

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
UTC = dt.timezone.utc


def point_at(store: Any, url: str) -> None:
    with store.session() as session:
        store.set_meta(session, sync_client.META_SERVER, url)
        session.commit()


def queue_records(store: Any, count: int) -> set[str]:
    """``count`` records as a collector makes them: calls logged, and visits (half and half)."""
    ids: set[str] = set()
    start = dt.datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    with store.session() as session:
        case_ids = list(session.scalars(select(Case.id)))
        for i in range(count):
            case_id = case_ids[i % len(case_ids)]
            if i % 2:
                attempt = repo.log_contact_attempt(
                    session, case_id=case_id, channel="call", outcome="no_answer",
                    attempted_at=start + dt.timedelta(minutes=i), note=f"第{i}次拨打")
                ids.add(attempt.id)
            else:
                entry = repo.enqueue(session, "visit", {
                    "started_at": (start + dt.timedelta(minutes=i)).isoformat(),
                    "ended_at": (start + dt.timedelta(minutes=i + 20)).isoformat(),
                    "utc_offset_minutes": 480, "address_confirmed": True, "outcome": "not_at_home",
                    "note": f"visit {i}"}, case_id=case_id, record_id=str(uuid.uuid4()))
                ids.add(entry.id)
        session.commit()
    return ids


def server_record_ids(db_url: str) -> list[str]:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return [str(row[0]).replace("-", "") for row in conn.execute(text("SELECT id FROM records"))]
    finally:
        engine.dispose()


def test_500_records_arrive_exactly_once(enroll_store: Any) -> None:
    device = enroll_store("fault", cases=20)
    store = device.store
    device.client().sync()
    ids = queue_records(store, 500)

    with FaultProxy(device.server_url, drop=0.25, bad_gateway=0.15, delay=0.15, delay_seconds=(0.05, 0.3),
                    seed=20261129) as proxy:
        point_at(store, proxy.url)
        # A collector's laptop syncs again and again on a bad network; each sync may give up, none loses.
        for _ in range(40):
            try:
                device.client(push_batch=20, max_attempts=4, max_total_wait=1.0).sync()
            except sync_client.SyncError:
                continue
            with store.session() as session:
                if session.scalar(select(func.count()).select_from(OutboxEntry)) == 0:
                    break
    assert proxy.counts["drop"] >= 3 and proxy.counts["bad_gateway"] >= 1 and proxy.counts["delay"] >= 1

    with store.session() as session:
        assert session.scalars(select(OutboxEntry)).all() == []
    on_server = server_record_ids(device.server.db_url)
    assert len(on_server) == len(set(on_server)) == 500
    assert set(on_server) == {i.replace("-", "") for i in ids}
