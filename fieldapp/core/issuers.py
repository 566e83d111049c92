"""Issuer profiles: who a creditor's notices and agreements come from, as the server publishes them.

An admin writes one YAML file per creditor and publishes it (``fieldapp admin set-issuer FILE``);
every laptop receives it with its next pull, and the GUI and ``fieldapp notice render`` print from
it. A laptop without a profile for a case's creditor prints nothing for that case. The public
verification page names the issuer from the server's copy, never from what a laptop sent.

The file::

    creditor: 华信消费金融有限公司          # the creditor exactly as the case files name it
    verify_url: https://verify.lender.example.cn   # optional: the public site answering /v/<token>
    logo: logo.png                       # optional PNG/JPEG next to the file (at most 256 KB)
    seal: seal.png                       # optional image of the company seal
    creditor_name: {zh-CN: 华信消费金融有限公司, en: Huaxin Consumer Finance Co., Ltd.}
    creditor_address: ...                # and the other IssuerConfig fields (fieldapp.core.notices)
    creditor_phone: 400-000-0000
    agency_name: ...
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldapp.core.canonical import content_hash
from fieldapp.core.forms import FormError, parse_yaml
from fieldapp.core.notices import IssuerConfig
from fieldapp.core.verification import NoticeError, new_verification_token, verification_url

#: The largest logo or seal image a profile may carry.
MAX_IMAGE_BYTES = 256 * 1024
#: The longest text of any field, in any language.
MAX_TEXT = 500
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")
_FILE_KEYS = {"creditor", "verify_url", "logo", "seal", "demo"}


@dataclass(frozen=True)
class IssuerProfile:
    creditor: str
    config: Mapping[str, Any]  # IssuerConfig's text fields
    verify_url: str = ""
    logo: bytes | None = None
    seal: bytes | None = None
    demo: bool = False

    def __post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            raise NoticeError("the issuer profile is not valid: " + "; ".join(problems),
                              "出函方设置无效：" + "；".join(problems))

    @property
    def content_hash(self) -> str:
        return content_hash(self.to_wire(with_hash=False))

    def issuer_config(self, image_dir: Path | None = None) -> IssuerConfig:
        """The IssuerConfig the renderers take; the images are written to ``image_dir`` (by their hash)."""
        data = dict(self.config)
        for key, image in (("logo_path", self.logo), ("seal_path", self.seal)):
            if image is not None and image_dir is not None:
                image_dir.mkdir(parents=True, exist_ok=True)
                path = image_dir / f"{hashlib.sha256(image).hexdigest()[:32]}.img"
                if not path.exists():
                    path.write_bytes(image)
                data[key] = str(path)
        return IssuerConfig.from_dict(data)

    def to_wire(self, *, with_hash: bool = True) -> dict[str, Any]:
        wire: dict[str, Any] = {
            "creditor": self.creditor, "config": dict(self.config), "verify_url": self.verify_url,
            "logo_b64": base64.b64encode(self.logo).decode("ascii") if self.logo else None,
            "seal_b64": base64.b64encode(self.seal).decode("ascii") if self.seal else None, "demo": self.demo,
        }
        if with_hash:
            wire["content_hash"] = self.content_hash
        return wire

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> IssuerProfile:
        """As received (pull) or stored; NoticeError if it is not a valid profile or its hash is wrong."""
        try:
            profile = cls(creditor=str(data["creditor"]), config=dict(data["config"]),
                          verify_url=str(data.get("verify_url") or ""),
                          logo=base64.b64decode(data["logo_b64"], validate=True) if data.get("logo_b64") else None,
                          seal=base64.b64decode(data["seal_b64"], validate=True) if data.get("seal_b64") else None,
                          demo=bool(data.get("demo", False)))
        except (KeyError, TypeError, ValueError) as exc:
            raise NoticeError(f"the issuer profile cannot be read ({exc})", "无法读取出函方设置") from None
        if data.get("content_hash") and data["content_hash"] != profile.content_hash:
            raise NoticeError("the issuer profile does not match its hash", "出函方设置与其校验值不符")
        return profile


def _texts(value: Any) -> list[str]:
    return [str(v) for v in value.values()] if isinstance(value, Mapping) else [str(value)]


def _problems(profile: IssuerProfile) -> list[str]:
    problems: list[str] = []
    if not profile.creditor.strip() or len(profile.creditor) > 200:
        problems.append("creditor must name the creditor as the case files do (1 to 200 characters)")
    for key in ("logo_path", "seal_path"):
        if key in profile.config:
            problems.append(f"{key} is not part of a profile: give the image as logo: or seal:")
    try:
        IssuerConfig.from_dict(profile.config)
    except NoticeError as exc:
        problems.append(str(exc))
    for key, value in profile.config.items():
        if any(len(text) > MAX_TEXT or "\x00" in text for text in _texts(value)):
            problems.append(f"{key} is longer than {MAX_TEXT} characters")
    if profile.verify_url:
        try:
            verification_url(profile.verify_url, new_verification_token())
        except NoticeError as exc:
            problems.append(str(exc))
    for name, image in (("logo", profile.logo), ("seal", profile.seal)):
        if image is not None and (len(image) > MAX_IMAGE_BYTES or not image.startswith(_IMAGE_MAGIC)):
            problems.append(f"the {name} must be a PNG or JPEG of at most {MAX_IMAGE_BYTES // 1024} KB")
    return problems


def read_profile_file(path: Path) -> IssuerProfile:
    """The profile in ``path`` (its images read from beside it); NoticeError saying what is wrong."""
    try:
        data = parse_yaml(path.read_text(encoding="utf-8")).data
    except FileNotFoundError:
        raise NoticeError(f"there is no issuer profile file {path}", f"找不到出函方设置文件 {path}") from None
    except (OSError, UnicodeDecodeError, FormError) as exc:
        raise NoticeError(f"{path} cannot be read: {exc}", f"无法读取出函方设置 {path}") from None
    if not isinstance(data, Mapping) or "creditor" not in data:
        raise NoticeError(f"{path}: expected a mapping with a creditor: line", f"出函方设置缺少 creditor：{path}")
    images: dict[str, bytes | None] = {}
    for key in ("logo", "seal"):
        name = data.get(key)
        if not name:
            images[key] = None
            continue
        image_path = Path(str(name)) if Path(str(name)).is_absolute() else path.parent / str(name)
        try:
            images[key] = image_path.read_bytes()
        except OSError as exc:
            raise NoticeError(f"the {key} image {image_path} cannot be read: {exc}", f"无法读取图片 {image_path}") from None
    config = {k: v for k, v in data.items() if k not in _FILE_KEYS}
    return IssuerProfile(creditor=str(data["creditor"]), config=config, verify_url=str(data.get("verify_url") or ""),
                         logo=images["logo"], seal=images["seal"], demo=bool(data.get("demo", False)))
