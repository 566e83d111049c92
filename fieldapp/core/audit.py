"""The audit chain: every step, answer, override and print hashed onto the event before it.

Each device keeps one chain. An event's hash is the SHA-256 of the canonical JSON of all its
fields including ``prev_hash``, so editing, removing or reordering any event breaks the chain at
that point, and ``verify`` says where. Pure: storing and syncing events is done elsewhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fieldapp.core.canonical import content_hash

GENESIS = "0" * 64


def _jsonable(value: Any) -> Any:
    """Detail values as canonical JSON can hash them: datetimes in UTC ISO, Decimals as strings."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("audit times must be timezone-aware")
        return value.astimezone(dt.timezone.utc).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float):
        raise TypeError("no floats in audit details (amounts are Decimal or minor units)")
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, bool)):
        return value
    raise TypeError(f"cannot put {type(value).__name__} in an audit event")


@dataclass(frozen=True)
class AuditEvent:
    """Who did what, when, on which device; ``hash`` is set at creation and kept with the event."""

    who: str
    device: str
    action: str
    detail: Mapping[str, Any]
    at: dt.datetime
    prev_hash: str
    hash: str = field(default="")

    def __post_init__(self) -> None:
        object.__setattr__(self, "detail", _jsonable(dict(self.detail)))
        if self.at.tzinfo is None or self.at.utcoffset() is None:
            raise ValueError("audit times must be timezone-aware")
        object.__setattr__(self, "at", self.at.astimezone(dt.timezone.utc))
        if not self.hash:
            object.__setattr__(self, "hash", self.computed_hash())

    def body(self) -> dict[str, Any]:
        """The hashed content: every field except ``hash`` itself."""
        return {"who": self.who, "device": self.device, "action": self.action, "detail": self.detail,
                "at": self.at.isoformat(), "prev_hash": self.prev_hash}

    def computed_hash(self) -> str:
        return content_hash(self.body())

    def to_dict(self) -> dict[str, Any]:
        return {**self.body(), "hash": self.hash}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AuditEvent:
        """Rebuild an event as stored; its stored ``hash`` is kept so ``verify`` can catch edits."""
        return cls(who=data["who"], device=data["device"], action=data["action"], detail=data.get("detail") or {},
                   at=dt.datetime.fromisoformat(data["at"]), prev_hash=data["prev_hash"], hash=data.get("hash", ""))


def verify(events: Sequence[AuditEvent | Mapping[str, Any]], start_hash: str = GENESIS, *,
           head: str | None = None) -> int | None:
    """Index of the first event that breaks the chain, or None if it is whole.

    An event breaks it when its stored hash does not match its content (edited) or its
    ``prev_hash`` is not the hash of the event before it (removed or reordered). ``start_hash`` is
    the hash the first given event must follow (GENESIS for a whole chain; the last verified hash
    when checking a continuation). Removing events from the end leaves a whole chain; pass the
    ``head`` hash known from elsewhere (e.g. the device's last push) to catch that: a mismatch
    returns ``len(events)``.
    """
    expected = start_hash
    for index, item in enumerate(events):
        event = item if isinstance(item, AuditEvent) else AuditEvent.from_dict(item)
        if event.prev_hash != expected or event.hash != event.computed_hash():
            return index
        expected = event.hash
    if head is not None and expected != head:
        return len(events)
    return None


class AuditChain:
    """Appends events to one device's chain; holds them in memory (the store persists them)."""

    def __init__(self, events: Iterable[AuditEvent] = (), *, start_hash: str = GENESIS) -> None:
        self._start = start_hash
        self._events: list[AuditEvent] = list(events)
        broken = verify(self._events, start_hash)
        if broken is not None:
            raise ValueError(f"audit chain is broken at event {broken}")

    @property
    def head(self) -> str:
        """Hash the next event will follow."""
        return self._events[-1].hash if self._events else self._start

    @property
    def events(self) -> list[AuditEvent]:
        return list(self._events)

    def append(self, who: str, device: str, action: str, detail: Mapping[str, Any], at: dt.datetime) -> AuditEvent:
        """Hash a new event onto the head and return it (store it in the same transaction as the change)."""
        event = AuditEvent(who=who, device=device, action=action, detail=detail, at=at, prev_hash=self.head)
        self._events.append(event)
        return event

    def verify(self) -> int | None:
        return verify(self._events, self._start)

    def __len__(self) -> int:
        return len(self._events)


__all__ = ("GENESIS", "AuditChain", "AuditEvent", "verify")
