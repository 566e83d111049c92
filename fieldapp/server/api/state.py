"""What every request needs: the session factory and the settings read once from server_meta."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import Request
from sqlalchemy.orm import Session, sessionmaker

from fieldapp.server.api.limits import RateLimits
from fieldapp.server.db import server_meta


class ServerState:
    def __init__(self, factory: sessionmaker[Session], min_client_version: str | None, escrow_key: bytes,
                 limits: RateLimits) -> None:
        self.factory = factory
        #: enrolment and verification-page counters (memory, or Redis shared by every worker)
        self.limits = limits
        #: Seals devices' database keys at enrollment (services/escrow.py); never stored in the database.
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
        """One transaction, committed before the route answers (so an answer always means stored)."""
        with self.factory() as session, session.begin():
            yield session


def server_state(request: Request) -> ServerState:
    return request.app.state.fieldapp  # type: ignore[no-any-return]
