"""Audit chains verified by the server, published forms reaching devices, the stored clock (issue 4)."""

from __future__ import annotations

import json
import shutil
from importlib.resources import as_file
from pathlib import Path
from typing import Any

import pytest
from client_fixtures import EnrolledStore
from sqlalchemy import select

from fieldapp.core.clock import SOURCE_SERVER, device_now
from fieldapp.core.forms import bundled_forms
from fieldapp.store import repo
from fieldapp.store.models import OutboxEntry
from fieldapp.sync.client import ServerError

pytestmark = pytest.mark.e2e


def _stats(device: EnrolledStore) -> dict[str, int]:
    return json.loads(device.admin("stats", "--json").stdout)


def test_audit_chain_is_verified_on_receipt_and_a_break_is_flagged(enroll_store: Any) -> None:
    collector = enroll_store("wang", cases=1, team="north")
    lead = enroll_store("li", cases=0, role="lead", team="north")
    other = enroll_store("zhou", cases=0, team="south")
    store = collector.store
    with store.session() as s:
        for n in range(3):
            repo.append_audit(s, "answer", {"step": f"s{n}"}, case_id=1)
        s.commit()
    assert collector.client().sync().accepted == 3

    chains = lead.client().team_audit_chains()
    assert [(c.username, c.length, c.broken) for c in chains] == [("wang", 3, False)]
    with pytest.raises(ServerError, match="team lead"):
        other.client().team_audit_chains()
    assert _stats(collector)["audit_breaks"] == 0

    # the device's copy is edited before it is sent: the server keeps it and flags the chain
    with store.session() as s:
        repo.append_audit(s, "print", {"copies": 1}, case_id=1)
        entry = s.scalars(select(OutboxEntry).where(OutboxEntry.kind == "audit_event")).one()
        entry.payload = {**entry.payload, "detail": {"copies": 2}}
        s.commit()
    report = collector.client().sync()
    assert report.accepted == 1 and report.rejected == 0
    chains = lead.client().team_audit_chains()
    assert chains[0].broken and chains[0].length == 4 and "hash" in chains[0].broken_reason
    assert _stats(collector)["audit_breaks"] == 1
    listing = json.loads(collector.admin("audit-chains", "--json").stdout)
    assert listing[0]["broken"] is True and listing[0]["username"] == "wang"


def test_published_forms_reach_the_device_and_a_bad_folder_is_refused(enroll_store: Any, tmp_path: Path) -> None:
    device = enroll_store("sun", cases=0)
    forms = tmp_path / "forms"
    with as_file(bundled_forms()) as bundled:
        shutil.copytree(bundled, forms, ignore=shutil.ignore_patterns("__*"))
    script = forms / "scripts" / "cn-third-party.yaml"
    script.write_text(script.read_text(encoding="utf-8").replace('version: "1.0.0"', 'version: "1.1.0"'), encoding="utf-8")

    broken = tmp_path / "broken"
    shutil.copytree(forms, broken)
    (broken / "scripts" / "cn-home-visit.yaml").write_text("kind: script\nid: x\n", encoding="utf-8")
    refused = device.server.admin("publish-forms", str(broken))
    assert refused.returncode != 0 and "nothing was published" in refused.stderr
    assert _stats(device)["forms"] == 0

    published = device.admin("publish-forms", str(forms))
    assert "published script cn-third-party 1.1.0" in published.stdout
    assert published.stdout.strip().endswith(f"published {_stats(device)['forms']}, unchanged 0")
    assert device.admin("publish-forms", str(forms)).stdout.strip().endswith("unchanged " + str(_stats(device)["forms"]))

    # the same version with other content is refused
    script.write_text(script.read_text(encoding="utf-8").replace("tp_intro", "tp_hello"), encoding="utf-8")
    again = device.server.admin("publish-forms", str(forms))
    assert again.returncode != 0 and "new version" in again.stderr

    report = device.client().sync()
    assert report.forms_received == _stats(device)["forms"] and report.form_errors == []
    with device.store.session() as s:
        assert repo.visit_script(s, "cn-third-party").version == "1.1.0"
        assert len(repo.form_versions(s)) == report.forms_received
        # the server's clock is kept for the trusted clock
        assert repo.trusted_clock(s).source == SOURCE_SERVER
        assert abs((repo.trusted_clock(s).now() - device_now()).total_seconds()) < 5
    assert device.client().sync().forms_received == 0
