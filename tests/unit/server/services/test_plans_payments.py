"""import-payments: encodings, row errors with line numbers, idempotence by reference, case closure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from server_fixtures import admin_in_process, sample_case, write_cases_csv
from sqlalchemy import select

from fieldapp.server import db


@pytest.fixture(scope="module")
def database(module_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    assert admin_in_process(module_db_url, "init-db").returncode == 0
    path = write_cases_csv(tmp_path_factory.mktemp("pay") / "cases.csv",
                           [sample_case("PAY-1", total_due="300.00"), sample_case("PAY-2", total_due="1000.00")])
    assert admin_in_process(module_db_url, "import-cases", str(path)).returncode == 0
    return module_db_url


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_payments_in_any_encoding_close_a_fully_paid_case(database: str, tmp_path: Path, encoding: str) -> None:
    ref = "PAY-1" if encoding == "gbk" else "PAY-2"
    text = ("付款说明,account_ref,paid_at,amount,reference\r\n"
            f"第一笔,{ref},2026/11/2,100.00,R-{encoding}-1\r\n"
            f"第二笔,{ref},2026-11-03,1000.00,R-{encoding}-2\r\n")
    path = tmp_path / "payments.csv"
    path.write_bytes(text.encode(encoding))
    result = admin_in_process(database, "import-payments", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-2:] == ["plans updated 0, promises updated 0, cases closed 1",
                                                      "imported 2, unchanged 0, rejected 0"]
    again = admin_in_process(database, "import-payments", str(path))
    assert again.stdout.strip().splitlines()[-1] == "imported 0, unchanged 2, rejected 0"
    engine = db.make_engine(database)
    try:
        with db.make_sessionmaker(engine)() as session:
            case = session.scalars(select(db.Case).where(db.Case.account_ref == ref)).one()
            assert case.status == "closed"
            amounts = sorted(p.amount_minor for p in session.scalars(select(db.Payment).where(db.Payment.case_id == case.id)))
            assert amounts == [10000, 100000]
    finally:
        engine.dispose()


def test_bad_rows_are_named_by_line_and_the_rest_import(database: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "account_ref,paid_at,amount,reference\n"
        ",2026-11-01,1.00,B-1\n"
        "PAY-2,2026-13-01,1.00,B-2\n"
        "PAY-2,2026-11-01,abc,B-3\n"
        "PAY-2,2026-11-01,0,B-4\n"
        "PAY-2,2026-11-01,1.001,B-5\n"
        "PAY-2,2026-11-01,1.00,B-6\n"
        "PAY-2,2026-11-01,2.00,B-6\n", encoding="utf-8")
    result = admin_in_process(database, "import-payments", str(path))
    lines = result.stdout.strip().splitlines()
    assert result.returncode == 0
    assert lines[0] == "line 2: account_ref is missing"
    assert lines[1].startswith("line 3: paid_at") and "real date" in lines[1]
    assert lines[2].startswith("line 4: amount")
    assert lines[3] == "line 5: amount must be more than zero"
    assert lines[4].startswith("line 6: amount")
    assert lines[5] == "line 8: reference B-6 appears again (first on line 7)"
    assert lines[-1] == "imported 1, unchanged 0, rejected 6"
    changed = tmp_path / "changed.csv"
    changed.write_text("account_ref,paid_at,amount,reference\nPAY-2,2026-11-01,9.00,B-6\n", encoding="utf-8")
    assert "imported before with other values" in admin_in_process(database, "import-payments", str(changed)).stdout
    missing = admin_in_process(database, "import-payments", str(tmp_path / "nope.csv"))
    assert missing.returncode != 0 and "no such file" in missing.stderr
    stats = json.loads(admin_in_process(database, "stats", "--json").stdout)
    assert stats["plans_pending"] == 0
