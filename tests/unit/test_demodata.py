"""The demo data looks like a lending system's export and is deterministic."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from fieldapp.demodata import _ID_CHECK, _ID_WEIGHTS, COLUMNS, generate_cases, write_csv

TODAY = dt.date(2026, 12, 3)


def test_rows_are_complete_deterministic_and_varied() -> None:
    rows = generate_cases(200, seed=3, today=TODAY)
    assert rows == generate_cases(200, seed=3, today=TODAY)
    assert len({r["account_ref"] for r in rows}) == 200
    assert all(set(r) == set(COLUMNS) for r in rows)
    assert len({r["city"] for r in rows}) >= 5
    dpds = [int(r["dpd"]) for r in rows]
    assert min(dpds) <= 30 and max(dpds) > 180
    for row in rows:
        number = row["id_number"]
        assert len(number) == 18
        assert _ID_CHECK[sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS)) % 11] == number[17]
        assert row["address"].startswith(row["city"] + row["district"])
        # overdue as of the day they are generated for, not the day the test runs
        assert dt.date.fromisoformat(row["overdue_since"]) == TODAY - dt.timedelta(days=int(row["dpd"]))


def test_csv_round_trip_in_gb18030(tmp_path: Path) -> None:
    rows = generate_cases(5, today=TODAY)
    path = write_csv(rows, tmp_path / "x.csv", encoding="gb18030")
    read = list(csv.DictReader(io.StringIO(path.read_bytes().decode("gb18030"))))
    assert [r["debtor_name"] for r in read] == [r["debtor_name"] for r in rows]
