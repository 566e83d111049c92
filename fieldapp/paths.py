"""One place decides where FieldApp keeps config, data, cache and logs on this machine."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "FieldApp"
APP_AUTHOR = "FieldApp"

#: When set, every local path lives under this one folder (tests, portable installs, IT scripts).
HOME_ENV = "FIELDAPP_HOME"


def _base(kind: str) -> Path:
    home = os.environ.get(HOME_ENV)
    if home:
        path = Path(home).expanduser() / kind
    else:
        path = Path(
            {
                "config": platformdirs.user_config_dir,
                "data": platformdirs.user_data_dir,
                "cache": platformdirs.user_cache_dir,
                "logs": platformdirs.user_log_dir,
            }[kind](APP_NAME, APP_AUTHOR)
        )
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def config_dir() -> Path:
    return _base("config")


def data_dir() -> Path:
    return _base("data")


def cache_dir() -> Path:
    return _base("cache")


def log_dir() -> Path:
    return _base("logs")
