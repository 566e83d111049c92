"""The server's domain errors: what a service refuses, in words a person can read, with no HTTP in them.

Services raise these; the API maps them to a status in one place (:data:`HTTP_STATUS`, used by
``fieldapp.server.api.errors``) and the admin commands print the message. A subclass fixes the
protocol error code a device acts on; a raise may name a finer one (``code=``), e.g. an upload's
``offset_mismatch`` with the byte offset the server holds (``received=``).
"""

from __future__ import annotations

from fieldapp.protocol import ErrorCode


class ServiceError(Exception):
    """A request the server's rules refuse: ``message`` says why, plainly (the person reads it)."""

    code = ErrorCode.bad_request

    def __init__(self, message: str, *, code: ErrorCode | None = None, received: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.received = received


class NotAuthenticated(ServiceError):
    """No credential, or one the server does not know (a device token, an enrolment login)."""

    code = ErrorCode.unauthorized


class Forbidden(ServiceError):
    """A known caller who may not do this (revoked device, disabled user, a collector at a lead's desk)."""

    code = ErrorCode.forbidden


class NotFound(ServiceError):
    """No such thing, or not one this user may see (the two are not told apart)."""

    code = ErrorCode.not_found


class Invalid(ServiceError):
    """The input cannot be accepted as it is (a rejection without a reason …)."""

    code = ErrorCode.bad_request


class TooLarge(ServiceError):
    """More bytes than the protocol allows in one request or chunk."""

    code = ErrorCode.bad_request


class Conflict(ServiceError):
    """The thing is no longer in a state that allows this (a plan already decided …)."""

    code = ErrorCode.conflict


class TooOld(ServiceError):
    """The device's app is older than the server accepts for this (pull, enrol)."""

    code = ErrorCode.client_too_old


class TooMany(ServiceError):
    """Too many tries from this address or for this name; ``retry_after`` seconds until the next."""

    code = ErrorCode.rate_limited

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Gone(ServiceError):
    """What the device refers to no longer exists on the server (a sync position before a reset)."""

    code = ErrorCode.cursor_unknown


#: How the API answers each domain error (the most specific class wins).
HTTP_STATUS: dict[type[ServiceError], int] = {
    NotAuthenticated: 401, Forbidden: 403, NotFound: 404, Conflict: 409, Gone: 410, TooLarge: 413, Invalid: 422,
    TooOld: 426, TooMany: 429, ServiceError: 400,
}


def http_status(exc: ServiceError) -> int:
    for cls in type(exc).__mro__:
        if cls in HTTP_STATUS:
            return HTTP_STATUS[cls]  # type: ignore[index]
    return 400
