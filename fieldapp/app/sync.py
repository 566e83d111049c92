"""Syncing this laptop, for the app's sync adapter: one full sync, or "is the server there?".

Each call makes a client of its own (a worker thread's). The events and errors the adapter tells
apart are the sync client's own classes, re-exported here so the screens match them by type.
"""

from __future__ import annotations

from typing import Any

from fieldapp.store.db import StoreError
from fieldapp.sync.client import (
    DeviceRevoked,
    ServerUnreachable,
    SyncClient,
    SyncError,
    SyncProgress,
    SyncReport,
    SyncStarted,
)


def run_sync(store: Any, on_event: Any, options: dict[str, Any]) -> SyncReport:
    """One full sync (push, pull, attachments, forms); ``on_event`` hears SyncStarted, SyncProgress …"""
    client = SyncClient(store, on_event=on_event, **options)
    try:
        return client.sync()
    finally:
        client.close()


def hello(store: Any, options: dict[str, Any]) -> Any:
    """Ask the server whether it is there (ServerUnreachable when not, DeviceRevoked when revoked)."""
    client = SyncClient(store, **options)
    try:
        return client.hello()
    finally:
        client.close()


__all__ = ("DeviceRevoked", "ServerUnreachable", "StoreError", "SyncError", "SyncProgress", "SyncReport",
           "SyncStarted", "hello", "run_sync")
