"""Issuer profiles on the server: published by an admin, pulled by every laptop, named by the public page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldapp import protocol
from fieldapp.core.issuers import IssuerProfile
from fieldapp.server.db import Issuer, audit, next_sequence, utcnow


def set_issuer(session: Session, profile: IssuerProfile, actor: str) -> bool:
    """Publish ``profile`` for its creditor (replacing the one before); False when it is unchanged.
    Audited; every laptop receives it with its next pull."""
    row = session.get(Issuer, profile.creditor)
    digest = profile.content_hash
    if row is not None and row.content_hash == digest:
        return False
    seq = next_sequence(session)
    wire = profile.to_wire()
    if row is None:
        session.add(Issuer(creditor=profile.creditor, profile=wire, content_hash=digest, seq=seq, updated_at=utcnow(),
                           updated_by=actor))
    else:
        row.profile, row.content_hash, row.seq, row.updated_at, row.updated_by = wire, digest, seq, utcnow(), actor
    audit(session, actor, "set-issuer", f"creditor:{profile.creditor}", content_hash=digest, demo=profile.demo)
    return True


def profile_for(session: Session, creditor: str) -> IssuerProfile | None:
    row = session.get(Issuer, creditor) if creditor else None
    return IssuerProfile.from_wire(row.profile) if row is not None else None


def listing(session: Session) -> list[dict[str, Any]]:
    return [{"creditor": row.creditor, "content_hash": row.content_hash, "updated_at": row.updated_at.isoformat(),
             "updated_by": row.updated_by, "demo": bool(row.profile.get("demo"))}
            for row in session.scalars(select(Issuer).order_by(Issuer.creditor))]


def to_record(row: Issuer) -> protocol.IssuerProfileRecord:
    return protocol.IssuerProfileRecord.model_validate(row.profile)
