"""Each device's audit chain checked on receipt: events must link up and hash to what they say (issue 4)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldapp import protocol
from fieldapp.core.audit import GENESIS, AuditEvent
from fieldapp.server.db import (
    AuditChain,
    Device,
    User,
    audit,
    insert_ignoring_conflict,
    utcnow,
)


def _chain(session: Session, device_id: uuid.UUID) -> AuditChain:
    insert_ignoring_conflict(
        session, AuditChain.__table__,
        dict(device_id=device_id, head_hash=GENESIS, length=0, updated_at=utcnow(), broken_event="", broken_reason=""),
        ["device_id"],
    )
    chain = session.scalars(select(AuditChain).where(AuditChain.device_id == device_id).with_for_update()).one()
    return chain


def extend(session: Session, device: Device, payloads: Sequence[dict[str, Any]]) -> AuditChain | None:
    """Append newly accepted events (in the order the device made them) to the device's chain.

    A break (an event edited, removed, reordered, or naming another device) is recorded with the
    first event that shows it and audited; the events are kept all the same, and checking goes on
    from the breaking event so a later break is not hidden behind the first.
    """
    if not payloads:
        return None
    chain = _chain(session, device.id)
    now = utcnow()
    for payload in payloads:
        problem = ""
        try:
            event = AuditEvent.from_dict(payload)
        except (KeyError, TypeError, ValueError) as exc:
            problem, event = f"an event could not be read ({exc})", None
        if event is not None:
            if event.hash != event.computed_hash():
                problem = "an event's content does not match its hash (edited after it was written)"
            elif event.prev_hash != chain.head_hash:
                problem = ("an event does not follow the one before it (events removed, reordered or the "
                           "device's data restored from an older copy)")
            elif event.device != str(device.id):
                problem = "an event names another device"
        if problem and chain.broken_at is None:
            chain.broken_at = now
            chain.broken_event = str(payload.get("hash", ""))[:64]
            chain.broken_reason = problem
            audit(session, "system", "audit-chain-broken", f"device:{device.id}", event=chain.broken_event, reason=problem)
        chain.head_hash = str(payload.get("hash", chain.head_hash))[:64]
        chain.length += 1
    chain.updated_at = now
    return chain


def chain_statuses(session: Session, *, team_id: int | None = None, all_teams: bool = False) -> list[protocol.AuditChainStatus]:
    """Chain states of every device (``all_teams``) or of the devices of ``team_id``'s users."""
    stmt = select(AuditChain, User.username).join(Device, Device.id == AuditChain.device_id).join(User, User.id == Device.user_id)
    if not all_teams:
        stmt = stmt.where(User.team_id == team_id)
    return [
        protocol.AuditChainStatus(
            device_id=chain.device_id, username=username, length=chain.length, head_hash=chain.head_hash,
            broken=chain.broken_at is not None, broken_at=chain.broken_at, broken_event=chain.broken_event,
            broken_reason=chain.broken_reason,
        )
        for chain, username in session.execute(stmt.order_by(User.username, AuditChain.device_id))
    ]
