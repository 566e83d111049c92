"""Getting into this laptop's data: is there a store, unlock it, enroll it with a server."""

from __future__ import annotations

from typing import Any

from fieldapp.store.db import DeviceStore
from fieldapp.sync.client import enroll as enroll_device


def store_exists() -> bool:
    """Whether this laptop holds an enrolled store (in FIELDAPP_HOME's data folder)."""
    return DeviceStore.exists()


def open_store(secret: str) -> Any:
    """Unlock the store with the collector's PIN or password (StoreError when it is wrong)."""
    return DeviceStore.open(secret)


def enroll(server_url: str, code: str, username: str, password: str, secret: str, *, device_name: str) -> Any:
    """Enroll with a one-time code; the new store opens with ``secret`` (sync.client errors say why not)."""
    return enroll_device(server_url, code, username, password, secret, device_name=device_name)
