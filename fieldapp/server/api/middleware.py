"""ASGI middleware around every route."""

from __future__ import annotations

import datetime as dt

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fieldapp import protocol
from fieldapp.server.db import utcnow


def server_time_text(now: dt.datetime) -> str:
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
                    headers.append((protocol.HEADER_SERVER_TIME.encode(), server_time_text(utcnow()).encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_time)
