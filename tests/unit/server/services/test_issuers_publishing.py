"""Issuer profiles on the server: published with ``fieldapp admin set-issuer``, audited, pulled by laptops."""

from __future__ import annotations

from pathlib import Path

from client_fixtures import ISSUER_PROFILE_YAML
from server_fixtures import LiveServer, enroll_device


def test_a_published_profile_reaches_every_laptop_once_and_again_when_it_changes(
        live_server: LiveServer, tmp_path: Path) -> None:
    device = enroll_device(live_server)
    profile = tmp_path / "p.yaml"
    profile.write_text(ISSUER_PROFILE_YAML.format(creditor="华信消费金融有限公司"), encoding="utf-8")
    published = live_server.admin("set-issuer", str(profile))
    assert published.returncode == 0 and "published" in published.stdout, published.stderr
    assert "unchanged" in live_server.admin("set-issuer", str(profile)).stdout
    listing = live_server.admin("list-issuers").stdout
    assert "华信消费金融有限公司" in listing

    first = device.get("/pull").json()
    (record,) = first["issuers"]
    assert record["creditor"] == "华信消费金融有限公司" and record["config"]["agency_phone"] == "021-6888-1200"
    again = device.get("/pull", params={"cursor": first["next_cursor"]}).json()
    assert again["issuers"] == []  # only changes travel
    profile.write_text(profile.read_text(encoding="utf-8").replace("021-6888-1200", "021-6888-9999"), encoding="utf-8")
    assert live_server.admin("set-issuer", str(profile)).returncode == 0
    changed = device.get("/pull", params={"cursor": first["next_cursor"]}).json()["issuers"]
    assert [r["config"]["agency_phone"] for r in changed] == ["021-6888-9999"]


def test_a_bad_profile_file_is_refused_with_what_is_wrong(live_server: LiveServer, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("creditor: 某公司\ncreditor_name: 某公司\nagency_name: x\n", encoding="utf-8")
    result = live_server.admin("set-issuer", str(bad))
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "incomplete" in result.stderr
    assert "no issuer profiles" in live_server.admin("list-issuers").stdout
