"""The HTTP API (FastAPI): hello, enroll, pull, push and attachments under protocol.API."""

from __future__ import annotations

import datetime as dt
import logging
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fieldapp import PROTOCOL_VERSION, __version__, protocol
from fieldapp.core.notices import normalize_verification_code
from fieldapp.protocol import ErrorCode
from fieldapp.server import attachments as attachment_store
from fieldapp.server import audit_chains, escrow, verify
from fieldapp.server import forms as published_forms
from fieldapp.server import plans as server_plans
from fieldapp.server.db import (
    DB_ENV,
    Device,
    EnrollmentCode,
    Team,
    User,
    audit,
    make_engine,
    make_sessionmaker,
    resolve_db_url,
    server_meta,
    utcnow,
)
from fieldapp.server.errors import ApiError, ServiceError, http_status
from fieldapp.server.pull import CursorUnknown, decode_cursor, encode_cursor, pull_page
from fieldapp.server.push import store_batch
from fieldapp.server.security import (
    code_hash,
    new_device_token,
    token_hash,
    verify_password,
)

log = logging.getLogger(__name__)

#: Environment variable the uvicorn worker factory reads for --min-client-version.
MIN_CLIENT_ENV = "FIELDAPP_MIN_CLIENT_VERSION"

#: last_seen_at is refreshed at most this often, so reads do not all become writes.
LAST_SEEN_PRECISION = dt.timedelta(seconds=60)

REVOKED_MESSAGE = "this device was revoked by an administrator"


def _server_time_text(now: dt.datetime) -> str:
    return now.isoformat().replace("+00:00", "Z")


class ServerTimeMiddleware:
    """Puts protocol.HEADER_SERVER_TIME on every response, errors included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_time(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(k.lower() == protocol.HEADER_SERVER_TIME.lower().encode() for k, _ in headers):
                    headers.append((protocol.HEADER_SERVER_TIME.encode(), _server_time_text(utcnow()).encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_time)


def error_response(status: int, code: ErrorCode, message: str, received: int | None = None) -> JSONResponse:
    now = utcnow()
    body = protocol.ErrorBody(
        error=protocol.ErrorDetail(code=code, message=message, received=received), server_time=now
    )
    return JSONResponse(
        body.model_dump(mode="json"), status_code=status, headers={protocol.HEADER_SERVER_TIME: _server_time_text(now)}
    )


class ServerState:
    """What every request needs: the session factory and the settings read once from server_meta."""

    def __init__(self, factory: sessionmaker[Session], min_client_version: str | None, escrow_key: bytes) -> None:
        self.factory = factory
        #: Seals devices' database keys at enrollment (server/escrow.py); never stored in the database.
        self.escrow_key = escrow_key
        self._min_client_version = min_client_version
        self._epoch: str | None = None
        self._meta_loaded = False

    def _load_meta(self) -> None:
        if self._meta_loaded:
            return
        with self.factory() as session:
            meta = server_meta(session)
            self._epoch = meta.epoch
            if self._min_client_version is None:
                self._min_client_version = meta.min_client_version
        self._meta_loaded = True

    @property
    def epoch(self) -> str:
        self._load_meta()
        assert self._epoch is not None
        return self._epoch

    @property
    def min_client_version(self) -> str | None:
        self._load_meta()
        return self._min_client_version

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self.factory() as session, session.begin():
            yield session


def _team_zone(session: Session, user_id: int) -> str | None:
    """The working time zone of ``user_id``'s team, as the laptops are told it (None: not set)."""
    return session.scalar(select(Team.time_zone).join(User, User.team_id == Team.id).where(User.id == user_id))


def _state(request: Request) -> ServerState:
    return request.app.state.fieldapp  # type: ignore[no-any-return]


def require_current_client(request: Request) -> None:
    """426 for a client older than the minimum; used on hello, enroll and pull, never on uploads."""
    minimum = _state(request).min_client_version
    header = request.headers.get(protocol.HEADER_CLIENT)
    if not minimum or not header:
        return
    if protocol.parse_version(header) < protocol.parse_version(minimum):
        raise ApiError(
            426,
            ErrorCode.client_too_old,
            f"this version of FieldApp is too old for the server: please update to version {minimum} or newer. "
            "Data already collected can still be sent.",
        )


