"""Every error answer in one place: domain errors, bad requests, unknown addresses, surprises.

The body is always ``protocol.ErrorBody`` (a code the device acts on, a message a person reads)
and carries the server's time like every answer.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from fieldapp import protocol
from fieldapp.protocol import ErrorCode
from fieldapp.server.api.middleware import server_time_text
from fieldapp.server.db import utcnow
from fieldapp.server.errors import ServiceError, http_status

log = logging.getLogger(__name__)

#: Every error answer a route may give, documented in the OpenAPI schema with its body.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": protocol.ErrorBody, "description": description}
    for status, description in {
        400: "a malformed request (a NUL in the address, a body that is not JSON)",
        401: "no device token, or one the server does not know",
        403: "a revoked laptop, a disabled user, or a caller without the role",
        404: "no such thing, or none this caller may see",
        409: "no longer in a state that allows this (an upload's offset, a decided plan)",
        410: "a sync position from before a server reset: resync fully",
        413: "a body or chunk larger than the server accepts",
        422: "a request that does not validate (hostile input included)",
        426: "an app too old for this server",
        429: "too many tries; Retry-After says when to try again",
    }.items()
}


def retry_after(wait: float) -> str:
    """The Retry-After header for ``wait`` seconds (whole seconds, at least 1)."""
    return str(max(1, math.ceil(wait)))


def error_response(status: int, code: ErrorCode, message: str, received: int | None = None, *,
                   wait: float | None = None) -> JSONResponse:
    now = utcnow()
    body = protocol.ErrorBody(error=protocol.ErrorDetail(code=code, message=message, received=received), server_time=now)
    headers = {protocol.HEADER_SERVER_TIME: server_time_text(now)}
    if wait is not None:
        headers["Retry-After"] = retry_after(wait)
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


def install(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def _refused(_request: Request, exc: ServiceError) -> JSONResponse:
        return error_response(http_status(exc), exc.code, exc.message, exc.received,
                              wait=getattr(exc, "retry_after", None))

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
