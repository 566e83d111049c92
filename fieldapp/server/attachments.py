"""Content-addressed, resumable attachment uploads stored in the database in chunks (PRODUCT.md §7.7)."""

from __future__ import annotations

import hashlib

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from fieldapp import protocol
from fieldapp.protocol import ErrorCode
from fieldapp.server.db import Attachment, AttachmentChunk, Device, audit, insert_ignoring_conflict, utcnow
from fieldapp.server.errors import ApiError

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def _locked(session: Session, sha256: str) -> Attachment | None:
    # FOR UPDATE serialises chunks of one upload across workers on PostgreSQL (ignored on SQLite,
    # whose writers are serial anyway).
    return session.scalars(select(Attachment).where(Attachment.sha256 == sha256).with_for_update()).one_or_none()


def create(session: Session, device: Device, spec: protocol.AttachmentCreate) -> Attachment:
    """Announce an upload; idempotent for the same hash and size."""
    now = utcnow()
    insert_ignoring_conflict(
        session,
        Attachment.__table__,
        dict(sha256=spec.sha256, size=spec.size, content_type=spec.content_type, received=0, complete=False,
             device_id=device.id, created_at=now),
        ["sha256"],
    )
    attachment = _locked(session, spec.sha256)
    assert attachment is not None
    if attachment.size != spec.size:
        raise ApiError(422, ErrorCode.bad_request,
                       f"this attachment was announced before with {attachment.size} bytes, not {spec.size}")
    if attachment.size == 0 and not attachment.complete:
        if attachment.sha256 != EMPTY_SHA256:
            raise ApiError(422, ErrorCode.hash_mismatch, "an empty attachment cannot have this SHA-256")
        attachment.complete, attachment.completed_at = True, now
    return attachment


def get(session: Session, sha256: str) -> Attachment:
    attachment = session.get(Attachment, sha256)
    if attachment is None:
        raise ApiError(404, ErrorCode.not_found, "the server has no attachment with this SHA-256; announce it first")
    return attachment


def put_chunk(session: Session, device: Device, sha256: str, offset: int, data: bytes) -> tuple[Attachment, bool]:
    """Append ``data`` at ``offset``. Returns (attachment, hash_failed).

    When the last byte arrives the whole content is hashed; on a mismatch every chunk is discarded
    (the caller commits that, then answers 422) so the device can upload again from zero.
    """
    attachment = _locked(session, sha256)
    if attachment is None:
        raise ApiError(404, ErrorCode.not_found, "the server has no attachment with this SHA-256; announce it first")
    if attachment.complete:
        return attachment, False  # a retry after the final chunk's answer was lost
    if len(data) > protocol.MAX_CHUNK:
        raise ApiError(413, ErrorCode.bad_request, f"a chunk may hold at most {protocol.MAX_CHUNK} bytes")
    if offset != attachment.received:
        raise ApiError(409, ErrorCode.offset_mismatch,
                       f"the upload continues at byte {attachment.received}, not {offset}", received=attachment.received)
    if offset + len(data) > attachment.size:
        raise ApiError(422, ErrorCode.bad_request, f"the attachment has only {attachment.size} bytes")
    if not data:
        return attachment, False
    session.add(AttachmentChunk(sha256=sha256, offset=offset, data=data))
    attachment.received = offset + len(data)
    if attachment.received < attachment.size:
        return attachment, False
    session.flush()
    digest = hashlib.sha256()
    chunks = session.execute(
        select(AttachmentChunk.data).where(AttachmentChunk.sha256 == sha256).order_by(AttachmentChunk.offset)
        .execution_options(yield_per=4)
    )
    for (chunk,) in chunks:
        digest.update(chunk)
    if digest.hexdigest() != sha256:
        session.execute(delete(AttachmentChunk).where(AttachmentChunk.sha256 == sha256))
        attachment.received = 0
        audit(session, f"device:{device.id}", "attachment-hash-mismatch", sha256)
        return attachment, True
    attachment.complete, attachment.completed_at = True, utcnow()
    audit(session, f"device:{device.id}", "attachment-complete", sha256, size=attachment.size)
    return attachment, False
