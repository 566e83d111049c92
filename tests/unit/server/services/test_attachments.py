"""Attachment uploads over real HTTP: chunked, resumable at the server's offset, verified by SHA-256."""

from __future__ import annotations

import hashlib
import os

from server_fixtures import LiveServer, enroll_device

from fieldapp import protocol


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


def _item(data: bytes, sha: str | None = None) -> dict[str, str]:
    import base64

    return {"sha256": sha or hashlib.sha256(data).hexdigest(), "content_type": "image/png",
            "data": base64.b64encode(data).decode("ascii")}


def test_batch_upload_verifies_each_item_and_answers_which_are_held(module_server: LiveServer) -> None:
    device = enroll_device(module_server)
    good = [os.urandom(3000 + i) for i in range(3)]
    wrong = os.urandom(500)
    too_big = os.urandom(protocol.MAX_BATCH_ITEM + 1)
    hashes = [hashlib.sha256(d).hexdigest() for d in good]
    # one of them was started in chunks by an older client and never finished
    assert device.post("/attachments", json={"sha256": hashes[2], "size": len(good[2])}).status_code == 200
    assert device.put(f"/attachments/{hashes[2]}", params={"offset": 0}, data=good[2][:1000]).status_code == 200

    asked = hashes + [hashlib.sha256(wrong).hexdigest()]
    assert device.post("/attachments/held", json={"sha256": asked}).json()["held"] == []

    body = {"items": [_item(good[0]), _item(good[1]), _item(good[2]), _item(wrong, "a" * 64), _item(too_big)]}
    answer = device.post("/attachments/batch", json=body)
    assert answer.status_code == 200, answer.text
    results = protocol.AttachmentBatchResult.model_validate(answer.json()).results
    assert [r.status.value for r in results] == ["stored", "stored", "stored", "hash_mismatch", "rejected"]
    assert "chunks" in (results[4].reason or "")

    # the same batch again: everything held, nothing stored twice
    again = device.post("/attachments/batch", json={"items": [_item(d) for d in good]}).json()["results"]
    assert [r["status"] for r in again] == ["held"] * 3
    assert device.post("/attachments/held", json={"sha256": asked}).json()["held"] == hashes
    for data, sha in zip(good, hashes):
        status = device.get(f"/attachments/{sha}").json()
        assert status["complete"] and status["received"] == status["size"] == len(data)
    assert device.get("/attachments/" + "a" * 64).status_code == 404

    # a hash that is not hex is a bad request; no token, no answer
    assert device.post("/attachments/held", json={"sha256": ["XYZ"]}).status_code == 422
    import requests

    anonymous = requests.post(module_server.api_url + "/attachments/held", json={"sha256": hashes}, timeout=30)
    assert anonymous.status_code == 401


def test_an_upload_in_progress_belongs_to_the_device_that_announced_it(module_server: LiveServer) -> None:
    """Another laptop that knows the hash can neither block nor reset it (issue 11)."""
    owner, other = enroll_device(module_server), enroll_device(module_server)
    data = os.urandom(50_000)
    sha = hashlib.sha256(data).hexdigest()
    assert owner.post("/attachments", json={"sha256": sha, "size": len(data)}).status_code == 200
    assert owner.put(f"/attachments/{sha}", params={"offset": 0}, data=data[:20_000]).status_code == 200
    # the other device's announcement and bytes are refused; wrong final bytes cannot discard the owner's
    taken = other.post("/attachments", json={"sha256": sha, "size": len(data)})
    assert taken.status_code == 409 and "another device is uploading" in taken.json()["error"]["message"]
    reset = other.put(f"/attachments/{sha}", params={"offset": 20_000}, data=os.urandom(30_000))
    assert reset.status_code == 409
    assert owner.get(f"/attachments/{sha}").json()["received"] == 20_000
    done = owner.put(f"/attachments/{sha}", params={"offset": 20_000}, data=data[20_000:])
    assert done.status_code == 200 and done.json()["complete"] is True
    # once complete, it is everyone's: announcing the same file again is fine
    assert other.post("/attachments", json={"sha256": sha, "size": len(data)}).json()["complete"] is True
