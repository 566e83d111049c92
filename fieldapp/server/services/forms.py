"""Published forms: script, rule-pack and notice-template versions the server hands to devices (issue 4)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldapp import protocol
from fieldapp.core.canonical import content_hash
from fieldapp.core.formcheck import _files
from fieldapp.core.forms import FormError, parse_yaml
from fieldapp.server.db import FormVersion, audit, utcnow


class PublishError(Exception):
    """Forms that cannot be published; the message is for a person."""


@dataclass
class FormFile:
    path: Path
    kind: str
    form_id: str
    version: str
    content_hash: str
    content: str


def form_identity(data: Any) -> tuple[str, str, str] | None:
    """(kind, form id, version) of a parsed form file, or None for files that are not published."""
    if not isinstance(data, dict) or data.get("kind") not in protocol.FORM_KINDS:
        return None
    kind = str(data["kind"])
    form_id = data.get("jurisdiction") if kind == "rule_pack" else data.get("id")
    return kind, str(form_id), str(data.get("version", ""))


def read_forms(directory: Path) -> list[FormFile]:
    """Every script, rule pack and notice template under ``directory`` (after ``forms check`` passed)."""
    out: list[FormFile] = []
    for path in _files(directory):
        text = path.read_text(encoding="utf-8")
        try:
            data = parse_yaml(text).data
        except FormError as exc:  # pragma: no cover - the check before refused it
            raise PublishError(f"{path}: {exc}") from None
        identity = form_identity(data)
        if identity is not None:
            out.append(FormFile(path, *identity, content_hash=content_hash(data), content=text))
    return out


@dataclass
class PublishReport:
    published: list[FormFile] = field(default_factory=list)
    unchanged: list[FormFile] = field(default_factory=list)

    def summary(self) -> str:
        return f"published {len(self.published)}, unchanged {len(self.unchanged)}"


def publish(session: Session, forms: list[FormFile], actor: str) -> PublishReport:
    """Store new versions; the same version with other content is refused (raise the version instead)."""
    report = PublishReport()
    for form in forms:
        same = session.scalars(select(FormVersion).where(
            FormVersion.kind == form.kind, FormVersion.form_id == form.form_id, FormVersion.version == form.version)).first()
        if same is not None:
            if same.content_hash != form.content_hash:
                raise PublishError(
                    f"{form.path}: {form.kind} {form.form_id} version {form.version} was already published with other "
                    "content; give the changed file a new version")
            report.unchanged.append(form)
            continue
        other = session.scalars(select(FormVersion).where(FormVersion.content_hash == form.content_hash)).first()
        if other is not None:
            raise PublishError(f"{form.path}: the same content was published as {other.kind} {other.form_id} "
                               f"version {other.version}")
        session.add(FormVersion(kind=form.kind, form_id=form.form_id, version=form.version,
                                content_hash=form.content_hash, content=form.content, published_at=utcnow(),
                                published_by=actor))
        audit(session, actor, "publish-form", f"{form.kind}:{form.form_id}", version=form.version,
              content_hash=form.content_hash)
        report.published.append(form)
    return report


def _info(row: FormVersion) -> dict[str, Any]:
    return dict(kind=row.kind, form_id=row.form_id, version=row.version, content_hash=row.content_hash,
                published_at=row.published_at)


def index(session: Session) -> list[protocol.FormInfo]:
    rows = session.scalars(select(FormVersion).order_by(FormVersion.id))
    return [protocol.FormInfo(**_info(row)) for row in rows]  # type: ignore[arg-type]


def content(session: Session, digest: str) -> protocol.FormContent | None:
    row = session.scalars(select(FormVersion).where(FormVersion.content_hash == digest)).first()
    return None if row is None else protocol.FormContent(**_info(row), content=row.content)  # type: ignore[arg-type]
