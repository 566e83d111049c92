"""Syncing this laptop, for the app's sync adapter: one full sync, or "is the server there?".

Each call makes a client of its own (a worker thread's). The events and errors the adapter tells
apart are the sync client's own classes, re-exported here so the screens match them by type.
"""

from __future__ import annotations

import logging
from typing import Any

from fieldapp.app.retention import purge_departed_cases
from fieldapp.store import repo
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

log = logging.getLogger(__name__)


def run_sync(store: Any, on_event: Any, options: dict[str, Any]) -> SyncReport:
    """One full sync (push, pull, attachments, forms); ``on_event`` hears SyncStarted, SyncProgress …

    Afterwards the acknowledged work on cases that left the laptop long enough ago is purged
    (app.retention); a purge that fails is logged and tried again after the next sync."""
    client = SyncClient(store, on_event=on_event, **options)
    try:
        report = client.sync()
    finally:
        client.close()
    try:
        with store.session() as session:
            now = repo.trusted_clock(session).now()
        purged = purge_departed_cases(store, now)
        if purged.purged:
            log.info("purged the work on %d cases that left this laptop", len(purged.purged))
    except Exception:
        log.exception("purging the cases that left this laptop failed; it is tried again after the next sync")
    return report


def hello(store: Any, options: dict[str, Any]) -> Any:
    """Ask the server whether it is there (ServerUnreachable when not, DeviceRevoked when revoked)."""
    client = SyncClient(store, **options)
    try:
        return client.hello()
    finally:
        client.close()


__all__ = ("DeviceRevoked", "ServerUnreachable", "StoreError", "SyncError", "SyncProgress", "SyncReport",
           "SyncStarted", "hello", "run_sync")
