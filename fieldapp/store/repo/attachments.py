"""Attachments (photos, signatures, PDFs) kept as encrypted blobs beside the store."""

# Like every writer in fieldapp.store.repo: takes the caller's Session and does not commit.

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from fieldapp.store.blobs import read_blob, write_blob
from fieldapp.store.models import Attachment
from fieldapp.store.repo.common import now_utc

if TYPE_CHECKING:
    from fieldapp.store.db import DeviceStore


def add_attachment(
    session: Session, store: DeviceStore, data: bytes | Path, content_type: str = "application/octet-stream"
) -> Attachment:
    """Copy ``data`` (encrypted) into the attachment folder under its SHA-256; idempotent by hash."""
    sha, size, path = write_blob(store.attachments_dir, store.attachment_key(), data)
    existing = session.get(Attachment, sha)
    if existing is not None:
        if existing.confirmed:
            # The server already holds these bytes; the copy just written is not needed.
            path.unlink(missing_ok=True)
        return existing
    attachment = Attachment(
        sha256=sha, path=path.name, size=size, content_type=content_type, created_at=now_utc(), confirmed=False
    )
    session.add(attachment)
    session.flush()
    return attachment


def attachment_path(store: DeviceStore, attachment: Attachment) -> Path:
    return store.attachments_dir / attachment.path


def read_attachment(store: DeviceStore, attachment: Attachment, offset: int = 0, length: int | None = None) -> bytes:
    """The plaintext bytes of a local attachment (raises BlobError once the bytes were confirmed and deleted)."""
    return read_blob(attachment_path(store, attachment), store.attachment_key(), offset, length)
