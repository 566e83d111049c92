"""Enrolment: a one-time code and the collector's password buy a device token; the new store opens
with the collector's PIN, and its database key is escrowed with the server.
"""

from __future__ import annotations

import logging
import socket
from typing import Any

import requests
from pydantic import ValidationError

from fieldapp import __version__, protocol
from fieldapp.core.clock import known_zone
from fieldapp.store import repo
from fieldapp.store.db import DeviceStore, StoreError, validate_secret
from fieldapp.sync.events import (
    META_CLOCK_SKEW,
    META_DEVICE_ID,
    META_DISPLAY_NAME,
    META_ENROLLED_AT,
    META_ROLE,
    META_SERVER,
    META_SERVER_TIME,
    META_TEAM,
    META_TOKEN,
    META_USERNAME,
    ClientTooOld,
    EnrollmentFailed,
    ServerError,
    ServerUnreachable,
)
from fieldapp.sync.transport import (
    _error_detail,
    _http_session,
    _utcnow,
    normalise_server_url,
)

log = logging.getLogger(__name__)


# ------------------------------------------------------------------------------------------ enroll
def enroll(
    server_url: str,
    code: str,
    username: str,
    password: str,
    secret: str,
    *,
    device_name: str | None = None,
    data_dir: Any = None,
    timeout: tuple[float, float] = (5, 30),
    session: requests.Session | None = None,
) -> DeviceStore:
    """Exchange a one-time code and the user's password for a device token; create the store on success.

    The database key is made first and sent in the request, so the server escrows it (IT can then
    recover unsynced work when the PIN is forgotten, PRODUCT.md §8); it travels only over TLS off
    loopback (normalise_server_url). The store (and its key file) is created with that same key only
    after the server said yes, so a typo in the code leaves nothing behind. The token goes into the
    encrypted database, never into a plain file.
    """
    url = normalise_server_url(server_url)
    validate_secret(secret)
    _clear_unfinished_enrollment(secret, data_dir)
    raw_key = DeviceStore.new_key()
    request = protocol.EnrollRequest(
        code=code.strip(),
        username=username.strip(),
        password=password,
        device_name=(device_name if device_name is not None else socket.gethostname())[:128],
        client_version=__version__,
        escrow_key=raw_key.hex(),
    )
    http = _http_session(session)
    try:
        response = http.post(url + protocol.PATH_ENROLL, json=request.model_dump(mode="json"), timeout=timeout)
    except requests.exceptions.SSLError as exc:
        raise EnrollmentFailed(f"the server's TLS certificate is not trusted ({exc.__class__.__name__})") from exc
    except (requests.ConnectionError, requests.Timeout) as exc:
        raise ServerUnreachable(f"the server {url} cannot be reached; check the address and the network") from exc
    if response.status_code != 200:
        detail = _error_detail(response)
        if response.status_code == 426:
            raise ClientTooOld("this version of FieldApp is too old for the server; update the app, then enroll")
        if detail is not None and response.status_code < 500:
            raise EnrollmentFailed(f"enrollment failed: {detail.message}")
        raise ServerError(f"enrollment failed: the server answered {response.status_code}")
    try:
        answer = protocol.EnrollResponse.model_validate(response.json())
    except (ValueError, ValidationError) as exc:
        raise ServerError("enrollment failed: the server's answer could not be read") from exc

    store = DeviceStore.create(secret, data_dir, raw_key=raw_key)
    with store.session() as s:
        values = {
            META_SERVER: url,
            META_DEVICE_ID: str(answer.device_id),
            META_TOKEN: answer.device_token,
            META_USERNAME: answer.username,
            META_DISPLAY_NAME: answer.display_name,
            META_ROLE: answer.role,
            META_TEAM: answer.team or "",
            repo.META_WORK_ZONE: answer.work_zone if known_zone(answer.work_zone) else None,
            META_ENROLLED_AT: _utcnow().isoformat(),
            META_SERVER_TIME: answer.server_time.isoformat(),
            META_CLOCK_SKEW: f"{(answer.server_time - _utcnow()).total_seconds():.3f}",
        }
        for key, value in values.items():
            store.set_meta(s, key, value)
        s.commit()
    return store


def _clear_unfinished_enrollment(secret: str, data_dir: Any) -> None:
    """Refuse to enroll over a store in use; remove one an interrupted enrollment left empty.

    An enrollment killed between creating the key file and saving the token leaves a store that
    cannot sync and would block every later attempt; it holds no work, so it may go.
    """
    if not DeviceStore.exists(data_dir):
        return
    already = EnrollmentFailed("this device is already enrolled; nothing was changed")
    try:
        existing = DeviceStore.open(secret, data_dir)
    except StoreError:
        raise already from None
    try:
        with existing.session() as s:
            in_use = existing.get_meta(META_TOKEN) is not None or repo.counts(s) != {
                "cases": 0, "outbox_pending": 0, "rejected": 0,
            }
    except Exception:
        existing.close()
        raise
    if in_use:
        existing.close()
        raise already
    log.warning("removing the empty store an interrupted enrollment left in %s", existing.data_dir)
    existing.wipe()
