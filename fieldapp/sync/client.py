"""The device's headless sync client: enroll, push the outbox, pull cases, upload attachments."""

# State lives only in the device store's transactions, never in memory, so a ``kill -9`` at any
# instant leaves a device that the next sync brings to the right state (PRODUCT.md §7).

from __future__ import annotations

import dataclasses
import datetime as dt
import ipaddress
import json
import logging
import random
import socket
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import requests
from pydantic import ValidationError
from sqlalchemy import delete, select

from fieldapp import __version__, protocol
from fieldapp.core.clock import device_now, known_zone
from fieldapp.store import repo
from fieldapp.store.db import DeviceStore, NotEnrolled, StoreError
from fieldapp.store.models import Attachment, Case, OutboxEntry

log = logging.getLogger(__name__)

# Meta keys (inside the encrypted database, never in a plain file).
META_SERVER = "server_url"
META_DEVICE_ID = "device_id"
META_TOKEN = "device_token"
META_USERNAME = "username"
META_DISPLAY_NAME = "display_name"
META_ROLE = "role"
META_TEAM = "team"
META_ENROLLED_AT = "enrolled_at"
META_CURSOR = "pull_cursor"
#: Set while a full resync runs: the generation number cases seen in it are stamped with.
META_RESYNC = "resync_generation"
META_LAST_SYNC = "last_sync"
META_SERVER_TIME = "server_time"
META_CLOCK_SKEW = "clock_skew_seconds"


# ------------------------------------------------------------------------------------------ errors
class SyncError(Exception):
    """A sync failure told in plain language (the message is for the collector)."""


class ServerUnreachable(SyncError):
    def __init__(self, message: str = "the server cannot be reached; your work is kept and will be sent later") -> None:
        super().__init__(message)


class DeviceRevoked(SyncError):
    def __init__(
        self, message: str = "this device was revoked by an administrator; its local data has been wiped"
    ) -> None:
        super().__init__(message)


class DeviceNotRecognised(SyncError):
    def __init__(self, message: str = "the server does not recognise this device; enroll it again") -> None:
        super().__init__(message)


class ClientTooOld(SyncError):
    def __init__(
        self,
        message: str = "this version of FieldApp is too old for the server; your work was sent, "
        "but update the app to receive cases",
    ) -> None:
        super().__init__(message)


class EnrollmentFailed(SyncError):
    pass


class ServerError(SyncError):
    pass


# ------------------------------------------------------------------------------------------ events
@dataclasses.dataclass(frozen=True)
class SyncStarted:
    pass


@dataclasses.dataclass(frozen=True)
class SyncProgress:
    phase: str  # "push" | "pull" | "attachments"
    done: int
    total: int | None


@dataclasses.dataclass
class SyncReport:
    pushed: int = 0
    accepted: int = 0
    duplicate: int = 0
    conflict: int = 0
    rejected: int = 0
    cases_received: int = 0
    cases_removed: int = 0
    attachments_uploaded: int = 0
    server_time: dt.datetime | None = None
    clock_skew_seconds: float | None = None
    finished_at: dt.datetime | None = None
    full_resync: bool = False
    forms_received: int = 0
    #: Forms that could not be taken this time, one plain sentence each.
    form_errors: list[str] = dataclasses.field(default_factory=list)
    #: Attachments that could not be sent this time, one plain sentence each.
    attachment_errors: list[str] = dataclasses.field(default_factory=list)

    def summary(self) -> str:
        parts = [
            f"sent {self.pushed} (accepted {self.accepted}, duplicate {self.duplicate}, "
            f"rejected {self.rejected}, conflict {self.conflict})",
            f"received {self.cases_received} cases, removed {self.cases_removed}",
            f"uploaded {self.attachments_uploaded} attachments",
        ]
        if self.forms_received:
            parts.append(f"received {self.forms_received} form versions")
        return "; ".join(parts)


@dataclasses.dataclass(frozen=True)
class SyncFinished:
    report: SyncReport


@dataclasses.dataclass(frozen=True)
class SyncFailed:
    error: Exception


# ------------------------------------------------------------------------------------------ helpers
#: Failures of the network, not of the request: the same request may succeed when sent again.
_TRANSIENT = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)


def _utcnow() -> dt.datetime:
    return device_now()


