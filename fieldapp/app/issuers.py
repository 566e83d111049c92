"""Who issues a notice: the creditor's letterhead, the agency, official phones, the verification site.

One loader for the app and ``fieldapp notice render``. The settings come from ``notice_issuer.yaml``
in :func:`fieldapp.paths.config_dir` (or, when it is absent, the office's ``issuers.yaml``); without
either, clearly fictional demo values are used so a fresh install can show a notice (the creditor's
name is then the case's).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldapp.core.notices import IssuerConfig, NoticeError
from fieldapp.paths import config_dir as default_dir

ISSUER_FILE = "notice_issuer.yaml"
#: The file ``fieldapp notice render`` reads (one issuer, or creditor name → issuer); used when
#: ``notice_issuer.yaml`` is absent, so the office's batch prints and the app's look the same.
CLI_ISSUER_FILE = "issuers.yaml"
DEMO_BASE_URL = "https://verify.fieldapp.example"
DEMO_ISSUERS: dict[str, dict[str, Any]] = {
    "CN": {
        "creditor_address": {"zh-CN": "上海市浦东新区示例路100号（演示地址）", "en": "100 Example Road, Pudong, Shanghai (demo)"},
        "creditor_phone": "400-000-0000",
        "agency_name": {"zh-CN": "示例信息咨询服务有限公司（演示）", "en": "Example Information Services Co., Ltd. (demo)"},
        "agency_phone": "021-0000-0000",
        "dispute_phone": "400-000-0001",
        "dispute_address": {"zh-CN": "上海市浦东新区示例路100号客户权益部（演示地址）",
                            "en": "Customer Rights Dept., 100 Example Road, Shanghai (demo)"},
        "repay_channel": {"zh-CN": "出借人官方App“我的借款—还款”（演示）", "en": "the lender's official app, My loans → Repay (demo)"},
        "check_channel": {"zh-CN": "出借人官方App或官方网站（演示）", "en": "the lender's official app or website (demo)"},
    },
    "US": {
        "creditor_address": "1 Example Plaza, Springfield, IL 62701 (demo)",
        "creditor_phone": "(800) 555-0100",
        "agency_name": "Example Recovery Services, LLC (demo)",
        "agency_address": "PO Box 0000, Springfield, IL 62701",
        "agency_phone": "(800) 555-0199",
        "dispute_address": "Example Recovery Services, PO Box 0000, Springfield, IL 62701",
        "dispute_phone": "(800) 555-0199",
    },
}


@dataclass
class IssuerSettings:
    """The parsed configuration: the verification site and the issuer per creditor / jurisdiction."""

    base_url: str = DEMO_BASE_URL
    defaults: dict[str, dict[str, Any]] = field(default_factory=lambda: {k: dict(v) for k, v in DEMO_ISSUERS.items()})
    creditors: dict[str, dict[str, Any]] = field(default_factory=dict)
    demo: bool = True
    source: str = ""

    def issuer_for(self, case: dict[str, Any]) -> IssuerConfig:
        """The issuer of ``case``'s notices: its creditor's entry, else the jurisdiction's default
        (whose creditor name, when not configured, is the case's creditor). NoticeError if invalid."""
        creditor = case.get("creditor") or ""
        if creditor in self.creditors:
            return IssuerConfig.from_dict(self.creditors[creditor])
        jurisdiction = (case.get("jurisdiction") or "CN").upper()
        found = self.defaults.get(jurisdiction) or (self.defaults.get("CN") if self.demo else None)
        if not found:
            # a configured file never falls back to the demo letterhead on a real letter
            raise NoticeError(f"the issuer settings {self.source} have nothing for the creditor {creditor!r} "
                              f"or for {jurisdiction} cases",
                              f"出函方设置 {self.source} 中没有债权人“{creditor}”或 {jurisdiction} 案件的信息")
        data = dict(found)
        data.setdefault("creditor_name", creditor)
        return IssuerConfig.from_dict(data)


def load_issuer_settings(config_dir: Path | None = None) -> IssuerSettings:
    """The issuer settings in ``config_dir`` (default the config folder): ``notice_issuer.yaml``, else
    the office's ``issuers.yaml``, else demo values (``demo`` is then True). NoticeError for a broken file."""
    folder = config_dir or default_dir()
    for name in (ISSUER_FILE, CLI_ISSUER_FILE):
        if (folder / name).exists():
            return load_issuer_file(folder / name)
    return IssuerSettings()


_FULL_KEYS = {"base_url", "defaults", "creditors"}


def load_issuer_file(path: Path) -> IssuerSettings:
    """One issuer settings file (YAML or JSON), in either of its two shapes. NoticeError when it is
    missing, unreadable or not a mapping.

    The full shape::

        base_url: https://verify.lender.example.cn   # the public verification site (GET /v/<token>)
        defaults:                                     # per jurisdiction
          CN: {creditor_address: ..., creditor_phone: ..., agency_name: ..., ...}
        creditors:                                    # by the case's creditor name, all IssuerConfig keys
          华信消费金融: {creditor_name: ..., logo_path: logo.png, ...}

    or the office's short one: a single issuer (its IssuerConfig keys), or creditor name → issuer.
    Relative logo and seal paths are read from the file's folder.
    """
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise NoticeError(f"there is no issuer settings file {path}", f"找不到出函方设置文件 {path}") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise NoticeError(f"{path} cannot be read: {exc}", f"无法读取出函方设置 {path}") from None
    if not isinstance(data, dict):
        raise NoticeError(f"{path}: expected a mapping", f"出函方设置格式错误：{path}")
    if set(data) & _FULL_KEYS and set(data) <= _FULL_KEYS:
        settings = IssuerSettings(base_url=str(data.get("base_url") or DEMO_BASE_URL), defaults={}, demo=False,
                                  source=str(path))
        for key, value in (data.get("defaults") or {}).items():
            settings.defaults[str(key).upper()] = dict(value)
        settings.creditors = {str(k): dict(v) for k, v in (data.get("creditors") or {}).items()}
    else:
        settings = IssuerSettings(defaults={}, demo=False, source=str(path))
        if "creditor_name" in data:
            settings.defaults = {"CN": dict(data), "US": dict(data)}
        else:
            settings.creditors = {str(k): dict(v) for k, v in data.items() if isinstance(v, dict)}
    for entry in [*settings.defaults.values(), *settings.creditors.values()]:
        for key in ("logo_path", "seal_path"):
            if entry.get(key) and not Path(entry[key]).is_absolute():
                entry[key] = str(path.parent / entry[key])
    return settings
