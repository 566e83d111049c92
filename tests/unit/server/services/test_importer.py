"""import-cases: encodings, every rejection reason with its line number, idempotent re-import, updates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from server_fixtures import admin_in_process, sample_case, write_cases_csv
from sqlalchemy import select

from fieldapp.server import db


def _cases(db_url: str, prefix: str = "") -> dict[str, db.Case]:
    """This test's cases by account ref without the prefix."""
    engine = db.make_engine(db_url)
    try:
        with db.make_sessionmaker(engine)() as session:
            cases = session.scalars(select(db.Case).where(db.Case.account_ref.startswith(prefix)))
            return {c.account_ref.removeprefix(prefix): c for c in cases}
    finally:
        engine.dispose()


def _counter(db_url: str) -> int:
    engine = db.make_engine(db_url)
    try:
        with db.make_sessionmaker(engine)() as session:
            return db.current_sequence(session)
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def database(module_db_url: str) -> str:
    """One database per backend for this module; each test uses account refs of its own."""
    assert admin_in_process(module_db_url, "init-db").returncode == 0
    result = admin_in_process(module_db_url, "add-user", "alice", "--role", "collector", password="pw")
    assert result.returncode == 0, result.stderr
    return module_db_url


@pytest.fixture
def ref(request: pytest.FixtureRequest) -> str:
    """A prefix for this test's account refs (tests share the module's database)."""
    return f"T{abs(hash(request.node.nodeid)) % 10**8}-"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_each_encoding_is_detected(database: str, tmp_path: Path, encoding: str, ref: str) -> None:
    run_admin = admin_in_process  # same code path as the command; the subprocess is exercised below
    rows = [sample_case(ref + "E1", debtor_name="张三", address="北京市朝阳区", 备注="老客户"),
            sample_case(ref + "E2", principal="1,234.56")]
    path = write_cases_csv(tmp_path / "cases.csv", rows, encoding=encoding)
    result = run_admin(database, "import-cases", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "imported 2, updated 0, unchanged 0, rejected 0"
    cases = _cases(database)
    assert cases[ref + "E1"].debtor_name == "张三"
    assert cases[ref + "E1"].address == "北京市朝阳区"
    assert cases[ref + "E1"].attributes == {"备注": "老客户"}  # unknown columns are kept
    assert cases[ref + "E1"].principal == 1200000 and cases[ref + "E1"].fees == 35050 and cases[ref + "E1"].total_due == 1235050
    assert cases[ref + "E2"].principal == 123456
    assert cases[ref + "E1"].id_number == "110101199003074512"  # stored in full, masked on the wire
    assert cases[ref + "E1"].timezone == "Asia/Shanghai" and cases[ref + "E1"].currency == "CNY"


def test_encoding_override_and_unreadable_files(database: str, run_admin, tmp_path: Path, ref: str) -> None:
    path = write_cases_csv(tmp_path / "gbk.csv", [sample_case(ref + "G1", debtor_name="王芳")], encoding="gbk")
    result = admin_in_process(database, "import-cases", str(path), "--encoding", "gb18030")
    assert result.returncode == 0, result.stderr
    assert _cases(database)[ref + "G1"].debtor_name == "王芳"

    result = admin_in_process(database, "import-cases", str(path), "--encoding", "ascii")
    assert result.returncode != 0 and "ascii" in result.stderr

    result = run_admin(database, "import-cases", str(tmp_path / "missing.csv"))
    assert result.returncode != 0 and "no such file" in result.stderr

    (tmp_path / "noref.csv").write_text("debtor_name,principal\nx,1\n", encoding="utf-8")
    result = admin_in_process(database, "import-cases", str(tmp_path / "noref.csv"))
    assert result.returncode != 0 and "account_ref" in result.stderr

    (tmp_path / "binary.csv").write_bytes(b"account_ref\n\xff\xfe\xfa\x80\x81\n")
    result = run_admin(database, "import-cases", str(tmp_path / "binary.csv"))
    assert result.returncode != 0 and "--encoding" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_rows_are_rejected_with_their_line_and_the_rest_import(database: str, run_admin, tmp_path: Path, ref: str) -> None:
    text = (
        "account_ref,debtor_name,address,principal,fees,overdue_since,jurisdiction,assignee,timezone,flags\r\n"
        'R1,张三,"第一行\r\n第二行",100.50,0,2025-01-15,CN,,,\r\n'  # lines 2-3: a quoted line break
        ",李四,addr,100,0,2025-01-01,CN,,,\r\n"  # line 4
        "R3,x,addr,-5,0,,CN,,,\r\n"  # line 5
        "R4,x,addr,abc,0,,CN,,,\r\n"  # line 6
        "R5,x,addr,1,0,2025-02-30,CN,,,\r\n"  # line 7
        "R6,x,addr,1,0,,XX,,,\r\n"  # line 8
        "R7,x,addr,1,0,,CN,nobody,,\r\n"  # line 9
        "R8,x,addr,1,0,,US,,Mars/Olympus,\r\n"  # line 10
        "R9,x,addr,1,0,2025/03/01,US,alice,,attorney;dispute_open\r\n"  # line 11
        "R10,x,addr,1,0,,CN,,,shouting\r\n"  # line 12
    )
    path = tmp_path / "bad.csv"
    path.write_text(text.replace("\r\nR", f"\r\n{ref}R"), encoding="utf-8", newline="")
    result = run_admin(database, "import-cases", str(path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[-1] == "imported 2, updated 0, unchanged 0, rejected 8"
    reasons = {int(line.split(":")[0].removeprefix("line ")): line for line in lines[:-1]}
    assert set(reasons) == {4, 5, 6, 7, 8, 9, 10, 12}
    assert "account_ref is missing" in reasons[4]
    assert "negative" in reasons[5]
    assert "not a number" in reasons[6]
    assert "not a real date" in reasons[7]
    assert "unknown jurisdiction" in reasons[8]
    assert "unknown assignee 'nobody'" in reasons[9]
    assert "time zone" in reasons[10]
    assert "unknown flag" in reasons[12]

    cases = _cases(database, ref)
    assert set(cases) == {"R1", "R9"}
    assert cases["R1"].address == "第一行\n第二行"
    assert cases["R9"].timezone == "America/New_York" and cases["R9"].currency == "USD"
    assert str(cases["R9"].overdue_since) == "2025-03-01"
    assert cases["R9"].flags == ["attorney", "dispute_open"]
    assert cases["R9"].assignee_id is not None


def test_reimport_is_idempotent_and_a_changed_row_gets_a_new_revision(
    database: str, run_admin, tmp_path: Path, ref: str
) -> None:
    quick = admin_in_process
    stats_before = json.loads(quick(database, "stats", "--json").stdout)
    rows = [sample_case(f"{ref}I{i}", assignee="alice") for i in range(5)]
    path = write_cases_csv(tmp_path / "cases.csv", rows)
    first = quick(database, "import-cases", str(path))
    assert first.stdout.strip().splitlines()[-1] == "imported 5, updated 0, unchanged 0, rejected 0"
    before = {r: c.revision for r, c in _cases(database, ref).items()}
    counter = _counter(database)

    again = run_admin(database, "import-cases", str(path))
    assert again.returncode == 0
    assert again.stdout.strip().splitlines()[-1] == "imported 0, updated 0, unchanged 5, rejected 0"
    assert {r: c.revision for r, c in _cases(database, ref).items()} == before
    assert _counter(database) == counter  # nothing touched, not even the cursor

    rows[2]["total_due"] = "99.99"
    write_cases_csv(path, rows)
    changed = quick(database, "import-cases", str(path))
    assert changed.stdout.strip().splitlines()[-1] == "imported 0, updated 1, unchanged 4, rejected 0"
    after = _cases(database, ref)
    assert after["I2"].total_due == 9999
    assert after["I2"].revision > max(before.values())
    assert {r: c.revision for r, c in after.items() if r != "I2"} == {k: v for k, v in before.items() if k != "I2"}

    stats = run_admin(database, "stats", "--json")
    assert stats.returncode == 0, stats.stderr
    expected = stats_before | {"cases": stats_before["cases"] + 5, "assigned": stats_before["assigned"] + 5}
    assert json.loads(stats.stdout) == expected
