"""Attachment routes: which hashes the server holds, small files in batches, large ones in chunks."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from fieldapp import protocol
from fieldapp.protocol import ErrorCode
from fieldapp.server.api.auth import Token, device
from fieldapp.server.api.errors import ERROR_RESPONSES
from fieldapp.server.api.state import server_state
from fieldapp.server.db import Attachment, utcnow
from fieldapp.server.errors import Invalid, TooLarge
from fieldapp.server.services import attachments as attachment_store

router = APIRouter(responses=ERROR_RESPONSES)

CHUNK_TOO_LARGE = f"a chunk may hold at most {protocol.MAX_CHUNK} bytes"


def _status(attachment: Attachment) -> protocol.AttachmentStatus:
    return protocol.AttachmentStatus(sha256=attachment.sha256, size=attachment.size, received=attachment.received,
                                     complete=attachment.complete, server_time=utcnow())


# Registered before PATH_ATTACHMENT so "held" and "batch" are never read as a hash.
@router.post(protocol.PATH_ATTACHMENTS_HELD, response_model=protocol.AttachmentHeld)
def attachments_held(request: Request, token: Token, body: protocol.AttachmentQuery) -> protocol.AttachmentHeld:
    with server_state(request).transaction() as session:
        device(session, request, token)
        return protocol.AttachmentHeld(held=attachment_store.held(session, body.sha256), server_time=utcnow())


@router.post(protocol.PATH_ATTACHMENTS_BATCH, response_model=protocol.AttachmentBatchResult)
def attachments_batch(request: Request, token: Token, body: protocol.AttachmentBatch) -> protocol.AttachmentBatchResult:
    decoded = attachment_store.decode_batch(body.items)  # hashing happens outside the transaction
    if sum(len(data) for _, data, _ in decoded if data) > protocol.MAX_BATCH_BYTES:
        raise TooLarge(f"an attachment batch may hold at most {protocol.MAX_BATCH_BYTES} bytes")
    with server_state(request).transaction() as session:
        results = attachment_store.store_batch(session, device(session, request, token), decoded)
    return protocol.AttachmentBatchResult(results=results, server_time=utcnow())


@router.post(protocol.PATH_ATTACHMENTS, response_model=protocol.AttachmentStatus)
def create_attachment(request: Request, token: Token, body: protocol.AttachmentCreate) -> protocol.AttachmentStatus:
    with server_state(request).transaction() as session:
        return _status(attachment_store.create(session, device(session, request, token), body))


@router.get(protocol.PATH_ATTACHMENT, response_model=protocol.AttachmentStatus)
def attachment_status(request: Request, token: Token, sha256: str) -> protocol.AttachmentStatus:
    with server_state(request).transaction() as session:
        device(session, request, token)
        return _status(attachment_store.get(session, sha256.lower()))


@router.put(
    protocol.PATH_ATTACHMENT,
    response_model=protocol.AttachmentStatus,
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}
    },
)
async def upload_chunk(request: Request, token: Token, sha256: str,
                       offset: Annotated[int, Query(ge=0)]) -> protocol.AttachmentStatus:
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > protocol.MAX_CHUNK:
        raise TooLarge(CHUNK_TOO_LARGE)
    data = bytearray()
    async for piece in request.stream():
        data.extend(piece)
        if len(data) > protocol.MAX_CHUNK:
            raise TooLarge(CHUNK_TOO_LARGE)

    def work() -> tuple[protocol.AttachmentStatus, bool]:
        with server_state(request).transaction() as session:
            attachment, failed = attachment_store.put_chunk(session, device(session, request, token), sha256.lower(),
                                                            offset, bytes(data))
            return _status(attachment), failed

    status, failed = await run_in_threadpool(work)
    if failed:  # committed: the partial upload is gone, the device starts again at 0
        raise Invalid("the uploaded bytes do not match the attachment's SHA-256; upload it again",
                      code=ErrorCode.hash_mismatch)
    return status
