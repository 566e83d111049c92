"""Audit chain, received form versions and the trusted clock in the device store (issue 4)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select, update

from fieldapp import protocol
from fieldapp.core.canonical import content_hash
from fieldapp.core.forms import FormError, bundled_forms, load_yaml
from fieldapp.store import repo
from fieldapp.store.db import DeviceStore
from fieldapp.store.models import AuditEventRow, Meta, OutboxEntry

T0 = dt.datetime(2026, 11, 20, 2, 30, tzinfo=dt.UTC)


def _enrolled_meta(store: DeviceStore) -> None:
    with store.session() as s:
        store.set_meta(s, repo.META_DEVICE_ID, "0d3c1c8e-0000-4000-8000-000000000001")
        store.set_meta(s, repo.META_USERNAME, "zhang")
        s.commit()


def test_audit_events_chain_up_and_travel_with_their_change(device_store: DeviceStore) -> None:
    _enrolled_meta(device_store)
    with device_store.session() as s:
        first = repo.append_audit(s, "visit-start", {"step": "identity"}, at=T0, case_id=7)
        second = repo.append_audit(s, "answer", {"amount_minor": 1200}, at=T0 + dt.timedelta(seconds=5), case_id=7)
        s.commit()
    assert second.prev_hash == first.hash and first.who == "zhang"
    with device_store.session() as s:
        assert repo.verify_audit_chain(s) is None
        assert [e.action for e in repo.audit_events(s, case_id=7)] == ["visit-start", "answer"]
        outbox = s.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)).all()
        assert [(o.kind, o.payload["hash"]) for o in outbox] == [("audit_event", first.hash), ("audit_event", second.hash)]
        protocol.AuditEventPayload.model_validate(outbox[0].payload)

    # a change rolled back takes its audit event with it
    with device_store.session() as s:
        repo.append_audit(s, "print", {}, at=T0)
        s.rollback()
    with device_store.session() as s:
        assert len(repo.audit_events(s)) == 2
        # an edited event is caught
        s.execute(update(AuditEventRow).where(AuditEventRow.hash == first.hash).values(action="nothing"))
        assert repo.verify_audit_chain(s) == 0


def test_two_writers_cannot_fork_the_chain(device_store: DeviceStore, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy.exc import IntegrityError

    from fieldapp.core.audit import GENESIS

    _enrolled_meta(device_store)
    with device_store.session() as s:
        repo.append_audit(s, "one", {}, at=T0)
        s.commit()
    # a second writer that read the head before the first committed
    monkeypatch.setattr(repo.audit, "_audit_head", lambda session: GENESIS)
    with device_store.session() as s, pytest.raises(IntegrityError):
        repo.append_audit(s, "two", {}, at=T0)
        s.flush()


def _form(kind: str, form_id: str, data: dict, text: str | None = None) -> protocol.FormContent:
    import yaml

    text = text if text is not None else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return protocol.FormContent(kind=kind, form_id=form_id, version=str(data["version"]), content_hash=content_hash(load_yaml(text)),
                                published_at=T0, content=text)


def test_newest_form_version_wins_and_old_ones_stay_reachable(device_store: DeviceStore) -> None:
    bundled_text = (bundled_forms() / "scripts" / "cn-third-party.yaml").read_text(encoding="utf-8")
    bundled = load_yaml(bundled_text)
    newer_text = bundled_text.replace('version: "1.0.0"', 'version: "1.1.0"')
    newer = _form("script", "cn-third-party", load_yaml(newer_text), newer_text)
    with device_store.session() as s:
        assert repo.visit_script(s, "cn-third-party").version == bundled["version"]  # only the bundled one yet
        assert repo.save_form_version(s, newer) is True
        assert repo.save_form_version(s, newer) is False  # kept once
        s.commit()
    with device_store.session() as s:
        current = repo.visit_script(s, "cn-third-party")
        assert current.version == "1.1.0" and current.content_hash == newer.content_hash
        old = repo.visit_script(s, "cn-third-party", content_hash=content_hash(bundled))  # a visit started on it
        assert old.version == bundled["version"]
        assert repo.visit_script(s, "cn-third-party", version="1.1.0").content_hash == newer.content_hash
        with pytest.raises(FormError, match="sync"):
            repo.visit_script(s, "cn-third-party", content_hash="0" * 64)
        assert repo.rule_pack(s, "cn").jurisdiction == "CN"
        assert repo.notice_template(s, "cn-overdue-notice").id == "cn-overdue-notice"
        assert [f.version for f in repo.form_versions(s, "script")] == ["1.1.0"]

    forged = newer.model_copy(update={"content_hash": "f" * 64})
    with device_store.session() as s, pytest.raises(FormError, match="content hash"):
        repo.save_form_version(s, forged)


def test_trusted_clock_from_the_last_sync(device_store: DeviceStore) -> None:
    from fieldapp.core.clock import SOURCE_DEVICE, SOURCE_SERVER

    with device_store.session() as s:
        assert repo.trusted_clock(s).source == SOURCE_DEVICE
        server = dt.datetime(2026, 11, 20, 14, 5, tzinfo=dt.UTC)
        state = {"server_at_sync": server.isoformat(), "monotonic_at_sync": 100.0, "skew_at_sync": -7200.0}
        device_store.set_meta(s, repo.META_TRUSTED_CLOCK, json.dumps(state))
        s.commit()
    with device_store.session() as s:
        clock = repo.trusted_clock(s, monotonic=lambda: 160.0, device_now=lambda: server - dt.timedelta(hours=2))
        assert clock.source == SOURCE_SERVER
        assert clock.now() == server + dt.timedelta(seconds=60)
        assert clock.is_device_clock_off()
        s.execute(update(Meta).where(Meta.key == repo.META_TRUSTED_CLOCK).values(value="not json"))
        assert repo.trusted_clock(s).source == SOURCE_DEVICE


def test_plans_promises_and_updates_from_the_server(device_store: DeviceStore) -> None:
    from decimal import Decimal

    from fieldapp.core import plans as core_plans

    _enrolled_meta(device_store)
    plan = core_plans.draft_plan("ACC-000001", Decimal("900.00"), currency="CNY", agreed_on=dt.date(2026, 11, 20),
                                 first_due=dt.date(2026, 12, 20), count=3)
    sealed = core_plans.seal_plan(plan, b"d", b"c").with_status(core_plans.PENDING_APPROVAL)
    promise = core_plans.PromiseToPay(dt.date(2026, 11, 27), Decimal("50.00"), "CNY", dt.date(2026, 11, 20), "ACC-000001")
    with device_store.session() as s:
        repo.record_plan(s, sealed, case_id=1, at=T0)
        repo.record_promise(s, promise, case_id=1, at=T0)
        s.commit()
    forged = core_plans.SealedPlan(sealed.plan, sealed.debtor_signature, sealed.collector_signature, "0" * 64)
    with device_store.session() as s, pytest.raises(ValueError, match="seal"):
        repo.record_plan(s, forged, case_id=1)
    update = protocol.PlanUpdate(plan_id=sealed.id, case_id=1, status="broken", decided_by="li",
                                 instalments=[protocol.InstalmentState(number=1, due_on=dt.date(2026, 12, 20),
                                                                       amount_minor=30000, paid_minor=0, status="overdue")])
    with device_store.session() as s:
        assert repo.apply_plan_updates(s, [update, update.model_copy(update={"plan_id": "elsewhere"})]) == 1
        assert repo.apply_promise_updates(s, [protocol.PromiseUpdate(promise_id=promise.id, case_id=1, status="broken")]) == 1
        s.commit()
    with device_store.session() as s:
        assert repo.latest_plan_statuses(s) == {1: "broken"}
        assert [i.status for i in repo.plan_instalments(s, sealed.id)] == ["overdue", "upcoming", "upcoming"]
        assert repo.promises_for_case(s, 1)[0].status == "broken"
        assert [e.action for e in repo.audit_events(s, case_id=1)] == ["plan-signed", "promise-recorded"]
