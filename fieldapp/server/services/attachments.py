"""Content-addressed, resumable attachment uploads stored in the database in chunks (PRODUCT.md §7.7)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from fieldapp import protocol
from fieldapp.protocol import ErrorCode
from fieldapp.server.db import (
    Attachment,
    AttachmentChunk,
    Device,
    audit,
    insert_ignoring_conflict,
    insert_many_ignoring_conflict,
    utcnow,
)
from fieldapp.server.errors import Conflict, Invalid, NotFound, TooLarge

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
#: An upload another device announced but left unfinished this long may be taken over.
ABANDONED_AFTER = dt.timedelta(hours=24)


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
        raise Invalid(
            f"this attachment was announced before with {attachment.size} bytes, not {spec.size}")
    if not attachment.complete and attachment.device_id != device.id:
        if now - attachment.created_at < ABANDONED_AFTER:
            raise Conflict("another device is uploading this file; yours will be taken as its copy once that "
                           "upload is complete, try again later")
        # an upload left unfinished that long was abandoned: it starts again, for this device
        session.execute(delete(AttachmentChunk).where(AttachmentChunk.sha256 == attachment.sha256))
        attachment.device_id, attachment.received, attachment.created_at = device.id, 0, now
    if attachment.size == 0 and not attachment.complete:
        if attachment.sha256 != EMPTY_SHA256:
            raise Invalid("an empty attachment cannot have this SHA-256", code=ErrorCode.hash_mismatch)
        attachment.complete, attachment.completed_at = True, now
    return attachment


def get(session: Session, sha256: str) -> Attachment:
    attachment = session.get(Attachment, sha256)
    if attachment is None:
        raise NotFound("the server has no attachment with this SHA-256; announce it first")
    return attachment


def put_chunk(session: Session, device: Device, sha256: str, offset: int, data: bytes) -> tuple[Attachment, bool]:
    """Append ``data`` at ``offset``. Returns (attachment, hash_failed).

    When the last byte arrives the whole content is hashed; on a mismatch every chunk is discarded
    (the caller commits that, then answers 422) so the device can upload again from zero.
    """
    attachment = _locked(session, sha256)
    if attachment is None:
        raise NotFound("the server has no attachment with this SHA-256; announce it first")
    if attachment.complete:
        return attachment, False  # a retry after the final chunk's answer was lost
    if attachment.device_id != device.id:  # only the device that announced it uploads (or resets) it
        raise Conflict("another device is uploading this file; announce it again later")
    if len(data) > protocol.MAX_CHUNK:
        raise TooLarge(f"a chunk may hold at most {protocol.MAX_CHUNK} bytes")
    if offset != attachment.received:
        raise Conflict(f"the upload continues at byte {attachment.received}, not {offset}",
                       code=ErrorCode.offset_mismatch, received=attachment.received)
    if offset + len(data) > attachment.size:
        raise Invalid(f"the attachment has only {attachment.size} bytes")
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


def held(session: Session, hashes: list[str]) -> list[str]:
    """The subset of ``hashes`` held complete and verified, in the order asked."""
    wanted = list(dict.fromkeys(h.lower() for h in hashes))
    if not wanted:
        return []
    complete = set(session.scalars(
        select(Attachment.sha256).where(Attachment.sha256.in_(wanted), Attachment.complete.is_(True))))
    return [h for h in wanted if h in complete]


def decode_batch(items: list[protocol.AttachmentItem]) -> list[tuple[protocol.AttachmentItem, bytes | None, str | None]]:
    """Decode and hash each item before any database work: (item, bytes or None, problem or None).

    A problem is an AttachmentItemStatus value and its reason; the bytes are None when there is one.
    """
    out: list[tuple[protocol.AttachmentItem, bytes | None, str | None]] = []
    for item in items:
        try:
            data = base64.b64decode(item.data, validate=True)
        except (binascii.Error, ValueError):
            out.append((item, None, "the attachment's data is not valid base64"))
            continue
        if len(data) > protocol.MAX_BATCH_ITEM:
            out.append((item, None, f"an attachment larger than {protocol.MAX_BATCH_ITEM} bytes must be uploaded in chunks"))
            continue
        if hashlib.sha256(data).hexdigest() != item.sha256:
            out.append((item, None, HASH_MISMATCH))
            continue
        out.append((item, data, None))
    return out


#: The problem decode_batch reports for bytes that do not hash to their address.
HASH_MISMATCH = "the uploaded bytes do not match the attachment's SHA-256; upload it again"


def store_batch(session: Session, device: Device,
                decoded: list[tuple[protocol.AttachmentItem, bytes | None, str | None]]) -> list[protocol.AttachmentItemResult]:
    """Store verified small attachments in the caller's transaction; one result per item, in order.

    New hashes go in with one multi-row INSERT … ON CONFLICT DO NOTHING (no check-then-insert race);
    a hash another upload started in chunks is completed with these verified bytes instead.
    """
    Status = protocol.AttachmentItemStatus
    results: list[protocol.AttachmentItemResult | None] = [None] * len(decoded)
    todo: dict[str, tuple[protocol.AttachmentItem, bytes]] = {}
    for index, (item, data, problem) in enumerate(decoded):
        if problem is not None:
            status = Status.hash_mismatch if problem == HASH_MISMATCH else Status.rejected
            results[index] = protocol.AttachmentItemResult(sha256=item.sha256, status=status, reason=problem)
        else:
            assert data is not None
            todo.setdefault(item.sha256, (item, data))
    now = utcnow()
    stored: set[str] = set()
    ordered = sorted(todo)  # one lock order for every batch: no deadlock between two devices
    for start in range(0, len(ordered), 400):
        group = ordered[start:start + 400]
        rows = [dict(sha256=sha, size=len(todo[sha][1]), content_type=todo[sha][0].content_type, received=len(todo[sha][1]),
                     complete=True, device_id=device.id, created_at=now, completed_at=now) for sha in group]
        inserted = set(insert_many_ignoring_conflict(session, Attachment.__table__, rows, "sha256"))
        stored |= inserted
        existing = [sha for sha in group if sha not in inserted]
        if existing:
            for attachment in session.scalars(
                select(Attachment).where(Attachment.sha256.in_(existing)).order_by(Attachment.sha256).with_for_update()
            ):
                if attachment.complete:
                    continue
                # Started in chunks and never finished: these verified bytes complete it.
                data = todo[attachment.sha256][1]
                session.execute(delete(AttachmentChunk).where(AttachmentChunk.sha256 == attachment.sha256))
                attachment.size = attachment.received = len(data)
                attachment.complete, attachment.completed_at = True, now
                stored.add(attachment.sha256)
        chunks = [dict(sha256=sha, offset=0, data=todo[sha][1]) for sha in group if sha in stored]
        if chunks:
            session.execute(AttachmentChunk.__table__.insert(), chunks)
    for index, (item, data, problem) in enumerate(decoded):
        if results[index] is None:
            results[index] = protocol.AttachmentItemResult(
                sha256=item.sha256, status=Status.stored if item.sha256 in stored else Status.held)
    if stored:
        audit(session, f"device:{device.id}", "attachments-complete", f"device:{device.id}",
              count=len(stored), bytes=sum(len(todo[sha][1]) for sha in stored), sha256=sorted(stored))
    return [r for r in results if r is not None]
