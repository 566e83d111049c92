"""The desktop app's small settings file (language, idle lock, preset server) in the config folder.

Kept outside the encrypted store on purpose: these are read before the store is unlocked, and none
of them is personal data. IT may preset ``server_url`` here or through ``FIELDAPP_SERVER_URL``.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from fieldapp import paths

log = logging.getLogger(__name__)

SETTINGS_FILE = "gui.json"
# Environment variable IT may set in an installer to preset the server address.
SERVER_URL_ENV = "FIELDAPP_SERVER_URL"
DEFAULT_IDLE_LOCK_MINUTES = 10.0


@dataclass
class UiSettings:
    """What the collector chose; ``language`` is "" (follow the system), "zh_CN" or "en"."""

    language: str = ""
    idle_lock_minutes: float = DEFAULT_IDLE_LOCK_MINUTES
    server_url: str = ""

    @classmethod
    def load(cls, path: Path | None = None) -> UiSettings:
        """Read the settings; a missing or damaged file gives the defaults (and a log line)."""
        path = path or settings_path()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable settings file %s: %s", path, exc)
            return cls()
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in raw.items() if k in known} if isinstance(raw, dict) else {}
        settings = cls(**values)
        try:
            settings.idle_lock_minutes = max(0.0, float(settings.idle_lock_minutes))
        except (TypeError, ValueError):
            settings.idle_lock_minutes = DEFAULT_IDLE_LOCK_MINUTES
        if settings.language not in ("", "zh_CN", "en"):
            settings.language = ""
        return settings

    def save(self, path: Path | None = None) -> None:
        """Write atomically: a temporary file, fsynced, then renamed over the old one."""
        path = path or settings_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".gui-", suffix=".json", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(asdict(self), fh, ensure_ascii=False, indent=2)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def settings_path() -> Path:
    return paths.config_dir() / SETTINGS_FILE


def preset_server_url(settings: UiSettings, explicit: str | None = None) -> str:
    """The server address IT configured: an explicit preset, then the environment, then the file."""
    return (explicit or os.environ.get(SERVER_URL_ENV) or settings.server_url or "").strip()
