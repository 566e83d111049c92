"""Enrolling a laptop: a user's password and a one-time code become a device and its token."""

from __future__ import annotations

import uuid
from functools import cache

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fieldapp import protocol
from fieldapp.protocol import ErrorCode
from fieldapp.server.db import Device, EnrollmentCode, Team, User, audit, utcnow
from fieldapp.server.errors import NotAuthenticated
from fieldapp.server.security import (
    code_hash,
    hash_password,
    new_device_token,
    token_hash,
    verify_password,
)
from fieldapp.server.services import escrow

#: Every failure says the same, after the same work: a different answer (or a faster one) for an
#: unknown name, a wrong password or a spent code would tell an attacker which one was right.
REFUSED_MESSAGE = ("the username, password or enrollment code is not right, or the code was used or has expired; "
                   "check them, or ask your administrator for a new code")


@cache
def _dummy_hash() -> str:
    """What verify_password checks when the name is unknown, so an unknown name costs what a known one does."""
    return hash_password("not a password: a known name and an unknown one take equally long")


def _refused() -> NotAuthenticated:
    return NotAuthenticated(REFUSED_MESSAGE, code=ErrorCode.enrollment_invalid)


def enroll(session: Session, body: protocol.EnrollRequest, escrow_key: bytes) -> protocol.EnrollResponse:
    """A new device for the user, consuming the code; NotAuthenticated (enrollment_invalid) says why not."""
    token = new_device_token()
    user = session.scalars(select(User).where(User.username == body.username.strip())).one_or_none()
    password_ok = verify_password(user.password_hash if user is not None else _dummy_hash(), body.password)
    now = utcnow()
    code = session.scalars(select(EnrollmentCode).where(EnrollmentCode.code_hash == code_hash(body.code))).one_or_none()
    if (user is None or not user.active or not password_ok or code is None or code.user_id != user.id
            or code.used_at is not None or code.expires_at <= now):
        raise _refused()
    device_id = uuid.uuid4()
    sealed = escrow.seal(escrow_key, device_id, bytes.fromhex(body.escrow_key)) if body.escrow_key is not None else None
    # Consume the code with a guarded UPDATE so two devices racing on one code cannot both win.
    taken = session.execute(
        update(EnrollmentCode)
        .where(EnrollmentCode.id == code.id, EnrollmentCode.used_at.is_(None))
        .values(used_at=now, device_id=device_id)
        .returning(EnrollmentCode.id)
    ).first()
    if taken is None:
        raise _refused()
    session.add(Device(
        id=device_id, user_id=user.id, name=body.device_name or "device", token_hash=token_hash(token),
        client_version=body.client_version, created_at=now, last_seen_at=now,
        escrow_key_id=escrow.key_id(escrow_key) if sealed is not None else None, escrow_sealed_key=sealed,
    ))
    audit(session, f"user:{user.username}", "enroll-device", f"device:{device_id}", name=body.device_name,
          key_escrowed=sealed is not None)
    team = session.get(Team, user.team_id) if user.team_id else None
    return protocol.EnrollResponse(
        device_id=device_id, device_token=token, username=user.username, display_name=user.display_name,
        role=user.role,  # type: ignore[arg-type]
        team=team.name if team else None, work_zone=team.time_zone if team else None, server_time=utcnow(),
    )
