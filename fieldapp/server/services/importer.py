"""Import overdue cases from the lending system's CSV export (UTF-8 or GBK/GB18030, any column order)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldapp import protocol
from fieldapp.core.canonical import content_hash
from fieldapp.core.money import CURRENCY_EXPONENT, MoneyError, parse_amount, to_minor
from fieldapp.server.db import Case, User, audit, lock_sequence, next_sequence, utcnow
from fieldapp.server.services.cases import CaseError, assign_case

KNOWN_COLUMNS = (
    "account_ref", "debtor_name", "id_number", "phone", "address", "city", "district", "timezone", "currency",
    "principal", "fees", "total_due", "dpd", "overdue_since", "last_payment_date", "last_payment_amount",
    "risk_grade", "creditor", "product", "jurisdiction", "assignee", "flags",
)
TEXT_COLUMNS = ("debtor_name", "id_number", "phone", "address", "city", "district", "risk_grade", "creditor", "product")

DEFAULT_TIMEZONE = {"CN": "Asia/Shanghai", "US": "America/New_York", "IN": "Asia/Kolkata", "UK": "Europe/London"}
DEFAULT_CURRENCY = {"CN": "CNY", "US": "USD", "IN": "INR", "UK": "GBP"}
DEFAULT_JURISDICTION = "CN"

_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is for a person."""


class RowError(Exception):
    """One row cannot be imported; the message completes ``line N: …``."""


@dataclass
class ImportResult:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejections: list[tuple[int, str]] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len(self.rejections)

    def summary(self) -> str:
        return f"imported {self.imported}, updated {self.updated}, unchanged {self.unchanged}, rejected {self.rejected}"


