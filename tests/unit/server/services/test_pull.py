"""The commit-ordered cursor under concurrent case writers: no lost tombstones, values in commit order."""

from __future__ import annotations

import threading

from sqlalchemy import select

from fieldapp import protocol
from fieldapp.server import db
from fieldapp.server.services.cases import assign_case
from fieldapp.server.services.pull import decode_cursor, encode_cursor, pull_page


def _setup(engine, users: int) -> tuple[int, list[int]]:
    db.upgrade_to_head(engine)
    with db.session_scope(db.make_sessionmaker(engine)) as session:
        people = [
            db.User(username=f"u{i}", display_name=f"u{i}", role="collector", password_hash="x", active=True,
                    created_at=db.utcnow())
            for i in range(users)
        ]
        session.add_all(people)
        now = db.utcnow()
        case = db.Case(account_ref="RACE", timezone="Asia/Shanghai", currency="CNY", jurisdiction="CN",
                       revision=db.next_sequence(session), content_hash="h", created_at=now, updated_at=now,
                       attributes={}, flags=[], status="open", debtor_name="", id_number="", phone="", address="",
                       city="", district="", risk_grade="", creditor="", product="", principal=0, fees=0, total_due=0, dpd=0)
        session.add(case)
        session.flush()
        return case.id, [p.id for p in people]


def test_concurrent_reassignments_leave_a_tombstone_for_every_previous_holder(db_url: str) -> None:
    engine = db.make_engine(db_url, pool_size=10)
    try:
        case_id, user_ids = _setup(engine, 6)
        factory = db.make_sessionmaker(engine)
        barrier = threading.Barrier(len(user_ids))
        errors: list[BaseException] = []

        def grab(user_id: int) -> None:
            try:
                barrier.wait()
                with db.session_scope(factory) as session:
                    db.lock_sequence(session)
                    case = session.get(db.Case, case_id)
                    assert case is not None
                    assign_case(session, case, session.get(db.User, user_id))  # type: ignore[arg-type]
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=grab, args=(uid,)) for uid in user_ids]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert errors == []

        with factory() as session:
            case = session.get(db.Case, case_id)
            assert case is not None and case.assignee_id in user_ids
            stones = session.scalars(select(db.Tombstone).order_by(db.Tombstone.seq)).all()
            # everyone but the final holder held the case once and lost it once
            assert sorted(s.user_id for s in stones) == sorted(u for u in user_ids if u != case.assignee_id)
            seqs = [s.seq for s in stones] + [case.revision]
            assert len(set(seqs)) == len(seqs) and max(seqs) == db.current_sequence(session)

            # replaying every user's pull from the start: only the final holder keeps the case
            epoch = db.server_meta(session).epoch
            for uid in user_ids:
                page = pull_page(session, uid, decode_cursor("", epoch), protocol.MAX_PULL_PAGE)
                held = [c.id for c in page.cases]
                assert held == ([case_id] if uid == case.assignee_id else [])
                assert decode_cursor(encode_cursor(epoch, page.next_seq), epoch) == page.next_seq
    finally:
        engine.dispose()
