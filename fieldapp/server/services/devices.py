"""Which device is calling: a bearer token to its enrolled, active device and user (or why not)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldapp.protocol import ErrorCode
from fieldapp.server.db import Device, Team, User, utcnow
from fieldapp.server.errors import Forbidden, NotAuthenticated
from fieldapp.server.security import token_hash

#: last_seen_at is refreshed at most this often, so reads do not all become writes.
LAST_SEEN_PRECISION = dt.timedelta(seconds=60)

REVOKED_MESSAGE = "this device was revoked by an administrator"
NO_TOKEN_MESSAGE = "this device is not enrolled with the server (no device token)"


def authenticate(session: Session, token: str, client_version: str | None = None) -> Device:
    """The enrolled device behind ``token``; notes when it was last seen and the app version it runs.

    NotAuthenticated for an unknown token, Forbidden for a revoked device or a disabled user.
    """
    if not token:
        raise NotAuthenticated(NO_TOKEN_MESSAGE)
    # One round trip for device and user: every request pays for this.
    row = session.execute(
        select(Device, User.active).join(User, User.id == Device.user_id).where(Device.token_hash == token_hash(token))
    ).one_or_none()
    if row is None:
        raise NotAuthenticated("the server does not know this device; enroll it again")
    device, active = row
    if device.revoked_at is not None:
        raise Forbidden(REVOKED_MESSAGE, code=ErrorCode.device_revoked)
    if not active:
        raise Forbidden("this user account is disabled; ask your administrator")
    now = utcnow()
    if device.last_seen_at is None or now - device.last_seen_at > LAST_SEEN_PRECISION:
        device.last_seen_at = now
    # Keep the version each device runs, so IT can see which laptops still need an update.
    version = (client_version or "").rsplit("/", 1)[-1][:32]
    if version and version != device.client_version:
        device.client_version = version
    return device


def token_known(session: Session, token: str) -> bool:
    """Is ``token`` an enrolled device's (revoked or not: the route says which)? For the guard that
    reads no body before it knows who sends it."""
    return session.scalar(select(Device.id).where(Device.token_hash == token_hash(token))) is not None


def lead_of(session: Session, device: Device) -> User:
    """The lead or admin who holds ``device``; Forbidden for a collector or a lead without a team."""
    user = session.get(User, device.user_id)
    assert user is not None
    if user.role not in ("lead", "admin"):
        raise Forbidden("only a team lead or an administrator may do this")
    if user.role == "lead" and user.team_id is None:
        raise Forbidden("this lead belongs to no team; ask your administrator")
    return user


def team_zone(session: Session, user_id: int) -> str | None:
    """The working time zone of ``user_id``'s team, as the laptops are told it (None: not set)."""
    return session.scalar(select(Team.time_zone).join(User, User.team_id == Team.id).where(User.id == user_id))
