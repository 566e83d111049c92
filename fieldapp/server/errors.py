"""Errors of the server: the domain's (what a service refuses, no HTTP in them) and the API's answer.

Services raise ``NotFound``, ``Invalid`` or ``Conflict`` with a message a person can read; the API
maps them to a status and a protocol error code in one place (``HTTP_STATUS``), and the admin
commands print the message. ``ApiError`` is the API's own answer (auth, limits, protocol).
"""

from __future__ import annotations

from fieldapp.protocol import ErrorCode


class ApiError(Exception):
    """An error answer: HTTP status, protocol error code and a message a person can read."""

    def __init__(self, status: int, code: ErrorCode, message: str, *, received: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.received = received


class ServiceError(Exception):
    """A request the server's rules refuse: ``message`` says why, plainly (the person reads it)."""

    code = ErrorCode.bad_request

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(ServiceError):
    """No such thing, or not one this user may see (the two are not told apart)."""

    code = ErrorCode.not_found


class Invalid(ServiceError):
    """The input cannot be accepted as it is (a rejection without a reason …)."""

    code = ErrorCode.bad_request


class Conflict(ServiceError):
    """The thing is no longer in a state that allows this (a plan already decided …)."""

    code = ErrorCode.conflict


#: How the API answers each domain error.
HTTP_STATUS: dict[type[ServiceError], int] = {NotFound: 404, Invalid: 422, Conflict: 409, ServiceError: 400}


def http_status(exc: ServiceError) -> int:
    for cls in type(exc).__mro__:
        if cls in HTTP_STATUS:
            return HTTP_STATUS[cls]  # type: ignore[index]
    return 400