def _authenticate(session: Session, request: Request) -> Device:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, ErrorCode.unauthorized, "this device is not enrolled with the server (no device token)")
    # One round trip for device and user: every request pays for this.
    row = session.execute(
        select(Device, User.active).join(User, User.id == Device.user_id).where(Device.token_hash == token_hash(token.strip()))
    ).one_or_none()
    if row is None:
        raise ApiError(401, ErrorCode.unauthorized, "the server does not know this device; enroll it again")
    device, active = row
    if device.revoked_at is not None:
        raise ApiError(403, ErrorCode.device_revoked, REVOKED_MESSAGE)
    if not active:
        raise ApiError(403, ErrorCode.forbidden, "this user account is disabled; ask your administrator")
    now = utcnow()
    if device.last_seen_at is None or now - device.last_seen_at > LAST_SEEN_PRECISION:
        device.last_seen_at = now
    # Keep the version each device runs, so IT can see which laptops still need an update.
    client = request.headers.get(protocol.HEADER_CLIENT, "").rsplit("/", 1)[-1][:32]
    if client and client != device.client_version:
        device.client_version = client
    return device


def _lead(session: Session, request: Request) -> User:
    """The lead or admin behind this device token; 403 for a collector."""
    device = _authenticate(session, request)
    user = session.get(User, device.user_id)
    assert user is not None
    if user.role not in ("lead", "admin"):
        raise ApiError(403, ErrorCode.forbidden, "only a team lead or an administrator may do this")
    if user.role == "lead" and user.team_id is None:
        raise ApiError(403, ErrorCode.forbidden, "this lead belongs to no team; ask your administrator")
    return user


