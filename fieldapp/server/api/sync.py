"""The sync routes a collector's laptop calls: hello, enroll, pull, push and the published forms."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from fieldapp import PROTOCOL_VERSION, __version__, protocol
from fieldapp.server.api.auth import Token, device, require_current_client
from fieldapp.server.api.errors import ERROR_RESPONSES
from fieldapp.server.api.state import server_state
from fieldapp.server.db import utcnow
from fieldapp.server.errors import Gone, NotFound, TooMany
from fieldapp.server.services import devices, enrolment
from fieldapp.server.services import forms as published_forms
from fieldapp.server.services.pull import (
    CursorUnknown,
    decode_cursor,
    encode_cursor,
    pull_page,
)
from fieldapp.server.services.push import store_batch

router = APIRouter(responses=ERROR_RESPONSES)


@router.get(protocol.PATH_HELLO, response_model=protocol.Hello, dependencies=[Depends(require_current_client)])
def hello(request: Request) -> protocol.Hello:
    return protocol.Hello(server_time=utcnow(), server_version=__version__, protocol=PROTOCOL_VERSION,
                          min_client_version=server_state(request).min_client_version)


@router.post(protocol.PATH_ENROLL, response_model=protocol.EnrollResponse, dependencies=[Depends(require_current_client)])
def enroll(request: Request, body: protocol.EnrollRequest) -> protocol.EnrollResponse:
    state = server_state(request)
    limits = state.limits
    wait = max(limits.take(limits.enroll, request.client.host if request.client else "unknown"),
               limits.take(limits.enroll_user, body.username.strip().lower()))
    if wait:
        raise TooMany("too many enrollment attempts; wait a few minutes and try again", retry_after=wait)
    with state.transaction() as session:
        return enrolment.enroll(session, body, state.escrow_key)


@router.get(protocol.PATH_PULL, response_model=protocol.PullResponse, dependencies=[Depends(require_current_client)])
def pull(request: Request, token: Token, cursor: str = "",
         limit: Annotated[int, Query(ge=1)] = protocol.DEFAULT_PULL_PAGE) -> protocol.PullResponse:
    state = server_state(request)
    epoch = state.epoch
    with state.transaction() as session:
        caller = device(session, request, token)
        try:
            since = decode_cursor(cursor, epoch)
            page = pull_page(session, caller.user_id, since, min(limit, protocol.MAX_PULL_PAGE))
        except CursorUnknown:
            raise Gone("the server does not recognise this sync position; a full resync is needed") from None
        return protocol.PullResponse(
            cases=page.cases, tombstones=page.tombstones, plan_updates=page.plan_updates,
            promise_updates=page.promise_updates, issuers=page.issuers, next_cursor=encode_cursor(epoch, page.next_seq),
            has_more=page.has_more, work_zone=devices.team_zone(session, caller.user_id), server_time=utcnow(),
        )


@router.post(protocol.PATH_PUSH, response_model=protocol.PushResponse)
def push(request: Request, token: Token, body: protocol.PushRequest) -> protocol.PushResponse:
    # No version check: data already collected is accepted from any client version.
    with server_state(request).transaction() as session:
        results = store_batch(session, device(session, request, token), body.records)
    return protocol.PushResponse(results=results, server_time=utcnow())


@router.get(protocol.PATH_FORMS, response_model=protocol.FormsIndex)
def forms_index(request: Request, token: Token) -> protocol.FormsIndex:
    with server_state(request).transaction() as session:
        device(session, request, token)
        return protocol.FormsIndex(forms=published_forms.index(session), server_time=utcnow())


@router.get(protocol.PATH_FORM, response_model=protocol.FormContent)
def form_content(request: Request, token: Token, content_hash: str) -> protocol.FormContent:
    with server_state(request).transaction() as session:
        device(session, request, token)
        form = published_forms.content(session, content_hash.lower())
    if form is None:
        raise NotFound("no published form has this content hash")
    return form
