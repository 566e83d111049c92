"""A bounded schemathesis run against a real server (``make test``; the long run is ``make fuzz``):
no server error, and every answer is one the OpenAPI document lists, with and without a device token."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from server_fixtures import LiveServer, enroll_device, sample_case, write_cases_csv

pytestmark = pytest.mark.e2e

#: Examples per operation and caller: small here, FIELDAPP_FUZZ_EXAMPLES for the long run.
EXAMPLES = int(os.environ.get("FIELDAPP_FUZZ_EXAMPLES", "12"))


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory, module_db_url: str) -> Any:
    server = LiveServer(module_db_url).start()
    tmp = tmp_path_factory.mktemp("fuzz")
    device = enroll_device(server)
    lead = enroll_device(server, role="lead", team="fuzz")
    ref = f"FUZZ-{uuid.uuid4().hex[:6]}"
    csv = write_cases_csv(Path(tmp) / "c.csv", [sample_case(ref, assignee=device.username)])
    assert server.admin("import-cases", str(csv), in_process=True).returncode == 0
    yield server, {"anonymous": {}, "collector": {"Authorization": f"Bearer {device.token}"},
                   "lead": {"Authorization": f"Bearer {lead.token}"}}
    server.stop()


def test_generated_requests_never_get_a_server_error_or_an_undocumented_status(fuzzed: Any) -> None:
    import schemathesis
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import status_code_conformance

    server, callers = fuzzed
    schema = schemathesis.openapi.from_url(server.url + "/openapi.json")
    failures: list[str] = []
    calls = 0
    def fuzz(operation: Any, who: str, headers: dict[str, str]) -> None:
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def run(case: Any) -> None:
            nonlocal calls
            calls += 1
            response = case.call(base_url=server.url, headers=headers)
            try:
                case.validate_response(response, checks=[not_a_server_error, status_code_conformance])
            except Exception as exc:  # noqa: BLE001 - collected and reported together
                failures.append(f"{who} {operation.label}: {response.status_code} {str(exc)[:300]}")

        run()

    for result in schema.get_all_operations():
        for who, headers in callers.items():
            fuzz(result.ok(), who, headers)
    assert calls >= 100
    assert not failures, "\n".join(failures[:10])
    assert "Traceback" not in server.output()