def build_router() -> APIRouter:
    router = APIRouter()

    @router.get(protocol.PATH_HELLO, response_model=protocol.Hello, dependencies=[Depends(require_current_client)])
    def hello(request: Request) -> protocol.Hello:
        return protocol.Hello(
            server_time=utcnow(),
            server_version=__version__,
            protocol=PROTOCOL_VERSION,
            min_client_version=_state(request).min_client_version,
        )

    @router.post(protocol.PATH_ENROLL, response_model=protocol.EnrollResponse, dependencies=[Depends(require_current_client)])
    def enroll(request: Request, body: protocol.EnrollRequest) -> protocol.EnrollResponse:
        state = _state(request)
        token = new_device_token()
        with state.transaction() as session:
            user = session.scalars(select(User).where(User.username == body.username.strip())).one_or_none()
            if user is None or not user.active or not verify_password(user.password_hash, body.password):
                raise ApiError(401, ErrorCode.enrollment_invalid, "the username or password is wrong")
            now = utcnow()
            code = session.scalars(
                select(EnrollmentCode).where(EnrollmentCode.code_hash == code_hash(body.code))
            ).one_or_none()
            if code is None or code.user_id != user.id:
                raise ApiError(401, ErrorCode.enrollment_invalid,
                               "the enrollment code is not valid for this user; check it or ask for a new one")
            if code.used_at is not None:
                raise ApiError(401, ErrorCode.enrollment_invalid,
                               "this enrollment code was already used; ask your administrator for a new one")
            if code.expires_at <= now:
                raise ApiError(401, ErrorCode.enrollment_invalid,
                               "this enrollment code has expired; ask your administrator for a new one")
            device_id = uuid.uuid4()
            sealed = (
                escrow.seal(state.escrow_key, device_id, bytes.fromhex(body.escrow_key))
                if body.escrow_key is not None else None
            )
            # Consume the code with a guarded UPDATE so two devices racing on one code cannot both win.
            taken = session.execute(
                update(EnrollmentCode)
                .where(EnrollmentCode.id == code.id, EnrollmentCode.used_at.is_(None))
                .values(used_at=now, device_id=device_id)
                .returning(EnrollmentCode.id)
            ).first()
            if taken is None:
                raise ApiError(401, ErrorCode.enrollment_invalid,
                               "this enrollment code was already used; ask your administrator for a new one")
            session.add(
                Device(
                    id=device_id,
                    user_id=user.id,
                    name=body.device_name or "device",
                    token_hash=token_hash(token),
                    client_version=body.client_version,
                    created_at=now,
                    last_seen_at=now,
                    escrow_key_id=escrow.key_id(state.escrow_key) if sealed is not None else None,
                    escrow_sealed_key=sealed,
                )
            )
            audit(session, f"user:{user.username}", "enroll-device", f"device:{device_id}", name=body.device_name,
                  key_escrowed=sealed is not None)
            team = session.get(Team, user.team_id) if user.team_id else None
            return protocol.EnrollResponse(
                device_id=device_id,
                device_token=token,
                username=user.username,
                display_name=user.display_name,
                role=user.role,  # type: ignore[arg-type]
                team=team.name if team else None,
                work_zone=team.time_zone if team else None,
                server_time=utcnow(),
            )

    @router.get(protocol.PATH_PULL, response_model=protocol.PullResponse, dependencies=[Depends(require_current_client)])
    def pull(
        request: Request,
        cursor: str = "",
        limit: Annotated[int, Query(ge=1)] = protocol.DEFAULT_PULL_PAGE,
    ) -> protocol.PullResponse:
        state = _state(request)
        epoch = state.epoch
        with state.transaction() as session:
            device = _authenticate(session, request)
            try:
                since = decode_cursor(cursor, epoch)
                page = pull_page(session, device.user_id, since, min(limit, protocol.MAX_PULL_PAGE))
            except CursorUnknown:
                raise ApiError(410, ErrorCode.cursor_unknown,
                               "the server does not recognise this sync position; a full resync is needed") from None
            return protocol.PullResponse(
                cases=page.cases,
                tombstones=page.tombstones,
                plan_updates=page.plan_updates,
                promise_updates=page.promise_updates,
                next_cursor=encode_cursor(epoch, page.next_seq),
                has_more=page.has_more,
                work_zone=_team_zone(session, device.user_id),
                server_time=utcnow(),
            )

    @router.post(protocol.PATH_PUSH, response_model=protocol.PushResponse)
    def push(request: Request, body: protocol.PushRequest) -> protocol.PushResponse:
        # No version check: data already collected is accepted from any client version.
        with _state(request).transaction() as session:
            device = _authenticate(session, request)
            results = store_batch(session, device, body.records)
        return protocol.PushResponse(results=results, server_time=utcnow())

    def _status(attachment: Any) -> protocol.AttachmentStatus:
        return protocol.AttachmentStatus(
            sha256=attachment.sha256,
            size=attachment.size,
            received=attachment.received,
            complete=attachment.complete,
            server_time=utcnow(),
        )

    @router.get(protocol.PATH_FORMS, response_model=protocol.FormsIndex)
    def forms_index(request: Request) -> protocol.FormsIndex:
        with _state(request).transaction() as session:
            _authenticate(session, request)
            return protocol.FormsIndex(forms=published_forms.index(session), server_time=utcnow())

    @router.get(protocol.PATH_FORM, response_model=protocol.FormContent)
    def form_content(request: Request, content_hash: str) -> protocol.FormContent:
        with _state(request).transaction() as session:
            _authenticate(session, request)
            form = published_forms.content(session, content_hash.lower())
        if form is None:
            raise ApiError(404, ErrorCode.not_found, "no published form has this content hash")
        return form

    @router.get(protocol.PATH_TEAM_PLANS, response_model=protocol.PlanList)
    def team_plans(request: Request, status: str = "pending_approval") -> protocol.PlanList:
        with _state(request).transaction() as session:
            user = _lead(session, request)
            plans = server_plans.team_plans(session, user, status or None)
        return protocol.PlanList(plans=plans, server_time=utcnow())

    @router.post(protocol.PATH_TEAM_PLAN_DECISION, response_model=protocol.PlanSummary)
    def decide_plan(request: Request, plan_id: str, body: protocol.PlanDecision) -> protocol.PlanSummary:
        with _state(request).transaction() as session:
            user = _lead(session, request)
            return server_plans.decide(session, user, plan_id, body.decision, body.comment)

    @router.get(protocol.PATH_TEAM_AUDIT, response_model=protocol.AuditChainList)
    def team_audit_chains(request: Request) -> protocol.AuditChainList:
        with _state(request).transaction() as session:
            user = _lead(session, request)
            chains = audit_chains.chain_statuses(session, team_id=user.team_id, all_teams=user.role == "admin")
        return protocol.AuditChainList(chains=chains, server_time=utcnow())

    # Registered before PATH_ATTACHMENT so "held" and "batch" are never read as a hash.
    @router.post(protocol.PATH_ATTACHMENTS_HELD, response_model=protocol.AttachmentHeld)
    def attachments_held(request: Request, body: protocol.AttachmentQuery) -> protocol.AttachmentHeld:
        with _state(request).transaction() as session:
            _authenticate(session, request)
            return protocol.AttachmentHeld(held=attachment_store.held(session, body.sha256), server_time=utcnow())

    @router.post(protocol.PATH_ATTACHMENTS_BATCH, response_model=protocol.AttachmentBatchResult)
    def attachments_batch(request: Request, body: protocol.AttachmentBatch) -> protocol.AttachmentBatchResult:
        decoded = attachment_store.decode_batch(body.items)  # hashing happens outside the transaction
        if sum(len(data) for _, data, _ in decoded if data) > protocol.MAX_BATCH_BYTES:
            raise ApiError(413, ErrorCode.bad_request,
                           f"an attachment batch may hold at most {protocol.MAX_BATCH_BYTES} bytes")
        with _state(request).transaction() as session:
            device = _authenticate(session, request)
            results = attachment_store.store_batch(session, device, decoded)
        return protocol.AttachmentBatchResult(results=results, server_time=utcnow())

    @router.post(protocol.PATH_ATTACHMENTS, response_model=protocol.AttachmentStatus)
    def create_attachment(request: Request, body: protocol.AttachmentCreate) -> protocol.AttachmentStatus:
        with _state(request).transaction() as session:
            device = _authenticate(session, request)
            return _status(attachment_store.create(session, device, body))

    @router.get(protocol.PATH_ATTACHMENT, response_model=protocol.AttachmentStatus)
    def attachment_status(request: Request, sha256: str) -> protocol.AttachmentStatus:
        with _state(request).transaction() as session:
            _authenticate(session, request)
            return _status(attachment_store.get(session, sha256.lower()))

    @router.put(
        protocol.PATH_ATTACHMENT,
        response_model=protocol.AttachmentStatus,
        openapi_extra={
            "requestBody": {"required": True, "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}
        },
    )
    async def upload_chunk(request: Request, sha256: str, offset: Annotated[int, Query(ge=0)]) -> protocol.AttachmentStatus:
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > protocol.MAX_CHUNK:
            raise ApiError(413, ErrorCode.bad_request, f"a chunk may hold at most {protocol.MAX_CHUNK} bytes")
        data = bytearray()
        async for piece in request.stream():
            data.extend(piece)
            if len(data) > protocol.MAX_CHUNK:
                raise ApiError(413, ErrorCode.bad_request, f"a chunk may hold at most {protocol.MAX_CHUNK} bytes")

        def work() -> tuple[protocol.AttachmentStatus, bool]:
            with _state(request).transaction() as session:
                device = _authenticate(session, request)
                attachment, failed = attachment_store.put_chunk(session, device, sha256.lower(), offset, bytes(data))
                return _status(attachment), failed

        status, failed = await run_in_threadpool(work)
        if failed:  # committed: the partial upload is gone, the device starts again at 0
            raise ApiError(422, ErrorCode.hash_mismatch,
                           "the uploaded bytes do not match the attachment's SHA-256; upload it again")
        return status

    return router


def build_verify_router(limiter: verify.RateLimiter) -> APIRouter:
    """The public notice verification pages (no token; rate-limited per client address)."""
    from fastapi.responses import HTMLResponse

    router = APIRouter(include_in_schema=False)

    def limited(request: Request, language: str) -> HTMLResponse | None:
        wait = limiter.take(request.client.host if request.client else "unknown")
        if wait:
            return HTMLResponse(verify.too_many_page(language), status_code=429,
                                headers={"Retry-After": verify.retry_after_header(wait)})
        return None

    def language_of(request: Request, lang: str | None) -> str:
        return verify.pick_language(lang, request.headers.get("accept-language"))

    @router.get(protocol.PATH_VERIFY, response_class=HTMLResponse)
    def verify_token(request: Request, token: str, lang: str | None = None) -> HTMLResponse:
        language = language_of(request, lang)
        refused = limited(request, language)
        if refused is not None:
            return refused
        with _state(request).transaction() as session:
            notice = verify.find(session, token=token) if len(token) <= 64 else None
            page = verify.notice_page(notice, language, self_path=protocol.PATH_VERIFY.format(token=token))
        return HTMLResponse(page, status_code=200 if notice is not None else 404,
                            headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})

    @router.get(protocol.PATH_VERIFY_FORM, response_class=HTMLResponse)
    def verify_code(request: Request, code: str | None = None, lang: str | None = None) -> HTMLResponse:
        language = language_of(request, lang)
        if code is None or not code.strip():
            return HTMLResponse(verify.form_page(language), headers={"Cache-Control": "no-store"})
        refused = limited(request, language)
        if refused is not None:
            return refused
        normal = normalize_verification_code(code)
        if normal is None:
            return HTMLResponse(verify.form_page(language, problem=verify.TEXTS[language]["bad_code"], code=code[:12]),
                                status_code=422, headers={"Cache-Control": "no-store"})
        with _state(request).transaction() as session:
            notice = verify.find(session, code=normal)
            page = verify.notice_page(notice, language, self_path=protocol.PATH_VERIFY_FORM)
        return HTMLResponse(page, status_code=200 if notice is not None else 404,
                            headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})

    return router