def _is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def normalise_server_url(url: str) -> str:
    """``https://host[:port]`` without a trailing slash; plain http only on loopback (PRODUCT.md §8)."""
    url = url.strip()
    if "://" not in url:
        url = "https://" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EnrollmentFailed(f"{url!r} is not a server address (expected https://host:port)")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise EnrollmentFailed(
            f"the server {parts.hostname} must be reached over TLS: use https:// (plain http only works on this machine)"
        )
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def _error_detail(response: requests.Response) -> protocol.ErrorDetail | None:
    try:
        return protocol.ErrorBody.model_validate(response.json()).error
    except (ValueError, ValidationError):
        return None


def _parse_server_time(response: requests.Response) -> dt.datetime | None:
    value = response.headers.get(protocol.HEADER_SERVER_TIME)
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _http_session(session: requests.Session | None) -> requests.Session:
    http = session or requests.Session()
    http.headers[protocol.HEADER_CLIENT] = protocol.client_header_value(__version__)
    return http


# ------------------------------------------------------------------------------------------ enroll
def enroll(
    server_url: str,
    code: str,
    username: str,
    password: str,
    secret: str,
    *,
    device_name: str | None = None,
    data_dir: Any = None,
    timeout: tuple[float, float] = (5, 30),
    session: requests.Session | None = None,
) -> DeviceStore:
    """Exchange a one-time code and the user's password for a device token; create the store on success.

    The database key is made first and sent in the request, so the server escrows it (IT can then
    recover unsynced work when the PIN is forgotten, PRODUCT.md §8); it travels only over TLS off
    loopback (normalise_server_url). The store (and its key file) is created with that same key only
    after the server said yes, so a typo in the code leaves nothing behind. The token goes into the
    encrypted database, never into a plain file.
    """
    from fieldapp.store.db import validate_secret

    url = normalise_server_url(server_url)
    validate_secret(secret)
    _clear_unfinished_enrollment(secret, data_dir)
    raw_key = DeviceStore.new_key()
    request = protocol.EnrollRequest(
        code=code.strip(),
        username=username.strip(),
        password=password,
        device_name=(device_name if device_name is not None else socket.gethostname())[:128],
        client_version=__version__,
        escrow_key=raw_key.hex(),
    )
    http = _http_session(session)
    try:
        response = http.post(url + protocol.PATH_ENROLL, json=request.model_dump(mode="json"), timeout=timeout)
    except requests.exceptions.SSLError as exc:
        raise EnrollmentFailed(f"the server's TLS certificate is not trusted ({exc.__class__.__name__})") from exc
    except (requests.ConnectionError, requests.Timeout) as exc:
        raise ServerUnreachable(f"the server {url} cannot be reached; check the address and the network") from exc
    if response.status_code != 200:
        detail = _error_detail(response)
        if response.status_code == 426:
            raise ClientTooOld("this version of FieldApp is too old for the server; update the app, then enroll")
        if detail is not None and response.status_code < 500:
            raise EnrollmentFailed(f"enrollment failed: {detail.message}")
        raise ServerError(f"enrollment failed: the server answered {response.status_code}")
    try:
        answer = protocol.EnrollResponse.model_validate(response.json())
    except (ValueError, ValidationError) as exc:
        raise ServerError("enrollment failed: the server's answer could not be read") from exc

    store = DeviceStore.create(secret, data_dir, raw_key=raw_key)
    with store.session() as s:
        values = {
            META_SERVER: url,
            META_DEVICE_ID: str(answer.device_id),
            META_TOKEN: answer.device_token,
            META_USERNAME: answer.username,
            META_DISPLAY_NAME: answer.display_name,
            META_ROLE: answer.role,
            META_TEAM: answer.team or "",
            repo.META_WORK_ZONE: answer.work_zone if known_zone(answer.work_zone) else None,
            META_ENROLLED_AT: _utcnow().isoformat(),
            META_SERVER_TIME: answer.server_time.isoformat(),
            META_CLOCK_SKEW: f"{(answer.server_time - _utcnow()).total_seconds():.3f}",
        }
        for key, value in values.items():
            store.set_meta(s, key, value)
        s.commit()
    return store


