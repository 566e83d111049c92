"""Cases as the server assigns them: applied from a pull, removed when reassigned, counted."""

# Like every writer in fieldapp.store.repo: takes the caller's Session and does not commit.

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from fieldapp import protocol
from fieldapp.core.search import name_keys
from fieldapp.store.models import Case, OutboxEntry
from fieldapp.store.repo.outbox import CONFLICT, PENDING, REJECTED


def search_text_for(case: Case | protocol.CaseRecord) -> str:
    """Lower-cased name (with its pinyin and initials), account, phone and address for the search box."""
    parts = (case.debtor_name, *name_keys(case.debtor_name or ""), case.account_ref, case.phone, case.address,
             case.city, case.district)
    return " ".join(p for p in parts if p).lower()


def refresh_search_texts(session: Session) -> int:
    """Recompute every case's search text (after ``SEARCH_TEXT_VERSION`` changed); returns how many changed."""
    changed = 0
    for case in session.scalars(select(Case)):
        text = search_text_for(case)
        if case.search_text != text:
            case.search_text = text
            changed += 1
    return changed


_CASE_FIELDS = tuple(
    name for name in protocol.CaseRecord.model_fields if name not in ("id", "flags", "attributes", "status", "appointment_at")
)


def apply_case(session: Session, record: protocol.CaseRecord) -> Case:
    """Insert or overwrite a case from the server (the server wins on every field it sends)."""
    return apply_cases(session, [record])[0]


def apply_cases(session: Session, records: list[protocol.CaseRecord]) -> list[Case]:
    """``apply_case`` for a page of records with a fixed number of queries (10,000 cases in seconds)."""
    if not records:
        return []
    ids = [r.id for r in records]
    id_for_ref = {r.account_ref: r.id for r in records}
    # A local case holding one of these account refs under another id (the server renumbered it,
    # or a tombstone was missed) must go first, or the unique ref would fail the whole page.
    clashing = [
        case_id
        for case_id, ref in session.execute(
            select(Case.id, Case.account_ref).where(Case.account_ref.in_(list(id_for_ref)))
        )
        if id_for_ref[ref] != case_id
    ]
    if clashing:
        session.execute(delete(Case).where(Case.id.in_(clashing)))
    existing = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(ids)))}
    applied: list[Case] = []
    for record in records:
        case = existing.get(record.id)
        if case is None:
            case = Case(id=record.id, sync_generation=0)
            session.add(case)
        for name in _CASE_FIELDS:
            setattr(case, name, getattr(record, name))
        case.status = record.status.value
        case.flags = list(record.flags)
        case.attributes = dict(record.attributes)
        # The server's appointment wins when it has one; when it has none, an appointment this device
        # logged stays, since the server may not derive appointments from contact attempts and losing
        # one would block a visit the debtor agreed to (CN1).
        if record.appointment_at is not None:
            case.appointment_at = record.appointment_at
        case.search_text = search_text_for(record)
        applied.append(case)
    return applied


def remove_case(session: Session, case_id: int) -> None:
    """Delete a case (a tombstone). Its contact attempts, visits and outbox entries stay: they are work."""
    session.execute(delete(Case).where(Case.id == case_id))


def counts(session: Session) -> dict[str, int]:
    """``{"cases", "outbox_pending", "rejected"}`` for the status bar and ``fieldapp status``."""
    cases = session.scalar(select(func.count()).select_from(Case)) or 0
    rows: dict[str, int] = {
        state: n for state, n in session.execute(select(OutboxEntry.state, func.count()).group_by(OutboxEntry.state))
    }
    return {
        "cases": int(cases),
        "outbox_pending": int(rows.get(PENDING, 0)),
        "rejected": int(rows.get(REJECTED, 0) + rows.get(CONFLICT, 0)),
    }




def case_record(case: Case) -> protocol.CaseRecord:
    """A stored case as the protocol's CaseRecord (what fieldapp.documents' notice_for_case takes)."""
    return protocol.CaseRecord(
        id=case.id, revision=case.revision, account_ref=case.account_ref, debtor_name=case.debtor_name,
        id_number_masked=case.id_number_masked, phone=case.phone, address=case.address, city=case.city,
        district=case.district, timezone=case.timezone, currency=case.currency, principal=case.principal,
        fees=case.fees, total_due=case.total_due, dpd=case.dpd, overdue_since=case.overdue_since,
        last_payment_date=case.last_payment_date, last_payment_amount=case.last_payment_amount,
        risk_grade=case.risk_grade, creditor=case.creditor, product=case.product,
        jurisdiction=case.jurisdiction,  # type: ignore[arg-type]
        status=protocol.CaseStatus(case.status), flags=list(case.flags or []),
        attributes={str(k): str(v) for k, v in (case.attributes or {}).items()}, appointment_at=case.appointment_at,
    )
