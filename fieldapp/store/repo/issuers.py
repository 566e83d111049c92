"""Issuer profiles the server published (fieldapp.core.issuers): what this laptop prints notices from."""

# Like every writer in fieldapp.store.repo: takes the caller's Session and does not commit.

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldapp.core.issuers import IssuerProfile
from fieldapp.core.verification import NoticeError
from fieldapp.store.models import Meta

log = logging.getLogger(__name__)

#: Meta keys ``issuer:<first 16 hex of the creditor's SHA-256>`` hold one profile each (wire form).
ISSUER_PREFIX = "issuer:"


def _key(creditor: str) -> str:
    return ISSUER_PREFIX + hashlib.sha256(creditor.encode("utf-8")).hexdigest()[:16]


def save_issuer_profiles(session: Session, records: Iterable[Any]) -> int:
    """Keep the profiles of a pull (protocol.IssuerProfileRecord or their dicts); one that does not
    verify against its hash is skipped and logged. Returns how many were kept."""
    kept = 0
    for record in records:
        data = record.model_dump() if hasattr(record, "model_dump") else dict(record)
        try:
            profile = IssuerProfile.from_wire(data)
        except NoticeError as exc:
            log.warning("issuer profile for %r not kept: %s", data.get("creditor"), exc)
            continue
        row = session.get(Meta, _key(profile.creditor))
        text = json.dumps(profile.to_wire(), ensure_ascii=False)
        if row is None:
            session.add(Meta(key=_key(profile.creditor), value=text))
        else:
            row.value = text  # type: ignore[assignment]
        kept += 1
    return kept


def issuer_profiles(session: Session) -> dict[str, IssuerProfile]:
    """Every profile this laptop holds, by creditor."""
    out: dict[str, IssuerProfile] = {}
    for value in session.scalars(select(Meta.value).where(Meta.key.startswith(ISSUER_PREFIX))):
        try:
            profile = IssuerProfile.from_wire(json.loads(value))
        except (ValueError, NoticeError) as exc:  # a damaged entry: as if it were not there
            log.warning("a stored issuer profile cannot be read: %s", exc)
            continue
        out[profile.creditor] = profile
    return out
