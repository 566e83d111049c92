"""The public notice verification pages: no token, rate-limited per client address."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from fieldapp import protocol
from fieldapp.core.verification import normalize_verification_code
from fieldapp.server.api.errors import retry_after
from fieldapp.server.api.state import server_state
from fieldapp.server.services import verify

NO_STORE = {"Cache-Control": "no-store"}
PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}

router = APIRouter(include_in_schema=False)


def limited(request: Request, language: str) -> HTMLResponse | None:
    """The 429 page when this address looked up too many notices (counted across every worker)."""
    limits = server_state(request).limits
    wait = limits.take(limits.verify, request.client.host if request.client else "unknown")
    if wait:
        return HTMLResponse(verify.too_many_page(language), status_code=429,
                            headers={"Retry-After": retry_after(wait), **NO_STORE})
    return None


def language_of(request: Request, lang: str | None) -> str:
    return verify.pick_language(lang, request.headers.get("accept-language"))


@router.get(protocol.PATH_VERIFY, response_class=HTMLResponse)
def verify_token(request: Request, token: str, lang: str | None = None) -> HTMLResponse:
    language = language_of(request, lang)
    refused = limited(request, language)
    if refused is not None:
        return refused
    with server_state(request).transaction() as session:
        notice = verify.find(session, token=token) if len(token) <= 64 else None
        page = verify.notice_page(notice, language, self_path=protocol.PATH_VERIFY.format(token=token))
    return HTMLResponse(page, status_code=200 if notice is not None else 404, headers=PRIVATE)


@router.get(protocol.PATH_VERIFY_FORM, response_class=HTMLResponse)
def verify_code(request: Request, code: str | None = None, lang: str | None = None) -> HTMLResponse:
    language = language_of(request, lang)
    if code is None or not code.strip():
        return HTMLResponse(verify.form_page(language), headers=NO_STORE)
    refused = limited(request, language)
    if refused is not None:
        return refused
    normal = normalize_verification_code(code)
    if normal is None:
        return HTMLResponse(verify.form_page(language, problem=verify.TEXTS[language]["bad_code"], code=code[:12]),
                            status_code=422, headers=NO_STORE)
    with server_state(request).transaction() as session:
        notice = verify.find(session, code=normal)
        page = verify.notice_page(notice, language, self_path=protocol.PATH_VERIFY_FORM)
    return HTMLResponse(page, status_code=200 if notice is not None else 404, headers=PRIVATE)

