"""The one exception API code raises to answer with a protocol.ErrorBody."""

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