def _clear_unfinished_enrollment(secret: str, data_dir: Any) -> None:
    """Refuse to enroll over a store in use; remove one an interrupted enrollment left empty.

    An enrollment killed between creating the key file and saving the token leaves a store that
    cannot sync and would block every later attempt; it holds no work, so it may go.
    """
    if not DeviceStore.exists(data_dir):
        return
    already = EnrollmentFailed("this device is already enrolled; nothing was changed")
    try:
        existing = DeviceStore.open(secret, data_dir)
    except StoreError:
        raise already from None
    try:
        with existing.session() as s:
            in_use = existing.get_meta(META_TOKEN) is not None or repo.counts(s) != {
                "cases": 0, "outbox_pending": 0, "rejected": 0,
            }
    except Exception:
        existing.close()
        raise
    if in_use:
        existing.close()
        raise already
    log.warning("removing the empty store an interrupted enrollment left in %s", existing.data_dir)
    existing.wipe()


# ------------------------------------------------------------------------------------------ client
_sync_locks: dict[str, threading.Lock] = {}
_sync_locks_guard = threading.Lock()


def _lock_for(store: DeviceStore) -> threading.Lock:
    with _sync_locks_guard:
        return _sync_locks.setdefault(str(store.data_dir.resolve()), threading.Lock())


