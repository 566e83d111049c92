"""The HTTP API (FastAPI) over the services: routes by who calls them, auth as dependencies, one error map.

Modules: ``sync`` (hello, enroll, pull, push, forms: a collector's laptop), ``attachments``
(uploads), ``team`` (a lead's plans and audit chains), ``public`` (the notice verification page),
``auth`` (client version, bearer token, device, lead), ``errors`` (every error answer),
``middleware`` (the server-time header), ``state`` (the session factory and settings).
Routes hold no rules: they read the request, call a service inside one transaction, and answer.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from fieldapp import __version__
from fieldapp.server.api import attachments, errors, public, sync, team
from fieldapp.server.api.limits import RateLimits, RequestGuard, max_body_from_env
from fieldapp.server.api.middleware import ServerTimeMiddleware
from fieldapp.server.api.state import ServerState
from fieldapp.server.db import make_engine, make_sessionmaker, resolve_db_url
from fieldapp.server.services import devices, escrow

#: Environment variable the uvicorn worker factory reads for --min-client-version.
MIN_CLIENT_ENV = "FIELDAPP_MIN_CLIENT_VERSION"
#: "1" serves the interactive API documentation at /docs (off by default; /openapi.json is always there).
DOCS_ENV = "FIELDAPP_API_DOCS"


def create_app(db_url: str, *, min_client_version: str | None = None, limits: RateLimits | None = None,
               max_body: int | None = None) -> FastAPI:
    """The API on ``db_url``. The schema must already be at head: call db.prepare_database first
    (``fieldapp server`` and ``fieldapp admin init-db`` do)."""
    engine = make_engine(db_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    docs = os.environ.get(DOCS_ENV) == "1"
    app = FastAPI(lifespan=lifespan, title="FieldApp server", version=__version__,
                  description="Sync API for FieldApp devices (PRODUCT.md §7).",
                  docs_url="/docs" if docs else None, redoc_url=None)
    factory = make_sessionmaker(engine)
    # Made here when missing, so a server started without init-db still escrows (services/escrow.py).
    app.state.fieldapp = ServerState(factory, min_client_version, escrow.escrow_key(create=True),
                                     limits or RateLimits.from_env())
    for router in (sync.router, attachments.router, team.router, public.router):
        app.include_router(router)

    def known_token(token: str) -> bool:
        with factory() as session:
            return devices.token_known(session, token)

    app.add_middleware(RequestGuard, max_body=max_body or max_body_from_env(), known_token=known_token)
    app.add_middleware(ServerTimeMiddleware)
    errors.install(app)
    return app


def app_from_env() -> FastAPI:
    """Factory for uvicorn workers: FIELDAPP_DB and FIELDAPP_MIN_CLIENT_VERSION configure it."""
    return create_app(resolve_db_url(None), min_client_version=os.environ.get(MIN_CLIENT_ENV) or None)


__all__ = ["MIN_CLIENT_ENV", "app_from_env", "create_app"]
