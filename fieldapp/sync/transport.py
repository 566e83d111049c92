"""The sync client's HTTP details: which failures are worth retrying, the server address rule (TLS
off loopback), error bodies, the server's clock header, and how attachments are batched.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from urllib.parse import urlsplit

import requests
from pydantic import ValidationError

from fieldapp import __version__, protocol
from fieldapp.core.clock import device_now
from fieldapp.store.models import Attachment
from fieldapp.sync.events import EnrollmentFailed

# ------------------------------------------------------------------------------------------ helpers
#: Failures of the network, not of the request: the same request may succeed when sent again.
_TRANSIENT = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)


def _utcnow() -> dt.datetime:
    return device_now()


def _is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def normalise_server_url(url: str) -> str:
    """``https://host[:port]`` without a trailing slash; plain http only on loopback (PRODUCT.md §8)."""
    url = url.strip()
    if "://" not in url:
        url = "https://" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EnrollmentFailed(f"{url!r} is not a server address (expected https://host:port)")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise EnrollmentFailed(
            f"the server {parts.hostname} must be reached over TLS: use https:// (plain http only works on this machine)"
        )
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def _error_detail(response: requests.Response) -> protocol.ErrorDetail | None:
    try:
        return protocol.ErrorBody.model_validate(response.json()).error
    except (ValueError, ValidationError):
        return None


def _parse_server_time(response: requests.Response) -> dt.datetime | None:
    value = response.headers.get(protocol.HEADER_SERVER_TIME)
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _http_session(session: requests.Session | None) -> requests.Session:
    http = session or requests.Session()
    http.headers[protocol.HEADER_CLIENT] = protocol.client_header_value(__version__)
    return http


def _batches(attachments: list[Attachment]) -> list[list[Attachment]]:
    """Group small attachments by protocol.MAX_BATCH_ITEMS and MAX_BATCH_BYTES (counted before base64)."""
    out: list[list[Attachment]] = []
    current: list[Attachment] = []
    size = 0
    for attachment in attachments:
        if current and (len(current) >= protocol.MAX_BATCH_ITEMS or size + attachment.size > protocol.MAX_BATCH_BYTES):
            out.append(current)
            current, size = [], 0
        current.append(attachment)
        size += attachment.size
    if current:
        out.append(current)
    return out


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