class SyncClient:
    """Talks to the server for one enrolled DeviceStore. Runs on any thread; emits plain events.

    ``on_event`` is called on the syncing thread with SyncStarted, SyncProgress, SyncFinished or
    SyncFailed; a GUI adapter turns them into signals. Retry delays are
    ``uniform(0, min(backoff_max, backoff_base * 2**attempt))`` (full jitter), at most
    ``max_attempts`` tries and ``max_total_wait`` seconds of waiting per request.
    """

    def __init__(
        self,
        store: DeviceStore,
        *,
        on_event: Callable[[object], None] | None = None,
        timeout: tuple[float, float] = (5, 30),
        max_attempts: int = 5,
        session: requests.Session | None = None,
        backoff_base: float = 0.5,
        backoff_max: float = 10.0,
        max_total_wait: float = 60.0,
        page_size: int = protocol.DEFAULT_PULL_PAGE,
        push_batch: int = protocol.MAX_PUSH_BATCH,
        chunk_size: int = protocol.MAX_CHUNK,
    ) -> None:
        self.store = store
        meta = store.meta()
        if not meta.get(META_SERVER) or not meta.get(META_TOKEN):
            raise NotEnrolled()
        self.server_url = normalise_server_url(meta[META_SERVER])
        self._token = meta[META_TOKEN]
        self.on_event = on_event
        self.timeout = timeout
        self.max_attempts = max(1, max_attempts)
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.max_total_wait = max_total_wait
        self.page_size = max(1, min(page_size, protocol.MAX_PULL_PAGE))
        self.push_batch = max(1, min(push_batch, protocol.MAX_PUSH_BATCH))
        self.chunk_size = max(1, min(chunk_size, protocol.MAX_CHUNK))
        self._http = _http_session(session)
        self._server_time: dt.datetime | None = None
        self._skew: float | None = None
        self._monotonic_at_server_time: float | None = None
        self._revoked = False

    # -- events
    def _emit(self, event: object) -> None:
        if self.on_event is not None:
            self.on_event(event)

    # -- HTTP
    def _url(self, path: str) -> str:
        return self.server_url + path

    def _note_clock(self, response: requests.Response, sent_at: dt.datetime, received_at: dt.datetime) -> None:
        server_time = _parse_server_time(response)
        if server_time is None:
            return
        # The server stamped its clock somewhere between send and receipt; the midpoint halves the error.
        local = sent_at + (received_at - sent_at) / 2
        self._server_time = server_time
        self._skew = (server_time - local).total_seconds()
        # The monotonic reading that goes with server_time, for the store's TrustedClock.
        self._monotonic_at_server_time = time.monotonic() - (received_at - local).total_seconds()

    def _request(self, method: str, path: str, *, allow: tuple[int, ...] = (), **kwargs: Any) -> requests.Response:
        """One request with retries on connection errors, timeouts, 5xx and 429.

        Returns 2xx responses and those whose status is in ``allow``; maps 401, 403 and 426 to their
        errors (403 device_revoked wipes the store first); any other answer is a ServerError.
        """
        if self._revoked:
            raise DeviceRevoked()
        headers = {"Authorization": f"Bearer {self._token}"}
        headers.update(kwargs.pop("headers", {}))
        waited = 0.0
        last_problem: str = ""
        unreachable = True
        for attempt in range(self.max_attempts):
            sent_at = _utcnow()
            try:
                response = self._http.request(method, self._url(path), headers=headers, timeout=self.timeout, **kwargs)
            except requests.exceptions.SSLError as exc:
                raise ServerError(f"the server's TLS certificate is not trusted ({exc.__class__.__name__})") from exc
            except _TRANSIENT as exc:
                last_problem = f"{exc.__class__.__name__}"
                unreachable = True
                retry_after = None
            else:
                self._note_clock(response, sent_at, _utcnow())
                status = response.status_code
                if status == 429 or status >= 500:
                    last_problem = f"HTTP {status}"
                    unreachable = status in (502, 503, 504)  # a proxy in front of a server that is down
                    retry_after = _retry_after(response)
                else:
                    return self._check(response, allow)
            if attempt + 1 >= self.max_attempts:
                break
            delay = random.uniform(0, min(self.backoff_max, self.backoff_base * 2**attempt))
            if retry_after is not None:
                delay = max(delay, min(retry_after, self.backoff_max))
            if waited + delay > self.max_total_wait:
                break
            log.info("%s %s failed (%s); retry %d in %.2fs", method, path, last_problem, attempt + 1, delay)
            time.sleep(delay)
            waited += delay
        log.warning("%s %s gave up after %s", method, path, last_problem)
        if unreachable:
            raise ServerUnreachable()
        raise ServerError(f"the server had a problem ({last_problem}); your work is kept and will be sent later")

    def _check(self, response: requests.Response, allow: tuple[int, ...]) -> requests.Response:
        status = response.status_code
        if 200 <= status < 300 or status in allow:
            return response
        detail = _error_detail(response)
        if status == 401:
            raise DeviceNotRecognised()
        if status == 403 and detail is not None and detail.code == protocol.ErrorCode.device_revoked:
            self._revoked = True
            log.warning("device revoked by the server: wiping the local store")
            self.store.wipe()
            raise DeviceRevoked()
        if status == 426:
            raise ClientTooOld()
        message = detail.message if detail is not None else f"HTTP {status}"
        raise ServerError(f"the server refused the request: {message}")

    def _json(self, response: requests.Response, model: type[Any]) -> Any:
        try:
            return model.model_validate(response.json())
        except (ValueError, ValidationError) as exc:
            raise ServerError("the server's answer could not be read (is this a FieldApp server?)") from exc

    # -- hello
    def hello(self) -> protocol.Hello:
        """The server's version and clock; also checks the connection."""
        return self._json(self._request("GET", protocol.PATH_HELLO), protocol.Hello)

    # -- push
    def push(self, report: SyncReport | None = None) -> SyncReport:
        """Send pending outbox entries in seq order, in batches; each answer is committed at once.

        An entry is deleted only when the server answered accepted or duplicate; rejected and
        conflicting entries stay with the server's reason and the queue moves on past them.
        """
        report = report if report is not None else SyncReport()
        with self.store.session() as s:
            total = repo.counts(s)["outbox_pending"]
        done = 0
        after = 0
        self._emit(SyncProgress("push", 0, total))
        while True:
            with self.store.session() as s:
                entries = repo.pending_entries(s, limit=self.push_batch, after_seq=after)
            if not entries:
                break
            after = entries[-1].seq
            records: list[protocol.PushRecord] = []
            unreadable: list[protocol.PushResult] = []
            for entry in entries:
                try:
                    records.append(repo.to_push_record(entry))
                except ValidationError as exc:
                    # A malformed local entry must not block the queue: keep it, rejected, with a reason.
                    unreadable.append(self._local_rejection(entry.id, f"it is malformed on this device ({exc.errors()[0]['msg']})"))
            results = unreadable + self._push_records(records)
            self._apply_push_results(protocol.PushResponse(results=results, server_time=_utcnow()), report)
            report.pushed += len(entries)
            done += len(entries)
            self._emit(SyncProgress("push", done, max(total, done)))
        return report

    @staticmethod
    def _local_rejection(record_id: str, reason: str) -> protocol.PushResult:
        return protocol.PushResult(
            id=uuid.UUID(record_id), status=protocol.RecordStatus.rejected, reason=f"this record was rejected because {reason}"
        )

    def _push_records(self, records: list[protocol.PushRecord]) -> list[protocol.PushResult]:
        """POST one batch; a batch the server cannot read at all (400/422) is split so one bad record
        is rejected alone instead of blocking every record behind it."""
        if not records:
            return []
        body = protocol.PushRequest(records=records).model_dump(mode="json")
        response = self._request("POST", protocol.PATH_PUSH, json=body, allow=(400, 413, 422))
        if response.status_code == 200:
            answer: protocol.PushResponse = self._json(response, protocol.PushResponse)
            return answer.results
        if len(records) > 1:
            middle = len(records) // 2
            return self._push_records(records[:middle]) + self._push_records(records[middle:])
        detail = _error_detail(response)
        message = detail.message if detail is not None else f"HTTP {response.status_code}"
        return [self._local_rejection(str(records[0].id), f"the server could not read it: {message}")]

    def _apply_push_results(self, answer: protocol.PushResponse, report: SyncReport) -> None:
        with self.store.session() as s:
            by_id = {str(r.id): r for r in answer.results}
            done = [key for key, r in by_id.items()
                    if r.status in (protocol.RecordStatus.accepted, protocol.RecordStatus.duplicate)]
            for start in range(0, len(done), 500):  # one statement for the usual case: all taken
                s.execute(delete(OutboxEntry).where(OutboxEntry.id.in_(done[start:start + 500])))
            taken = set(done)
            rest = [key for key in by_id if key not in taken]
            entries = s.scalars(select(OutboxEntry).where(OutboxEntry.id.in_(rest))).all() if rest else []
            for entry in entries:
                result = by_id[entry.id]
                entry.attempts += 1
                if result.status == protocol.RecordStatus.conflict:
                    entry.state = repo.CONFLICT
                    entry.reason = result.reason or (
                        "the server already holds a different record with this id; a team lead will review it"
                    )
                else:
                    entry.state = repo.REJECTED
                    entry.reason = result.reason or "the server rejected this record without giving a reason"
            s.commit()  # the acknowledgement is durable before anything else happens
        for result in answer.results:
            field = result.status.value
            setattr(report, field, getattr(report, field) + 1)

    # -- pull
    def pull(self, report: SyncReport | None = None) -> SyncReport:
        """Fetch pages of case changes; each page and its cursor are applied in one transaction.

        An empty cursor (first sync, or after 410) is a full resync: cases the full result does
        not contain are removed at its end. The outbox is never touched here.
        """
        report = report if report is not None else SyncReport()
        restarted = False
        pages = 0
        while True:
            meta = self.store.meta()
            cursor = meta.get(META_CURSOR, "")
            generation = meta.get(META_RESYNC)
            if not cursor and generation is None:
                generation = self._begin_resync()
            if generation is not None:
                report.full_resync = True
            response = self._request(
                "GET", protocol.PATH_PULL, params={"cursor": cursor, "limit": self.page_size}, allow=(410,)
            )
            if response.status_code == 410:
                if not cursor or restarted:
                    raise ServerError("the server does not accept this device's sync position; try again later")
                log.info("pull cursor unknown to the server (410): full resync")
                restarted = True
                self._begin_resync(reset_cursor=True)
                continue
            page: protocol.PullResponse = self._json(response, protocol.PullResponse)
            received, removed = self._apply_page(page, int(generation) if generation is not None else None)
            report.cases_received += received
            report.cases_removed += removed
            pages += 1
            self._emit(SyncProgress("pull", report.cases_received, None))
            if not page.has_more:
                return report

    def _begin_resync(self, *, reset_cursor: bool = False) -> str:
        """Start a full resync in one transaction: a new generation number, and an empty cursor."""
        with self.store.session() as s:
            current = s.scalar(select(Case.sync_generation).order_by(Case.sync_generation.desc()).limit(1)) or 0
            generation = str(int(current) + 1)
            self.store.set_meta(s, META_RESYNC, generation)
            if reset_cursor:
                self.store.set_meta(s, META_CURSOR, "")
            s.commit()
        return generation

    def _apply_page(self, page: protocol.PullResponse, generation: int | None) -> tuple[int, int]:
        removed = 0
        with self.store.session() as s:
            for case in repo.apply_cases(s, page.cases):
                if generation is not None:
                    case.sync_generation = generation
            repo.apply_plan_updates(s, page.plan_updates)
            repo.apply_promise_updates(s, page.promise_updates)
            for tombstone in page.tombstones:
                if s.get(Case, tombstone.case_id) is not None:
                    removed += 1
                repo.remove_case(s, tombstone.case_id)
            repo.set_work_zone(s, page.work_zone)
            self.store.set_meta(s, META_CURSOR, page.next_cursor)
            if generation is not None and not page.has_more:
                # The full result is complete: whatever it did not contain is no longer ours.
                s.flush()
                stale = s.execute(delete(Case).where(Case.sync_generation != generation))
                removed += stale.rowcount or 0
                self.store.set_meta(s, META_RESYNC, None)
            s.commit()
        return len(page.cases), removed

    # -- forms
    def pull_forms(self, report: SyncReport | None = None) -> SyncReport:
        """Fetch script, rule-pack and notice-template versions this device lacks; keep every one.

        Each is checked against its content hash before it is stored (one transaction per form).
        An older server without published forms (404) is not an error.
        """
        from fieldapp.core.forms import FormError
        from fieldapp.store.models import FormVersion

        report = report if report is not None else SyncReport()
        response = self._request("GET", protocol.PATH_FORMS, allow=(404,))
        if response.status_code == 404:
            return report
        index: protocol.FormsIndex = self._json(response, protocol.FormsIndex)
        with self.store.session() as s:
            held = set(s.scalars(select(FormVersion.content_hash)))
        for info in index.forms:
            if info.content_hash in held:
                continue
            form: protocol.FormContent = self._json(
                self._request("GET", protocol.PATH_FORM.format(content_hash=info.content_hash)), protocol.FormContent)
            try:
                with self.store.session() as s:
                    if repo.save_form_version(s, form):
                        report.forms_received += 1
                    s.commit()
            except FormError as exc:
                report.form_errors.append(f"{info.kind} {info.form_id} {info.version} was not taken: {exc}")
                log.error("form %s %s not stored: %s", info.form_id, info.version, exc)
        return report

    # -- attachments
    def upload_attachments(self, report: SyncReport | None = None) -> SyncReport:
        """Send unconfirmed attachments; delete local bytes once the server confirmed their hash.

        First one query asks which hashes the server already holds; small files then travel many
        to a request (each verified on the server, one local transaction per batch), large ones in
        resumable chunks from the server's offset. A file is deleted only after its confirmation
        is committed locally (a crash in between leaves it for the next sweep).
        """
        from fieldapp.store.blobs import BlobError

        report = report if report is not None else SyncReport()
        self._sweep_confirmed_files()
        with self.store.session() as s:
            todo = list(
                s.scalars(select(Attachment).where(Attachment.confirmed.is_(False)).order_by(Attachment.created_at))
            )
        total = len(todo)
        self._emit(SyncProgress("attachments", 0, total))
        held = self._held_on_server([a.sha256 for a in todo]) if todo else set()
        batched = held is not None
        if held:
            self._confirm(held)
            report.attachments_uploaded += len(held)
            todo = [a for a in todo if a.sha256 not in held]
            self._emit(SyncProgress("attachments", total - len(todo), total))
        small = [a for a in todo if batched and a.size <= protocol.MAX_BATCH_ITEM]
        large = [a for a in todo if not (batched and a.size <= protocol.MAX_BATCH_ITEM)]
        done = total - len(todo)
        for batch in _batches(small):
            report.attachments_uploaded += self._upload_batch(batch, report)
            done += len(batch)
            self._emit(SyncProgress("attachments", done, total))
        for attachment in large:
            done += 1
            try:
                self._upload_one(attachment)
            except BlobError as exc:
                report.attachment_errors.append(str(exc))
                log.error("attachment %s not uploaded: %s", attachment.sha256, exc)
                continue
            except ServerError as exc:
                report.attachment_errors.append(f"attachment {attachment.sha256[:12]}…: {exc}")
                log.error("attachment %s not uploaded: %s", attachment.sha256, exc)
                continue
            report.attachments_uploaded += 1
            self._emit(SyncProgress("attachments", done, total))
        return report

    def _held_on_server(self, hashes: list[str]) -> set[str] | None:
        """Which of ``hashes`` the server holds; None from an older server without batches (404)."""
        held: set[str] = set()
        for start in range(0, len(hashes), protocol.MAX_HELD_QUERY):
            query = protocol.AttachmentQuery(sha256=hashes[start:start + protocol.MAX_HELD_QUERY])
            response = self._request("POST", protocol.PATH_ATTACHMENTS_HELD, json=query.model_dump(mode="json"),
                                     allow=(404, 405))
            if response.status_code != 200:
                return None
            answer: protocol.AttachmentHeld = self._json(response, protocol.AttachmentHeld)
            held.update(answer.held)
        return held & set(hashes)

    def _confirm(self, hashes: set[str]) -> None:
        """Mark ``hashes`` confirmed in one committed transaction, then delete their local bytes."""
        if not hashes:
            return
        with self.store.session() as s:
            rows = list(s.scalars(select(Attachment).where(Attachment.sha256.in_(list(hashes)))))
            for row in rows:
                row.confirmed = True
            s.commit()
        # Only after the confirmation is committed: if we die in between, the sweep deletes them later.
        for row in rows:
            repo.attachment_path(self.store, row).unlink(missing_ok=True)

    def _upload_batch(self, batch: list[Attachment], report: SyncReport) -> int:
        """POST one batch of small attachments; returns how many the server confirmed."""
        import base64

        from fieldapp.store.blobs import BlobError

        items: list[protocol.AttachmentItem] = []
        for attachment in batch:
            try:
                data = repo.read_attachment(self.store, attachment)
            except BlobError as exc:
                report.attachment_errors.append(str(exc))
                log.error("attachment %s not uploaded: %s", attachment.sha256, exc)
                continue
            items.append(protocol.AttachmentItem(
                sha256=attachment.sha256, content_type=attachment.content_type, data=base64.b64encode(data).decode("ascii")))
        if not items:
            return 0
        body = protocol.AttachmentBatch(items=items).model_dump(mode="json")
        try:
            answer: protocol.AttachmentBatchResult = self._json(
                self._request("POST", protocol.PATH_ATTACHMENTS_BATCH, json=body), protocol.AttachmentBatchResult)
        except ServerError as exc:
            report.attachment_errors.append(f"{len(items)} attachments: {exc}")
            log.error("attachment batch not uploaded: %s", exc)
            return 0
        ok = {protocol.AttachmentItemStatus.stored, protocol.AttachmentItemStatus.held}
        sent = {item.sha256 for item in items}
        confirmed = {r.sha256 for r in answer.results if r.status in ok and r.sha256 in sent}
        for result in answer.results:
            if result.status not in ok:
                report.attachment_errors.append(f"attachment {result.sha256[:12]}…: {result.reason or result.status.value}")
        self._confirm(confirmed)
        return len(confirmed)

    def _upload_one(self, attachment: Attachment) -> None:
        create = protocol.AttachmentCreate(
            sha256=attachment.sha256, size=attachment.size, content_type=attachment.content_type
        )
        status: protocol.AttachmentStatus = self._json(
            self._request("POST", protocol.PATH_ATTACHMENTS, json=create.model_dump(mode="json")),
            protocol.AttachmentStatus,
        )
        offset = status.received
        path = protocol.PATH_ATTACHMENT.format(sha256=attachment.sha256)
        stalls = 0
        while not status.complete:
            if offset >= attachment.size:  # nothing left to send, yet not confirmed
                stalls += 1
                if stalls > 2:
                    raise ServerError("the server holds every byte but did not confirm the attachment")
            chunk = repo.read_attachment(self.store, attachment, offset, self.chunk_size)
            response = self._request(
                "PUT",
                path,
                params={"offset": offset},
                data=chunk,
                headers={"Content-Type": "application/octet-stream"},
                allow=(409, 422),
            )
            if response.status_code == 409:
                detail = _error_detail(response)
                if detail is None or detail.received is None:
                    raise ServerError("the server refused an attachment chunk without saying where to resume")
                log.info("attachment %s: resuming at %d (server said)", attachment.sha256[:12], detail.received)
                offset = detail.received
                stalls += 1
                if stalls > 10:
                    raise ServerError("the server kept refusing the upload position of an attachment")
                continue
            if response.status_code == 422:
                detail = _error_detail(response)
                raise ServerError(
                    "the server found that the uploaded bytes do not match their hash"
                    + (f" ({detail.message})" if detail else "")
                )
            status = self._json(response, protocol.AttachmentStatus)
            offset = status.received
        with self.store.session() as s:
            row = s.get(Attachment, attachment.sha256)
            if row is not None:
                row.confirmed = True
            s.commit()
        # Only after the confirmation is committed: if we die in between, the sweep deletes it later.
        repo.attachment_path(self.store, attachment).unlink(missing_ok=True)

    def _sweep_confirmed_files(self) -> None:
        with self.store.session() as s:
            names = list(s.scalars(select(Attachment.path).where(Attachment.confirmed.is_(True))))
        for name in names:
            (self.store.attachments_dir / name).unlink(missing_ok=True)

    # -- team lead
    def team_audit_chains(self) -> list[protocol.AuditChainStatus]:
        """Audit chains of the lead's team (all devices for an admin); ServerError for a collector."""
        answer: protocol.AuditChainList = self._json(self._request("GET", protocol.PATH_TEAM_AUDIT), protocol.AuditChainList)
        return answer.chains

    def team_plans(self, status: str = "pending_approval") -> list[protocol.PlanSummary]:
        """Plans of the lead's team in ``status`` ("" for all); ServerError for a collector."""
        answer: protocol.PlanList = self._json(
            self._request("GET", protocol.PATH_TEAM_PLANS, params={"status": status}), protocol.PlanList)
        return answer.plans

    def decide_plan(self, plan_id: str, decision: str, comment: str = "") -> protocol.PlanSummary:
        """Approve or reject a plan pending approval (``decision``: "approve" | "reject"; a rejection
        needs a comment). ServerError with the server's reason when it cannot be done."""
        body = protocol.PlanDecision(decision=decision, comment=comment)  # type: ignore[arg-type]
        path = protocol.PATH_TEAM_PLAN_DECISION.format(plan_id=plan_id)
        return self._json(self._request("POST", path, json=body.model_dump(mode="json")), protocol.PlanSummary)

    # -- everything
    def sync(self) -> SyncReport:
        """Push, then pull, then attachments; records last_sync, server time and clock skew.

        Raises a SyncError subclass (after emitting SyncFailed). A 426 on pull is raised only after
        the push went through, since the server still takes data already collected.
        """
        lock = _lock_for(self.store)
        with lock:
            self._emit(SyncStarted())
            report = SyncReport()
            try:
                self.push(report)
                self.pull(report)
                self.pull_forms(report)
                self.upload_attachments(report)
            except SyncError as exc:
                if not self._revoked:
                    self._save_clock(None)
                self._emit(SyncFailed(exc))
                raise
            except Exception as exc:  # told to the listener, then raised on: never swallowed
                self._emit(SyncFailed(exc))
                raise
            report.finished_at = _utcnow()
            report.server_time = self._server_time
            report.clock_skew_seconds = self._skew
            self._save_clock(report.finished_at)
            self._emit(SyncFinished(report))
            return report

    def _save_clock(self, finished_at: dt.datetime | None) -> None:
        with self.store.session() as s:
            if finished_at is not None:
                self.store.set_meta(s, META_LAST_SYNC, finished_at.isoformat())
            if self._server_time is not None and self._skew is not None:
                self.store.set_meta(s, META_SERVER_TIME, self._server_time.isoformat())
                self.store.set_meta(s, META_CLOCK_SKEW, f"{self._skew:.3f}")
                # What TrustedClock.restore reads (its skew is device minus server, ours the reverse).
                state = {"server_at_sync": self._server_time.isoformat(),
                         "monotonic_at_sync": self._monotonic_at_server_time, "skew_at_sync": -self._skew}
                self.store.set_meta(s, repo.META_TRUSTED_CLOCK, json.dumps(state))
            s.commit()

    def close(self) -> None:
        self._http.close()


def _batches(attachments: list[Attachment]) -> list[list[Attachment]]:
    """Group small attachments by protocol.MAX_BATCH_ITEMS and MAX_BATCH_BYTES (counted before base64)."""
    out: list[list[Attachment]] = []
    current: list[Attachment] = []
    size = 0
    for attachment in attachments:
        if current and (len(current) >= protocol.MAX_BATCH_ITEMS or size + attachment.size > protocol.MAX_BATCH_BYTES):
            out.append(current)
            current, size = [], 0
        current.append(attachment)
        size += attachment.size
    if current:
        out.append(current)
    return out


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


__all__ = [
    "ClientTooOld", "DeviceNotRecognised", "DeviceRevoked", "EnrollmentFailed", "ServerError",
    "ServerUnreachable", "SyncClient", "SyncError", "SyncFailed", "SyncFinished", "SyncProgress",
    "SyncReport", "SyncStarted", "enroll", "normalise_server_url",
]
