"""The device's headless sync client: enroll, push the outbox, pull cases, upload attachments."""

# State lives only in the device store's transactions, never in memory, so a ``kill -9`` at any
# instant leaves a device that the next sync brings to the right state (PRODUCT.md §7).

from __future__ import annotations

import datetime as dt
import json
import logging
import random
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import requests
from pydantic import ValidationError
from sqlalchemy import delete, select

from fieldapp import protocol
from fieldapp.core.forms import FormError
from fieldapp.store import repo
from fieldapp.store.blobs import BlobError
from fieldapp.store.db import DeviceStore, NotEnrolled
from fieldapp.store.models import Attachment, Case, FormVersion, OutboxEntry
from fieldapp.sync.enrolment import (  # noqa: F401  (also re-exported: callers import them from here)
    enroll,
)
from fieldapp.sync.events import (  # noqa: F401  (also re-exported: callers import them from here)
    META_CLOCK_SKEW,
    META_CURSOR,
    META_DEVICE_ID,
    META_DISPLAY_NAME,
    META_ENROLLED_AT,
    META_LAST_SYNC,
    META_RESYNC,
    META_ROLE,
    META_SERVER,
    META_SERVER_TIME,
    META_TEAM,
    META_TOKEN,
    META_USERNAME,
    ClientTooOld,
    DeviceNotRecognised,
    DeviceRevoked,
    EnrollmentFailed,
    ServerError,
    ServerUnreachable,
    SyncError,
    SyncFailed,
    SyncFinished,
    SyncProgress,
    SyncReport,
    SyncStarted,
)
from fieldapp.sync.transport import (  # noqa: F401  (also re-exported: callers import them from here)
    _TRANSIENT,
    _batches,
    _error_detail,
    _http_session,
    _parse_server_time,
    _retry_after,
    _utcnow,
    normalise_server_url,
)

log = logging.getLogger(__name__)


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
            repo.save_issuer_profiles(s, page.issuers)
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


__all__ = [
    "ClientTooOld", "DeviceNotRecognised", "DeviceRevoked", "EnrollmentFailed", "ServerError",
    "ServerUnreachable", "SyncClient", "SyncError", "SyncFailed", "SyncFinished", "SyncProgress",
    "SyncReport", "SyncStarted", "enroll", "normalise_server_url",
]
