"""Attachment uploads over real HTTP: chunked, resumable at the server's offset, verified by SHA-256."""

from __future__ import annotations

import hashlib
import os

from fieldapp import protocol
from server_fixtures import LiveServer, enroll_device


def test_chunked_upload_resumes_and_completes(module_server: LiveServer) -> None:
    device = enroll_device(module_server)
    data = os.urandom(100_000)
    sha = hashlib.sha256(data).hexdigest()

    assert device.get(f"/attachments/{sha}").status_code == 404
    created = device.post("/attachments", json={"sha256": sha, "size": len(data), "content_type": "image/png"})
    assert created.status_code == 200, created.text
    assert created.json()["received"] == 0 and created.json()["complete"] is False
    # announcing again is idempotent
    assert device.post("/attachments", json={"sha256": sha, "size": len(data)}).json()["received"] == 0

    first = device.put(f"/attachments/{sha}", params={"offset": 0}, data=data[:40_000])
    assert first.status_code == 200 and first.json()["received"] == 40_000

    # the answer to a chunk was lost and the device sends it again: the server says where to go on
    repeat = device.put(f"/attachments/{sha}", params={"offset": 0}, data=data[:40_000])
    assert repeat.status_code == 409
    body = protocol.ErrorBody.model_validate(repeat.json())
    assert body.error.code == protocol.ErrorCode.offset_mismatch and body.error.received == 40_000

    # after a restart of the device it asks for the status and resumes there
    status = protocol.AttachmentStatus.model_validate(device.get(f"/attachments/{sha}").json())
    assert status.received == 40_000 and not status.complete
    second = device.put(f"/attachments/{sha}", params={"offset": 40_000}, data=data[40_000:80_000])
    last = device.put(f"/attachments/{sha}", params={"offset": 80_000}, data=data[80_000:])
    assert second.status_code == 200 and last.status_code == 200, last.text
    assert last.json() | {"server_time": None} == {"sha256": sha, "size": len(data), "received": len(data), "complete": True, "server_time": None}

    # a retry of the final chunk after completion is harmless; announcing again reports complete
    assert device.put(f"/attachments/{sha}", params={"offset": 80_000}, data=data[80_000:]).json()["complete"] is True
    assert device.post("/attachments", json={"sha256": sha, "size": len(data)}).json()["complete"] is True
    unknown = hashlib.sha256(b"never announced").hexdigest()
    assert device.put(f"/attachments/{unknown}", params={"offset": 0}, data=b"x").status_code == 404


def test_hash_mismatch_discards_the_upload(module_server: LiveServer) -> None:
    device = enroll_device(module_server)
    data = os.urandom(5000)
    sha = hashlib.sha256(data).hexdigest()
    assert device.post("/attachments", json={"sha256": sha, "size": len(data)}).status_code == 200
    assert device.put(f"/attachments/{sha}", params={"offset": 0}, data=data[:2500]).status_code == 200
    corrupt = bytes(b ^ 0xFF for b in data[2500:])
    bad = device.put(f"/attachments/{sha}", params={"offset": 2500}, data=corrupt)
    assert bad.status_code == 422
    assert protocol.ErrorBody.model_validate(bad.json()).error.code == protocol.ErrorCode.hash_mismatch
    assert protocol.HEADER_SERVER_TIME in bad.headers
    assert device.get(f"/attachments/{sha}").json()["received"] == 0

    # beyond the announced size is refused; the whole thing uploaded again in one chunk completes
    assert device.put(f"/attachments/{sha}", params={"offset": 0}, data=data + b"!").status_code == 422
    good = device.put(f"/attachments/{sha}", params={"offset": 0}, data=data)
    assert good.status_code == 200 and good.json()["complete"] is True


def test_empty_attachment_and_bad_requests(module_server: LiveServer) -> None:
    device = enroll_device(module_server)
    empty = hashlib.sha256(b"").hexdigest()
    assert device.post("/attachments", json={"sha256": empty, "size": 0}).json()["complete"] is True
    assert device.post("/attachments", json={"sha256": "XYZ", "size": 1}).status_code == 422
    data = b"abc"
    sha = hashlib.sha256(data).hexdigest()
    assert device.post("/attachments", json={"sha256": sha, "size": 3}).status_code == 200
    assert device.post("/attachments", json={"sha256": sha, "size": 4}).status_code == 422
    big = device.put(f"/attachments/{sha}", params={"offset": 0}, data=b"x" * (protocol.MAX_CHUNK + 1))
    assert big.status_code == 413
