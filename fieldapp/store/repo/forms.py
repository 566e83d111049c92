"""Form versions the server published (scripts, rule packs, notice templates) and which one applies."""

# Like every writer in fieldapp.store.repo: takes the caller's Session and does not commit.

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldapp import protocol
from fieldapp.core.canonical import content_hash
from fieldapp.core.canonical import content_hash as hash_of
from fieldapp.core.forms import (
    FormError,
    bundled_rule_pack_data,
    bundled_script_data,
    load_yaml,
)
from fieldapp.core.notices import NoticeTemplate, bundled_notice_templates
from fieldapp.core.rules import RulePack
from fieldapp.core.scripts import VisitScript
from fieldapp.store.models import FormVersion
from fieldapp.store.repo.common import now_utc


def save_form_version(session: Session, form: protocol.FormContent) -> bool:
    """Keep a version received from the server; True when it is new. FormError when the content
    does not parse or does not hash to ``form.content_hash`` (it is then not stored)."""
    if session.get(FormVersion, form.content_hash) is not None:
        return False
    data = load_yaml(form.content)
    if content_hash(data) != form.content_hash:
        raise FormError(f"{form.kind} {form.form_id} {form.version} does not match its content hash")
    session.add(FormVersion(content_hash=form.content_hash, kind=form.kind, form_id=form.form_id, version=form.version,
                            content=form.content, published_at=form.published_at, received_at=now_utc()))
    return True


def form_versions(session: Session, kind: str | None = None, form_id: str | None = None) -> list[FormVersion]:
    """Received versions, oldest first (every version is kept: a visit started on one finishes on it)."""
    stmt = select(FormVersion).order_by(FormVersion.received_at)
    if kind is not None:
        stmt = stmt.where(FormVersion.kind == kind)
    if form_id is not None:
        stmt = stmt.where(FormVersion.form_id == form_id)
    return list(session.scalars(stmt))


def _pick_form(session: Session, kind: str, form_id: str, bundled: dict[str, Any] | None, *,
               version: str | None, content_hash: str | None) -> dict[str, Any]:
    """The parsed data of the form to use: an exact version/hash when asked, else the newest.

    Newest is by version number across received and bundled versions; on a tie the received one wins.
    """
    # (version number, received?, content hash, version text, row or bundled data)
    candidates: list[tuple[tuple[int, ...], int, str, str, Any]] = []
    for row in form_versions(session, kind, form_id):
        candidates.append((protocol.parse_version(row.version), 1, row.content_hash, row.version, row))
    if bundled is not None:
        text = str(bundled.get("version", ""))
        candidates.append((protocol.parse_version(text), 0, hash_of(bundled), text, bundled))
    if content_hash is not None:
        candidates = [c for c in candidates if c[2] == content_hash]
    elif version is not None:
        candidates = [c for c in candidates if c[3] == version]
    if not candidates:
        wanted = f" {content_hash or version}" if (content_hash or version) else ""
        raise FormError(f"no {kind.replace('_', ' ')} {form_id}{wanted} on this device; sync to receive it")
    best = max(candidates, key=lambda c: (c[0], c[1]))[4]
    return dict(best) if isinstance(best, dict) else dict(load_yaml(best.content))


def visit_script(session: Session, script_id: str, *, version: str | None = None,
                 content_hash: str | None = None) -> VisitScript:
    """The script to run: the newest received or bundled version, or exactly the one a visit
    started on (``content_hash`` from its VisitPayload.script_hash). FormError when there is none."""
    data = _pick_form(session, "script", script_id, bundled_script_data().get(script_id),
                      version=version, content_hash=content_hash)
    return VisitScript.from_dict(data)


def rule_pack(session: Session, jurisdiction: str, *, version: str | None = None,
              content_hash: str | None = None) -> RulePack:
    """The rule pack to apply for ``jurisdiction`` (newest received or bundled, or an exact one)."""
    jurisdiction = jurisdiction.upper()
    data = _pick_form(session, "rule_pack", jurisdiction, bundled_rule_pack_data().get(jurisdiction),
                      version=version, content_hash=content_hash)
    return RulePack.from_dict(data)


def notice_template(session: Session, template_id: str, *, version: str | None = None,
                    content_hash: str | None = None) -> NoticeTemplate:
    """The notice template to print (newest received or bundled, or an exact one)."""
    bundled = bundled_notice_templates().get(template_id)
    data = _pick_form(session, "notice", template_id, dict(bundled.data) if bundled else None,
                      version=version, content_hash=content_hash)
    return NoticeTemplate(data)
