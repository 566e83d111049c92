"""Issuer profiles: read from the admin's file, bounded, hashed, and the same after the wire."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldapp.core.issuers import MAX_IMAGE_BYTES, IssuerProfile, read_profile_file
from fieldapp.core.verification import NoticeError

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
BASE = {"creditor_name": "华信消费金融有限公司", "creditor_address": "上海市浦东新区世纪大道100号",
        "creditor_phone": "400-820-1234", "agency_name": "明达信息咨询服务有限公司"}


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "huaxin.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_admins_file_with_its_logo_becomes_a_profile(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(PNG)
    profile = read_profile_file(_file(tmp_path, "creditor: 华信消费金融有限公司\nverify_url: https://verify.huaxin.example.cn\n"
                                                "logo: logo.png\ncreditor_name: {zh-CN: 华信消费金融有限公司, en: Huaxin CF}\n"
                                                "creditor_address: 上海市\ncreditor_phone: 400-820-1234\n"
                                                "agency_name: 明达信息咨询服务有限公司\n"))
    assert profile.creditor == "华信消费金融有限公司" and profile.logo == PNG and not profile.demo
    config = profile.issuer_config(tmp_path / "images")
    assert config.creditor_name == {"zh-CN": "华信消费金融有限公司", "en": "Huaxin CF"}
    assert config.logo_path and Path(config.logo_path).read_bytes() == PNG  # written for the renderers


def test_the_wire_form_round_trips_and_a_changed_one_is_refused() -> None:
    profile = IssuerProfile("华信消费金融有限公司", BASE, verify_url="https://verify.example.cn", logo=PNG)
    wire = profile.to_wire()
    assert IssuerProfile.from_wire(wire) == profile and wire["content_hash"] == profile.content_hash
    tampered = {**wire, "config": {**wire["config"], "agency_name": "另一家公司"}}
    with pytest.raises(NoticeError, match="does not match its hash"):
        IssuerProfile.from_wire(tampered)


@pytest.mark.parametrize("change, problem", [
    ({"config": {**BASE, "agency_name": "长" * 501}}, "longer than 500"),
    ({"config": {**BASE, "logo_path": "/etc/passwd"}}, "logo_path is not part of a profile"),
    ({"config": {k: v for k, v in BASE.items() if k != "creditor_phone"}}, "incomplete"),
    ({"config": {**BASE, "favourite_colour": "red"}}, "unknown issuer setting"),
    ({"verify_url": "https://verify.example.cn/?x=1"}, "must be http"),
    ({"logo": b"GIF89a" + b"\x00" * 10}, "PNG or JPEG"),
    ({"seal": PNG + b"\x00" * MAX_IMAGE_BYTES}, "at most 256 KB"),
    ({"creditor": ""}, "creditor must name the creditor"),
])
def test_a_bad_profile_says_what_is_wrong(change: dict[str, object], problem: str) -> None:
    fields: dict[str, object] = {"creditor": "华信", "config": BASE, **change}
    with pytest.raises(NoticeError, match=problem):
        IssuerProfile(**fields)  # type: ignore[arg-type]


def test_a_missing_or_unreadable_file_is_a_plain_error(tmp_path: Path) -> None:
    with pytest.raises(NoticeError, match="there is no issuer profile file"):
        read_profile_file(tmp_path / "nope.yaml")
    with pytest.raises(NoticeError, match="creditor: line"):
        read_profile_file(_file(tmp_path, "- just a list\n"))
    with pytest.raises(NoticeError, match="logo image .* cannot be read"):
        read_profile_file(_file(tmp_path, "creditor: x\nlogo: missing.png\n"))