def create_app(db_url: str, *, min_client_version: str | None = None) -> FastAPI:
    """The API on ``db_url``. The schema must already be at head: call db.prepare_database first
    (``fieldapp server`` and ``fieldapp admin init-db`` do)."""
    engine = make_engine(db_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(
        lifespan=lifespan,
        title="FieldApp server",
        version=__version__,
        description="Sync API for FieldApp devices (PRODUCT.md §7).",
    )
    # Made here when missing, so a server started without init-db still escrows (server/escrow.py).
    app.state.fieldapp = ServerState(make_sessionmaker(engine), min_client_version, escrow.escrow_key(create=True))
    app.include_router(build_router())
    app.include_router(build_verify_router(verify.RateLimiter.from_setting(os.environ.get(verify.RATE_ENV))))
    app.add_middleware(ServerTimeMiddleware)

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.received)

    @app.exception_handler(ServiceError)
    async def _refused(_request: Request, exc: ServiceError) -> JSONResponse:
        return error_response(http_status(exc), exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        message = f"the request is not valid: {where or 'body'}: {first.get('msg', 'invalid')}"
        return error_response(422, ErrorCode.bad_request, message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = ErrorCode.not_found if exc.status_code == 404 else ErrorCode.bad_request
        message = "there is no such address on this server" if exc.status_code == 404 else str(exc.detail)
        return error_response(exc.status_code, code, message)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected server error", exc_info=exc)
        return error_response(500, ErrorCode.server_error, "the server had an internal problem; try again later")

    return app


def app_from_env() -> FastAPI:
    """Factory for uvicorn workers: FIELDAPP_DB and FIELDAPP_MIN_CLIENT_VERSION configure it."""
    return create_app(resolve_db_url(None), min_client_version=os.environ.get(MIN_CLIENT_ENV) or None)


__all__ = ["create_app", "app_from_env", "DB_ENV"]