def decode(data: bytes, encoding: str | None = None) -> str:
    """Bytes → text: the given encoding, else UTF-8 (BOM or not), else GB18030 (a superset of GBK)."""
    if encoding:
        try:
            return data.decode(encoding).removeprefix("\ufeff")
        except LookupError:
            raise ImportFileError(f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError:
            raise ImportFileError(f"the file is not valid {encoding}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ImportFileError("the file is neither UTF-8 nor GBK/GB18030; name its encoding with --encoding") from None


def _column_name(header: str) -> str:
    return re.sub(r"\s+", "_", header.strip().lower())


def _amount(row: dict[str, str], column: str, currency: str, *, default: int | None = 0) -> int | None:
    value = row.get(column, "").strip()
    if not value:
        return default
    try:
        return to_minor(parse_amount(value, currency), currency)
    except MoneyError as exc:
        raise RowError(f"{column}: {exc}") from None


def parse_date(row: dict[str, str], column: str) -> dt.date | None:
    """The date in ``row[column]`` (YYYY-MM-DD or YYYY/MM/DD), None when empty; RowError names a bad one."""
    value = row.get(column, "").strip()
    if not value:
        return None
    match = _DATE.match(value)
    if not match:
        raise RowError(f"{column} {value!r} is not a date like 2025-03-31")
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise RowError(f"{column} {value!r} is not a real date") from None


def normalise_row(row: dict[str, str]) -> dict[str, Any]:
    """One CSV row (column → text) → the case's stored fields, JSON-safe; raises RowError."""
    ref = row.get("account_ref", "").strip()
    if not ref:
        raise RowError("account_ref is missing")
    if len(ref) > 64:
        raise RowError("account_ref is longer than 64 characters")

    jurisdiction = row.get("jurisdiction", "").strip().upper() or DEFAULT_JURISDICTION
    if jurisdiction not in protocol.JURISDICTIONS:
        raise RowError(
            f"unknown jurisdiction {row.get('jurisdiction', '').strip()!r} (expected one of {', '.join(protocol.JURISDICTIONS)})"
        )
    currency = row.get("currency", "").strip().upper() or DEFAULT_CURRENCY[jurisdiction]
    if currency not in CURRENCY_EXPONENT:
        raise RowError(f"unknown currency {currency!r}")
    zone = row.get("timezone", "").strip() or DEFAULT_TIMEZONE[jurisdiction]
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise RowError(f"timezone {zone!r} is not a known time zone (use a name like Asia/Shanghai)") from None

    principal = _amount(row, "principal", currency)
    fees = _amount(row, "fees", currency)
    total_due = _amount(row, "total_due", currency, default=None)
    if total_due is None:
        total_due = (principal or 0) + (fees or 0)
    last_payment_amount = _amount(row, "last_payment_amount", currency, default=None)

    dpd_text = row.get("dpd", "").strip()
    if dpd_text and not dpd_text.isdigit():
        raise RowError(f"dpd {dpd_text!r} is not a whole number of days")
    dpd = int(dpd_text) if dpd_text else 0

    overdue_since = parse_date(row, "overdue_since")
    last_payment_date = parse_date(row, "last_payment_date")

    flags: list[str] = []
    for flag in re.split(r"[;；]", row.get("flags", "")):
        flag = flag.strip().lower()
        if not flag:
            continue
        if flag not in protocol.FLAGS:
            raise RowError(f"unknown flag {flag!r} (expected some of {', '.join(protocol.FLAGS)})")
        if flag not in flags:
            flags.append(flag)

    fields: dict[str, Any] = {name: row.get(name, "").strip() for name in TEXT_COLUMNS}
    fields.update(
        account_ref=ref,
        jurisdiction=jurisdiction,
        currency=currency,
        timezone=zone,
        principal=principal,
        fees=fees,
        total_due=total_due,
        last_payment_amount=last_payment_amount,
        dpd=dpd,
        overdue_since=overdue_since.isoformat() if overdue_since else None,
        last_payment_date=last_payment_date.isoformat() if last_payment_date else None,
        flags=sorted(flags),
        attributes={k: v.strip() for k, v in sorted(row.items()) if k not in KNOWN_COLUMNS and v.strip()},
    )
    return fields


def _apply(case: Case, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        if name in ("overdue_since", "last_payment_date"):
            value = dt.date.fromisoformat(value) if value else None
        setattr(case, name, value)


def read_rows(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """CSV text → (column names, [(physical line number, row)]). The header is line 1."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError("the file is empty") from None
    columns = [_column_name(h) for h in header]
    if "account_ref" not in columns:
        raise ImportFileError("the file has no account_ref column in its first line")
    rows: list[tuple[int, dict[str, str]]] = []
    line = reader.line_num + 1
    try:
        for values in reader:
            start, line = line, reader.line_num + 1
            if not any(v.strip() for v in values):
                continue
            # Excel writes CRLF inside quoted cells too; keep one kind of line break.
            values = [v.replace("\r\n", "\n") for v in values]
            row = {c: v for c, v in zip(columns, values, strict=False) if c}
            if len(values) > len(columns):
                row["__extra__"] = ",".join(values[len(columns):])
            rows.append((start, row))
    except csv.Error as exc:
        raise ImportFileError(f"line {reader.line_num}: the CSV is malformed ({exc})") from None
    return columns, rows


def import_cases(
    session: Session, text: str, *, actor: str = "admin", on_reject: Callable[[int, str], None] | None = None
) -> ImportResult:
    """Import CSV ``text`` in the caller's transaction. Unchanged rows touch nothing, not even revision."""
    _columns, rows = read_rows(text)
    result = ImportResult()
    lock_sequence(session)

    def reject(line: int, reason: str) -> None:
        result.rejections.append((line, reason))
        if on_reject:
            on_reject(line, reason)

    users = {u.username: u for u in session.scalars(select(User))}
    seen: dict[str, int] = {}
    parsed: list[tuple[int, dict[str, Any], User | None]] = []
    for line, row in rows:
        try:
            if "__extra__" in row:
                raise RowError("the row has more values than the header has columns")
            fields = normalise_row(row)
            assignee_name = row.get("assignee", "").strip()
            assignee = None
            if assignee_name:
                assignee = users.get(assignee_name)
                if assignee is None:
                    raise RowError(f"unknown assignee {assignee_name!r}")
                if not assignee.active:
                    raise RowError(f"assignee {assignee_name!r} is not active")
            ref = fields["account_ref"]
            if ref in seen:
                raise RowError(f"account_ref {ref} appears again (first on line {seen[ref]})")
            seen[ref] = line
        except RowError as exc:
            reject(line, str(exc))
            continue
        parsed.append((line, fields, assignee))

    existing: dict[str, Case] = {}
    refs = [fields["account_ref"] for _line, fields, _a in parsed]
    for start in range(0, len(refs), 500):
        for case in session.scalars(select(Case).where(Case.account_ref.in_(refs[start : start + 500]))):
            existing[case.account_ref] = case

    now = utcnow()
    new_cases: list[tuple[Case, User | None]] = []
    for line, fields, assignee in parsed:
        digest = content_hash(fields)
        case = existing.get(fields["account_ref"])
        if case is None:
            case = Case(status=protocol.CaseStatus.open.value, content_hash=digest, created_at=now, updated_at=now)
            _apply(case, fields)
            new_cases.append((case, assignee))
            continue
        changed = case.content_hash != digest
        if changed:
            # Counter first, then the case row: every writer locks in this order (no deadlocks).
            case.revision = next_sequence(session)
            _apply(case, fields)
            case.content_hash = digest
            case.updated_at = now
        reassigned = False
        if assignee is not None and case.assignee_id != assignee.id:
            try:
                reassigned = assign_case(session, case, assignee)
            except CaseError as exc:
                reject(line, str(exc))
                continue
        if changed or reassigned:
            result.updated += 1
        else:
            result.unchanged += 1

    if new_cases:
        # One counter update for the whole block keeps large first imports fast.
        last = next_sequence(session, len(new_cases))
        for offset, (case, assignee) in enumerate(new_cases):
            case.revision = last - len(new_cases) + 1 + offset
            case.assignee_id = assignee.id if assignee else None
            session.add(case)
        result.imported = len(new_cases)
    session.flush()
    audit(session, actor, "import-cases", "cases", imported=result.imported, updated=result.updated,
          unchanged=result.unchanged, rejected=result.rejected)
    return result


def read_file(path: Path, encoding: str | None = None) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file") from None
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot read ({exc.strerror})") from None
    return decode(data, encoding)
