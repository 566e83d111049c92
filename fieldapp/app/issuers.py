"""Who issues a notice: the creditor's issuer profile, as the server published it to this laptop.

One loader for the GUI and ``fieldapp notice render`` (and the plan agreement): the profiles come
with the pulls (``fieldapp admin set-issuer`` on the server); there are no local issuer files and no
fallback letterhead. A case whose creditor has no profile on this laptop prints nothing, and the
refusal says whom to ask. The verification site is the profile's own when it names one, else the
server this laptop syncs with (its ``/v`` answers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldapp.core.issuers import IssuerProfile
from fieldapp.core.notices import IssuerConfig
from fieldapp.core.verification import NoticeError
from fieldapp.store import repo

#: Where a profile's logo and seal images are written for the renderers (inside the data folder).
IMAGE_DIR = "issuer-images"


@dataclass
class IssuerSettings:
    """The profiles this laptop holds, by creditor, and the server its notices verify on."""

    base_url: str = ""
    profiles: dict[str, IssuerProfile] = field(default_factory=dict)
    image_dir: Path | None = None

    @property
    def demo(self) -> bool:
        """Only the demo's fictional profiles (``fieldapp demo``), or none at all."""
        return all(p.demo for p in self.profiles.values())

    def profile_for(self, case: dict[str, Any]) -> IssuerProfile:
        creditor = str(case.get("creditor") or "")
        profile = self.profiles.get(creditor)
        if profile is None:
            raise NoticeError(
                f"there is no issuer profile for the creditor {creditor!r} on this laptop: ask your team lead or "
                "administrator to publish it (fieldapp admin set-issuer), then sync",
                f"本机没有债权人“{creditor}”的出函方设置：请联系组长或管理员在服务器上发布（fieldapp admin set-issuer），然后同步")
        return profile

    def issuer_for(self, case: dict[str, Any]) -> IssuerConfig:
        """The issuer of ``case``'s notices; NoticeError (saying whom to ask) when there is none."""
        return self.profile_for(case).issuer_config(self.image_dir)

    def base_url_for(self, case: dict[str, Any]) -> str:
        """Where the notice's QR code points: the profile's verification site, else the sync server."""
        url = self.profile_for(case).verify_url or self.base_url
        if not url:
            raise NoticeError("this laptop does not know the server its notices verify on: enroll and sync first",
                              "本机尚未登记到服务器，无法生成核验二维码：请先登记并同步")
        return url


def load_issuer_settings(store: Any) -> IssuerSettings:
    """The issuer profiles in ``store`` and the server it syncs with."""
    with store.session() as session:
        profiles = repo.issuer_profiles(session)
    return IssuerSettings(base_url=store.get_meta("server_url") or "", profiles=profiles,
                          image_dir=Path(store.data_dir) / IMAGE_DIR)
