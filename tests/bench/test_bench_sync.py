"""Sync against PRODUCT.md §9, on a real server process over loopback and a real encrypted store:
first sync of 10,000 cases (≤ 10 s), an idle sync (≤ 0.2 s), a push of 1,000 visits with their two
signatures each (≤ 10 s). Runs on SQLite, and on PostgreSQL when FIELDAPP_TEST_PG_URL is set."""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select

sys.path.insert(0, str(Path(__file__).parent))
from benchlib import report  # noqa: E402

from fieldapp.demodata import generate_cases, write_csv  # noqa: E402
from fieldapp.store import repo  # noqa: E402
from fieldapp.store.models import Case, Meta  # noqa: E402
from fieldapp.sync import client as sync_client  # noqa: E402

UTC = dt.timezone.utc


def _signature_png(seed: int) -> bytes:
    """A small PNG like the signature pad writes (vector strokes rendered at ~600×200)."""
    import io
    import random

    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    image = Image.new("L", (600, 200), 255)
    draw = ImageDraw.Draw(image)
    draw.line([(rng.randrange(20, 580), rng.randrange(20, 180)) for _ in range(14)], fill=0, width=4)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_bench_sync(enroll_store: Any, tmp_path: Path, now: Any) -> None:
    device = enroll_store("bench", cases=0)
    store = device.store
    export = write_csv(generate_cases(10_000, assignee="bench", prefix="BEN", today=now.date()), tmp_path / "10k.csv")
    device.admin("import-cases", str(export))
    backend = "postgresql" if device.server.db_url.startswith("postgresql") else "sqlite"

    first: list[float] = []
    for _ in range(3):
        with store.session() as session:  # forget everything pulled: the next sync is a first sync
            session.execute(delete(Case))
            session.execute(delete(Meta).where(Meta.key == sync_client.META_CURSOR))
            session.commit()
        started = time.perf_counter()
        result = device.client().sync()
        first.append(time.perf_counter() - started)
        assert result.cases_received == 10_000
    report(f"first sync of 10,000 cases [{backend}]", first, 10.0)

    idle: list[float] = []
    for _ in range(15):
        started = time.perf_counter()
        result = device.client().sync()
        idle.append(time.perf_counter() - started)
        assert result.cases_received == 0
    report(f"idle sync [{backend}]", idle, 0.2)

    pushes: list[float] = []
    for round_ in range(2):
        with store.session() as session:
            case_ids = list(session.scalars(select(Case.id).limit(1000)))
            for i, case_id in enumerate(case_ids):
                hashes = [repo.add_attachment(session, store, _signature_png(round_ * 5000 + i * 2 + who), "image/png").sha256
                          for who in range(2)]
                repo.enqueue(session, "visit", {
                    "started_at": dt.datetime(2026, 11, 28, 10, tzinfo=UTC).isoformat(),
                    "utc_offset_minutes": 480, "address_confirmed": True, "outcome": "plan_signed",
                    "attachments": hashes}, case_id=case_id, record_id=str(uuid.uuid4()))
            session.commit()
        started = time.perf_counter()
        result = device.client().sync()
        pushes.append(time.perf_counter() - started)
        assert result.accepted == 1000 and result.attachments_uploaded == 2000
    report(f"push 1,000 visits with 2,000 signatures [{backend}]", pushes, 10.0)
    assert os.environ.get("FIELDAPP_BENCH_STRICT") != "1" or max(first) <= 10.0
