"""The authorization matrix: every route, called as every kind of caller, answers what that caller may get.

Callers: nobody, a made-up token, a revoked laptop, a collector, the lead of the collector's team,
the lead of another team and an admin. Data: a pending plan on the collector's case, decided by each.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
from server_fixtures import LiveServer, enroll_device, plan_record, sample_case, write_cases_csv

from fieldapp import protocol

pytestmark = pytest.mark.e2e
CALLERS = ("anonymous", "forged", "revoked", "collector", "lead", "other_lead", "admin")
UNKNOWN_SHA = hashlib.sha256(b"nothing here").hexdigest()

#: (method, path, body) → expected status per caller, in CALLERS' order.
MATRIX: list[tuple[str, str, Any, tuple[int, ...]]] = [
    ("GET", "/hello", None, (200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/pull", None, (401, 401, 403, 200, 200, 200, 200)),
    ("POST", "/push", {"records": []}, (401, 401, 403, 200, 200, 200, 200)),
    ("GET", "/forms", None, (401, 401, 403, 200, 200, 200, 200)),
    ("GET", f"/forms/{UNKNOWN_SHA}", None, (401, 401, 403, 404, 404, 404, 404)),
    ("GET", "/team/plans", None, (401, 401, 403, 403, 200, 200, 200)),
    ("GET", "/team/audit-chains", None, (401, 401, 403, 403, 200, 200, 200)),
    ("POST", "/attachments/held", {"sha256": [UNKNOWN_SHA]}, (401, 401, 403, 200, 200, 200, 200)),
    ("GET", f"/attachments/{UNKNOWN_SHA}", None, (401, 401, 403, 404, 404, 404, 404)),
    ("PUT", f"/attachments/{UNKNOWN_SHA}?offset=0", b"bytes", (401, 401, 403, 404, 404, 404, 404)),
    ("POST", "/attachments/batch", {"items": []}, (401, 401, 403, 200, 200, 200, 200)),
    ("POST", "/team/plans/00000000-0000-4000-8000-000000000000/decision", {"decision": "approve", "comment": ""},
     (401, 401, 403, 403, 404, 404, 404)),
]


@pytest.fixture(scope="module")
def world(module_server: LiveServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tag = uuid.uuid4().hex[:6]
    collector = enroll_device(module_server, f"col-{tag}", team=f"east-{tag}")
    people = {
        "collector": collector,
        "lead": enroll_device(module_server, f"lead-{tag}", role="lead", team=f"east-{tag}"),
        "other_lead": enroll_device(module_server, f"west-{tag}", role="lead", team=f"west-{tag}"),
        "admin": enroll_device(module_server, f"admin-{tag}", role="admin"),
        "revoked": enroll_device(module_server, f"gone-{tag}"),
    }
    assert module_server.admin("revoke-device", people["revoked"].device_id, in_process=True).returncode == 0
    headers = {who: {"Authorization": f"Bearer {d.token}"} for who, d in people.items()}
    headers["anonymous"] = {}
    headers["forged"] = {"Authorization": "Bearer " + "x" * 43}
    ref = f"MAT-{tag}"
    csv = write_cases_csv(Path(tmp_path_factory.mktemp("matrix")) / "c.csv",
                          [sample_case(ref, assignee=collector.username)])
    assert module_server.admin("import-cases", str(csv), in_process=True).returncode == 0
    return {"server": module_server, "headers": headers, "collector": collector, "ref": ref}


@pytest.mark.parametrize("method, path, body, expected", MATRIX, ids=[f"{m} {p}" for m, p, _b, _e in MATRIX])
def test_every_route_as_every_caller(world: dict[str, Any], method: str, path: str, body: Any,
                                     expected: tuple[int, ...]) -> None:
    got = []
    for who in CALLERS:
        payload = {"data": body} if isinstance(body, bytes) else {"json": body}
        answer = requests.request(method, world["server"].api_url + path, headers=world["headers"][who], timeout=30,
                                  **payload)
        got.append(answer.status_code)
        if answer.status_code >= 400:
            assert protocol.ErrorBody.model_validate(answer.json()).error.message  # a sentence, never a stack
    assert dict(zip(CALLERS, got, strict=True)) == dict(zip(CALLERS, expected, strict=True))


def test_a_plan_is_decided_only_by_the_lead_of_its_case_or_an_admin(world: dict[str, Any]) -> None:
    collector = world["collector"]
    cases = collector.get("/pull").json()["cases"]
    case_id = next(c["id"] for c in cases if c["account_ref"] == world["ref"])
    statuses = {}
    for who in CALLERS:
        record, sealed = plan_record(case_id, world["ref"], "12350.50", count=24, claimed="pending_approval")
        assert collector.post("/push", json={"records": [record]}).json()["results"][0]["status"] == "accepted"
        answer = requests.post(f"{world['server'].api_url}/team/plans/{sealed.id}/decision",
                               json={"decision": "reject", "comment": "no"}, headers=world["headers"][who], timeout=30)
        statuses[who] = answer.status_code
    assert statuses == {"anonymous": 401, "forged": 401, "revoked": 403, "collector": 403, "lead": 200,
                        "other_lead": 404, "admin": 200}
