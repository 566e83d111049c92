"""Limits before work: what a request may cost the server before anything reads it.

- ``RequestGuard`` (ASGI, around every route): a NUL in the path or query is a 400; a body over the
  cap is a 413 as soon as it is announced (Content-Length) or counted; a body for a route that
  needs a device token is not read until the token is known (401 otherwise). Security headers go
  on every answer.
- ``RateLimits``: enrolment per client address and per username, the public verification page per
  address; answered with 429 and Retry-After. The counters live in ``FIELDAPP_RATE_STORAGE``:
  ``memory://`` (the default: one server process) or ``redis://host:6379/0``, which every worker on
  every host shares — use it whenever ``--workers`` is above 1 or several hosts serve one address.
  Behind a proxy (``--behind-proxy``) the client address is the one the proxy writes into
  X-Forwarded-For: the proxy must overwrite that header, never append to what the client sent.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fieldapp import protocol
from fieldapp.protocol import ErrorCode
from fieldapp.server.api.errors import error_response
from fieldapp.server.db import utcnow
from fieldapp.server.services.devices import NO_TOKEN_MESSAGE

MAX_BODY_ENV = "FIELDAPP_MAX_BODY"
#: The largest request body: an attachment batch (8 MiB of files, base64 in JSON) with room to spare.
DEFAULT_MAX_BODY = 16 * 1024 * 1024
RATE_STORAGE_ENV = "FIELDAPP_RATE_STORAGE"
ENROLL_RATE_ENV = "FIELDAPP_ENROLL_RATE"
ENROLL_USER_RATE_ENV = "FIELDAPP_ENROLL_USER_RATE"
VERIFY_RATE_ENV = "FIELDAPP_VERIFY_RATE"
DEFAULT_ENROLL_RATE = "20/minute"  # per client address
DEFAULT_ENROLL_USER_RATE = "10/15 minutes"  # per username, whoever tries it
DEFAULT_VERIFY_RATE = "20/minute"  # per client address

#: Routes that take a body without a device token.
OPEN_BODY_PATHS = frozenset({protocol.PATH_ENROLL})

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"content-security-policy",
     b"default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
HSTS = (b"strict-transport-security", b"max-age=31536000")


class BodyTooLarge(HTTPException):
    def __init__(self, cap: int) -> None:
        super().__init__(413, f"the request body is larger than this server accepts ({cap} bytes)")


def max_body_from_env() -> int:
    text = os.environ.get(MAX_BODY_ENV, "").strip()
    return int(text) if text.isdigit() and int(text) > 0 else DEFAULT_MAX_BODY


def _bearer(scope: Scope) -> str:
    for key, value in scope.get("headers", ()):
        if key == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            return token.strip() if scheme.lower() == "bearer" else ""
    return ""


class RequestGuard:
    """See the module's docstring. ``known_token(token)`` says whether a device token is enrolled."""

    def __init__(self, app: ASGIApp, *, max_body: int, known_token: Callable[[str], bool]) -> None:
        self.app = app
        self.max_body = max_body
        self.known_token = known_token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        secure = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", [])) + SECURITY_HEADERS + ([HSTS] if secure else [])
                message = {**message, "headers": headers}
            await send(message)

        refusal = await self._refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, send_with_headers)
            return
        cap, seen = self.max_body, 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > cap:
                    raise BodyTooLarge(cap)
            return message

        await self.app(scope, counted, send_with_headers)

    async def _refusal(self, scope: Scope) -> Callable[[Scope, Receive, Send], Awaitable[None]] | None:
        raw = scope.get("raw_path") or scope["path"].encode()
        query = scope.get("query_string", b"")
        if b"\x00" in raw or b"%00" in raw or b"\x00" in query or b"%00" in query or "\x00" in scope["path"]:
            return error_response(400, ErrorCode.bad_request, "the address holds a NUL character")
        if scope["method"] not in ("POST", "PUT", "PATCH"):
            return None
        for key, value in scope.get("headers", ()):
            if key == b"content-length" and value.isdigit() and int(value) > self.max_body:
                return error_response(413, ErrorCode.bad_request,
                                      f"the request body is larger than this server accepts ({self.max_body} bytes)")
        path = scope["path"]
        if path.startswith(protocol.API) and path not in OPEN_BODY_PATHS:
            token = _bearer(scope)
            if not token:
                return error_response(401, ErrorCode.unauthorized, NO_TOKEN_MESSAGE)
            if not await run_in_threadpool(self.known_token, token):
                return error_response(401, ErrorCode.unauthorized, "the server does not know this device; enroll it again")
        return None


@dataclass(frozen=True)
class Limit:
    name: str
    item: RateLimitItem


class RateLimits:
    """Moving-window counters (the ``limits`` library) in memory or in Redis."""

    def __init__(self, storage_uri: str = "memory://", *, enroll: str = DEFAULT_ENROLL_RATE,
                 enroll_user: str = DEFAULT_ENROLL_USER_RATE, verify: str = DEFAULT_VERIFY_RATE) -> None:
        self.storage_uri = storage_uri
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))
        self.enroll = Limit("enroll-address", parse(enroll))
        self.enroll_user = Limit("enroll-user", parse(enroll_user))
        self.verify = Limit("verify-address", parse(verify))

    @classmethod
    def from_env(cls) -> RateLimits:
        return cls(os.environ.get(RATE_STORAGE_ENV) or "memory://",
                   enroll=os.environ.get(ENROLL_RATE_ENV) or DEFAULT_ENROLL_RATE,
                   enroll_user=os.environ.get(ENROLL_USER_RATE_ENV) or DEFAULT_ENROLL_USER_RATE,
                   verify=os.environ.get(VERIFY_RATE_ENV) or DEFAULT_VERIFY_RATE)

    def take(self, limit: Limit, key: str) -> float:
        """0 when the request may go ahead (and counts it), else the seconds until one may."""
        if self._limiter.hit(limit.item, limit.name, key):
            return 0.0
        reset = self._limiter.get_window_stats(limit.item, limit.name, key).reset_time
        return max(1.0, reset - utcnow().timestamp())

