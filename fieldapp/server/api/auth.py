"""Who is calling, as route dependencies: the client's version, the device's bearer token, a lead.

``bearer_token`` refuses a request without a token before any database work; the device and
user behind it are looked up inside the route's transaction (``device``/``lead``), so the
last-seen time commits with the request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from fieldapp import protocol
from fieldapp.server.api.state import server_state
from fieldapp.server.db import Device, User
from fieldapp.server.errors import NotAuthenticated, TooOld
from fieldapp.server.services import devices


def require_current_client(request: Request) -> None:
    """426 for a client older than the minimum; used on hello, enroll and pull, never on uploads."""
    minimum = server_state(request).min_client_version
    header = request.headers.get(protocol.HEADER_CLIENT)
    if not minimum or not header:
        return
    if protocol.parse_version(header) < protocol.parse_version(minimum):
        raise TooOld(f"this version of FieldApp is too old for the server: please update to version {minimum} or "
                     "newer. Data already collected can still be sent.")


def bearer_token(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated(devices.NO_TOKEN_MESSAGE)
    return token.strip()


#: A route parameter: the caller's device token (401 when there is none).
Token = Annotated[str, Depends(bearer_token)]


def device(session: Session, request: Request, token: str) -> Device:
    return devices.authenticate(session, token, request.headers.get(protocol.HEADER_CLIENT))


def lead(session: Session, request: Request, token: str) -> User:
    return devices.lead_of(session, device(session, request, token))
