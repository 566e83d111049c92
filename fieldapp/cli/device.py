"""The laptop's commands: ``enroll``, ``sync``, ``status`` and ``recover`` (heavy imports inside handlers)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import TYPE_CHECKING

from fieldapp.cli.errors import CommandError

if TYPE_CHECKING:
    from fieldapp.store.db import DeviceStore

PASSWORD_ENV = "FIELDAPP_PASSWORD"
PASSPHRASE_ENV = "FIELDAPP_PASSPHRASE"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this part's sub-commands to the fieldapp parser."""
    p = sub.add_parser("enroll", help="enroll this device with a server using a one-time code")
    p.add_argument("--server", required=True, metavar="URL", help="server address, e.g. https://fieldapp.example.com")
    p.add_argument("--code", required=True, help="the one-time enrollment code from your administrator")
    p.add_argument("--user", required=True, metavar="NAME", help="your user name on the server")
    p.add_argument("--device-name", default=None, help="a name for this device (default: the host name)")
    p.set_defaults(handler=cmd_enroll)

    p = sub.add_parser("sync", help="send collected work to the server and fetch assigned cases")
    p.set_defaults(handler=cmd_sync)

    p = sub.add_parser("status", help="show what the device holds and when it last synced")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=cmd_status)

    p = sub.add_parser("recover", help="forgotten PIN: unlock this device's data with the key IT gives you "
                                       "(`fieldapp admin escrow-key`) and choose a new PIN or password")
    p.add_argument("--key", required=True, metavar="HEX", help="the device's database key (64 hex characters)")
    p.set_defaults(handler=cmd_recover)


def _secret_for_unlock() -> str:
    secret = os.environ.get(PASSPHRASE_ENV)
    if secret is None:
        if not sys.stdin.isatty():
            raise CommandError(f"set {PASSPHRASE_ENV} to the device's PIN or password")
        secret = getpass.getpass("Device PIN or password: ")
    return secret


def _new_secret() -> str:
    secret = os.environ.get(PASSPHRASE_ENV)
    if secret is not None:
        return secret
    if not sys.stdin.isatty():
        raise CommandError(f"set {PASSPHRASE_ENV} to the PIN or password that will unlock this device")
    first = getpass.getpass("Choose a PIN or password to unlock this device: ")
    second = getpass.getpass("Type it again: ")
    if first != second:
        raise CommandError("the two entries differ; nothing was changed")
    return first


def open_store() -> DeviceStore:
    """This device's store, unlocked with the PIN from $FIELDAPP_PASSPHRASE or a prompt (CommandError if not)."""
    from fieldapp.store.db import DeviceStore, StoreError

    if not DeviceStore.exists():
        raise CommandError("this device is not enrolled yet; run `fieldapp enroll --server URL --code CODE --user NAME`")
    try:
        return DeviceStore.open(_secret_for_unlock())
    except StoreError as exc:
        raise CommandError(str(exc)) from None


def cmd_enroll(args: argparse.Namespace) -> int:
    from fieldapp.store.db import StoreError, validate_secret
    from fieldapp.sync.client import SyncError, enroll, normalise_server_url

    try:
        url = normalise_server_url(args.server)
    except SyncError as exc:
        raise CommandError(str(exc)) from None
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        if not sys.stdin.isatty():
            raise CommandError(f"set {PASSWORD_ENV} to the password of {args.user}")
        password = getpass.getpass(f"Password of {args.user} on {url}: ")
    secret = _new_secret()
    try:
        validate_secret(secret)
        store = enroll(url, args.code, args.user, password, secret, device_name=args.device_name)
    except (SyncError, StoreError) as exc:
        raise CommandError(str(exc)) from None
    try:
        meta = store.meta()
        from fieldapp.sync.client import META_DEVICE_ID, META_DISPLAY_NAME, META_ROLE

        print(
            f"enrolled device {meta.get(META_DEVICE_ID)} for {meta.get(META_DISPLAY_NAME) or args.user}"
            f" ({meta.get(META_ROLE)}) with {url}; run `fieldapp sync` to fetch cases"
        )
    finally:
        store.close()
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    from fieldapp.app.sync import DeviceRevoked, StoreError, SyncError, run_sync

    store = open_store()
    try:
        report = run_sync(store, None, {})  # the app's sync, purge of departed cases included
    except DeviceRevoked as exc:
        raise CommandError(str(exc), status=3) from None
    except (SyncError, StoreError) as exc:
        raise CommandError(str(exc), status=2) from None
    finally:
        store.close()
    print(f"synced: {report.summary()}")
    if report.rejected or report.conflict:
        print(
            f"{report.rejected + report.conflict} record(s) were not taken by the server; "
            "see them under Outbox (they stay on this device)"
        )
    for problem in report.attachment_errors:
        print(f"not uploaded: {problem}")
    for problem in report.form_errors:
        print(f"not received: {problem}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    import json

    from fieldapp.store import repo
    from fieldapp.sync.client import META_LAST_SYNC, META_SERVER

    store = open_store()
    try:
        with store.session() as s:
            counts = repo.counts(s)
        meta = store.meta()
    finally:
        store.close()
    status = {
        "cases": counts["cases"],
        "outbox_pending": counts["outbox_pending"],
        "rejected": counts["rejected"],
        "last_sync": meta.get(META_LAST_SYNC),
        "server": meta.get(META_SERVER),
    }
    if args.json:
        print(json.dumps(status))
    else:
        print(
            f"server {status['server']}; {status['cases']} cases; {status['outbox_pending']} waiting to be sent; "
            f"{status['rejected']} rejected; last sync {status['last_sync'] or 'never'}"
        )
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    """Rewrap the database key under a new secret; the data (cases, outbox) is not touched."""
    from fieldapp.store.db import DeviceStore, StoreError

    secret = _new_secret()
    directory = DeviceStore.default_dir()
    try:
        DeviceStore.recover(args.key, secret)
    except StoreError as exc:
        raise CommandError(str(exc)) from None
    print(f"recovered the local data in {directory}: it now opens with the new PIN or password")
    return 0


