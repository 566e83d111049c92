"""Handlers of ``fieldapp admin …``: database, users, enrollment codes, devices, case import and assignment."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from fieldapp.cli.errors import CommandError
from fieldapp.server import db
from fieldapp.server.db import (
    Attachment,
    AuditChain,
    Case,
    Device,
    FormVersion,
    Notice,
    Plan,
    Record,
    User,
    audit,
    utcnow,
)
from fieldapp.server.errors import ServiceError
from fieldapp.server.services import users
from fieldapp.server.services.cases import (
    CaseError,
    assign_case,
    close_case,
    unassign_case,
)

PASSWORD_ENV = "FIELDAPP_PASSWORD"
ACTOR = "admin-cli"


@contextmanager
def _database(args: argparse.Namespace, *, upgrade: bool = False) -> Iterator[Session]:
    """One transaction on the command's database; plain errors for the usual failures."""
    url = db.resolve_db_url(getattr(args, "db", None))
    engine = db.make_engine(url)
    try:
        try:
            if upgrade:
                db.upgrade_to_head(engine)
            else:
                db.require_current_schema(engine)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from None
        with db.session_scope(db.make_sessionmaker(engine)) as session:
            yield session
    except OperationalError as exc:
        raise CommandError(f"cannot use the database {engine.url.render_as_string()}: {exc.orig}") from None
    finally:
        engine.dispose()


def init_db(args: argparse.Namespace) -> int:
    from fieldapp.server.services import escrow

    try:
        escrow.escrow_key(create=True)
    except escrow.EscrowError as exc:
        raise CommandError(str(exc)) from None
    with _database(args, upgrade=True) as session:
        epoch = db.server_meta(session).epoch
    print(f"database ready at schema {db.head_revision()} (epoch {epoch})")
    where = escrow.ESCROW_ENV if os.environ.get(escrow.ESCROW_ENV) else str(escrow.key_file_path())
    print(f"device keys are escrowed under the key in {where}: back it up apart from the database")
    return 0


def _password() -> str:
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        try:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password again: "):
                raise CommandError("the two passwords differ")
        except EOFError:
            raise CommandError(f"no password given: type it at the prompt or set {PASSWORD_ENV}") from None
    if not password:
        raise CommandError("the password is empty")
    return password


def set_team_zone(args: argparse.Namespace) -> int:
    with _database(args) as session, _refusals():
        users.set_team_zone(session, args.team, args.zone, actor=ACTOR)
    zone = args.zone.strip()
    print(f"team {args.team} works in {zone}" if zone else f"team {args.team}: each laptop uses its own zone")
    return 0


def set_issuer(args: argparse.Namespace) -> int:
    from pathlib import Path

    from fieldapp.core.issuers import read_profile_file
    from fieldapp.core.verification import NoticeError
    from fieldapp.server.services import issuers

    try:
        profile = read_profile_file(Path(args.file))
    except NoticeError as exc:
        raise CommandError(str(exc)) from None
    with _database(args) as session:
        changed = issuers.set_issuer(session, profile, actor=ACTOR)
    print(f"issuer profile for {profile.creditor} {'published' if changed else 'unchanged'} "
          f"({profile.content_hash[:12]})")
    return 0


def list_issuers(args: argparse.Namespace) -> int:
    from fieldapp.server.services import issuers

    with _database(args) as session:
        rows = issuers.listing(session)
    for row in rows:
        print(f"{row['creditor']}\t{row['content_hash'][:12]}\t{row['updated_at']}\t{row['updated_by']}"
              + ("\tdemo" if row["demo"] else ""))
    if not rows:
        print("no issuer profiles: publish one with fieldapp admin set-issuer FILE")
    return 0


def add_user(args: argparse.Namespace) -> int:
    from fieldapp.server.security import hash_password

    name = args.name.strip()
    if not name or len(name) > 64 or any(ch.isspace() for ch in name):
        raise CommandError("a username has 1 to 64 characters and no spaces")
    password_hash = hash_password(_password())
    with _database(args) as session, _refusals():
        users.add_user(session, name, role=args.role, password_hash=password_hash, team=args.team,
                       display_name=args.display_name or "", actor=ACTOR)
    print(f"added {args.role} {name}" + (f" to team {args.team}" if args.team else ""))
    return 0


def _user(session: Session, name: str) -> User:
    with _refusals():
        return users.find_user(session, name)


def enroll_code(args: argparse.Namespace) -> int:
    if not args.ttl_hours > 0:
        raise CommandError("--ttl-hours must be more than 0")
    with _database(args) as session, _refusals():
        code, expires = users.issue_enrollment_code(session, args.name, ttl_hours=args.ttl_hours, actor=ACTOR)
    print(f"One-time enrollment code for {args.name}, valid until {expires:%Y-%m-%d %H:%M} UTC:")
    print(code)
    return 0


@contextmanager
def _refusals() -> Iterator[None]:
    """A service's refusal (fieldapp.server.errors) as the command's one plain line."""
    try:
        yield
    except ServiceError as exc:
        raise CommandError(exc.message) from None


def _device(session: Session, text: str) -> Device:
    """The device with id ``text``, or a plain CommandError for a malformed or unknown id."""
    try:
        device_id = uuid.UUID(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a device id") from None
    device = session.get(Device, device_id)
    if device is None:
        raise CommandError(f"no device with id {device_id}")
    return device


def revoke_device(args: argparse.Namespace) -> int:
    with _database(args) as session:
        device = _device(session, args.device_id)
        device_id = device.id
        if device.revoked_at is None:
            device.revoked_at = utcnow()
            audit(session, ACTOR, "revoke-device", f"device:{device_id}")
    print(f"device {device_id} revoked: it will lock and wipe its data at its next contact")
    return 0


def escrow_key(args: argparse.Namespace) -> int:
    """Print a device's escrowed database key (hex, last line) for ``fieldapp recover --key``; audited."""
    from fieldapp.server.services import escrow

    with _database(args) as session:
        device = _device(session, args.device_id)
        device_id = device.id
        if device.escrow_sealed_key is None:
            raise CommandError(f"device {device_id} has no escrowed key (it was enrolled by a FieldApp too old to send one)")
        try:
            key = escrow.escrow_key()
            if escrow.key_id(key) != device.escrow_key_id:
                raise escrow.EscrowError(
                    f"device {device_id}'s key was escrowed under another escrow key (id {device.escrow_key_id}) "
                    f"than this host's (id {escrow.key_id(key)}); run this where that key is"
                )
            raw = escrow.unseal(key, device_id, device.escrow_sealed_key)
        except escrow.EscrowError as exc:
            raise CommandError(str(exc)) from None
        # Committed before the key is printed: no disclosure goes unrecorded.
        audit(session, ACTOR, "escrow-key", f"device:{device_id}")
    state = " (revoked)" if device.revoked_at else ""
    print(f"Database key of device {device_id}{state}; on that device run `fieldapp recover --key KEY`:")
    print(raw.hex())
    return 0


def list_devices(args: argparse.Namespace) -> int:
    with _database(args) as session:
        rows = session.execute(select(Device, User.username).join(User, User.id == Device.user_id).order_by(Device.created_at)).all()
        devices = [
            {
                "id": str(device.id),
                "user": username,
                "name": device.name,
                "client_version": device.client_version,
                "created_at": device.created_at.isoformat(),
                "last_seen_at": device.last_seen_at.isoformat() if device.last_seen_at else None,
                "revoked_at": device.revoked_at.isoformat() if device.revoked_at else None,
            }
            for device, username in rows
        ]
    if args.json:
        print(json.dumps(devices, indent=2))
        return 0
    if not devices:
        print("no devices enrolled")
    for d in devices:
        state = f"revoked {d['revoked_at'][:16]}" if d["revoked_at"] else f"last seen {(d['last_seen_at'] or '-')[:16]}"
        print(f"{d['id']}  {d['user']:<16} {d['name']:<20} {state}")
    return 0


def import_cases(args: argparse.Namespace) -> int:
    from fieldapp.server.services.importer import ImportFileError, read_file
    from fieldapp.server.services.importer import import_cases as run_import

    try:
        text = read_file(Path(args.file), args.encoding)
        with _database(args) as session:
            result = run_import(session, text, actor=ACTOR, on_reject=lambda line, reason: print(f"line {line}: {reason}"))
    except ImportFileError as exc:
        raise CommandError(f"cannot import {args.file}: {exc}") from None
    print(result.summary(), flush=True)
    return 0


def _for_each_case(args: argparse.Namespace, verb: str, change: Callable[[Session, Case], bool]) -> int:
    failures = 0
    changed = 0
    with _database(args) as session:
        db.lock_sequence(session)
        for ref in args.refs:
            case = session.scalars(select(Case).where(Case.account_ref == ref)).first()
            if case is None:
                print(f"{ref}: no such case")
                failures += 1
                continue
            try:
                if change(session, case):
                    changed += 1
                    audit(session, ACTOR, verb, f"case:{ref}", user=getattr(args, "user", None))
            except CaseError as exc:
                print(f"{ref}: {exc}")
                failures += 1
    print(f"{verb}: {changed} changed, {len(args.refs) - changed - failures} already so, {failures} failed")
    return 1 if failures else 0


def assign(args: argparse.Namespace) -> int:
    with _database(args) as session:
        if not _user(session, args.user).active:
            raise CommandError(f"user {args.user} is not active")

    def change(session: Session, case: Case) -> bool:
        return assign_case(session, case, _user(session, args.user))

    return _for_each_case(args, "assign", change)


def unassign(args: argparse.Namespace) -> int:
    return _for_each_case(args, "unassign", unassign_case)


def close(args: argparse.Namespace) -> int:
    return _for_each_case(args, "close", close_case)


def stats(args: argparse.Namespace) -> int:
    with _database(args) as session:
        def count(stmt: object) -> int:
            return int(session.execute(stmt).scalar_one())  # type: ignore[call-overload]

        counts = {
            "cases": count(select(func.count()).select_from(Case)),
            "assigned": count(select(func.count()).select_from(Case).where(Case.assignee_id.is_not(None), Case.status == "open")),
            "users": count(select(func.count()).select_from(User)),
            "devices": count(select(func.count()).select_from(Device).where(Device.revoked_at.is_(None))),
            "visits": count(select(func.count()).select_from(Record).where(Record.kind == "visit")),
            "attachments": count(select(func.count()).select_from(Attachment).where(Attachment.complete.is_(True))),
            "audit_breaks": count(select(func.count()).select_from(AuditChain).where(AuditChain.broken_at.is_not(None))),
            "forms": count(select(func.count()).select_from(FormVersion)),
            "plans_pending": count(select(func.count()).select_from(Plan).where(Plan.status == "pending_approval")),
            "notices": count(select(func.count()).select_from(Notice)),
        }
    if args.json:
        print(json.dumps(counts))
    else:
        for key, value in counts.items():
            print(f"{key}: {value}")
    return 0


def publish_forms(args: argparse.Namespace) -> int:
    """Check the folder like ``fieldapp forms check``; publish only when it passes."""
    from importlib.resources import as_file

    from fieldapp.core.formcheck import check_dir
    from fieldapp.core.forms import bundled_forms
    from fieldapp.server.services.forms import PublishError, publish, read_forms

    if args.directory is not None and not Path(args.directory).is_dir():
        raise CommandError(f"{args.directory} is not a folder")
    with as_file(bundled_forms()) as bundled:
        directory = Path(args.directory) if args.directory is not None else Path(bundled)
        problems, count = check_dir(directory)
        if problems:
            for problem in problems:
                print(problem)
            raise CommandError(f"nothing was published: {len(problems)} problem(s) found by the forms check")
        try:
            forms = read_forms(directory)
            with _database(args) as session:
                report = publish(session, forms, ACTOR)
        except PublishError as exc:
            raise CommandError(f"nothing was published: {exc}") from None
    for form in report.published:
        print(f"published {form.kind} {form.form_id} {form.version} ({form.content_hash[:12]})")
    print(report.summary(), flush=True)
    return 0


def audit_chains(args: argparse.Namespace) -> int:
    from fieldapp.server.services.audit_chains import chain_statuses

    with _database(args) as session:
        chains = chain_statuses(session, all_teams=True)
    if args.json:
        print(json.dumps([c.model_dump(mode="json") for c in chains], indent=2))
        return 0
    if not chains:
        print("no audit events received yet")
    for c in chains:
        state = f"BROKEN at {c.broken_event[:12]}: {c.broken_reason}" if c.broken else "whole"
        print(f"{c.device_id}  {c.username:<16} {c.length:>7} events  {state}")
    return 0


def import_payments(args: argparse.Namespace) -> int:
    from fieldapp.server.services.importer import ImportFileError, read_file
    from fieldapp.server.services.plans import import_payments as run_import

    try:
        text = read_file(Path(args.file), args.encoding)
        with _database(args) as session:
            result = run_import(session, text, actor=ACTOR, on_reject=lambda line, reason: print(f"line {line}: {reason}"))
    except ImportFileError as exc:
        raise CommandError(f"cannot import {args.file}: {exc}") from None
    print(result.effects())
    print(result.summary(), flush=True)
    return 0


def list_plans(args: argparse.Namespace) -> int:
    from fieldapp.core.money import format_amount
    from fieldapp.server.services.plans import team_plans

    with _database(args) as session:
        admin = User(username=ACTOR, role="admin")
        plans = team_plans(session, admin, args.status or None)
    if args.json:
        print(json.dumps([p.model_dump(mode="json") for p in plans], indent=2, ensure_ascii=False))
        return 0
    if not plans:
        print("no plans" + (f" {args.status}" if args.status else ""))
    for p in plans:
        print(f"{p.plan_id}  {p.account_ref:<12} {p.collector:<12} {p.status:<17} "
              f"{format_amount(p.agreed_total_minor, p.currency)}")
    return 0


def decide_plan(args: argparse.Namespace) -> int:
    """A lead's decision from the command line: the same checks and audit as the API."""
    from fieldapp.server.errors import ServiceError
    from fieldapp.server.services.plans import decide

    with _database(args) as session:
        lead = _user(session, args.lead)
        if lead.role not in ("lead", "admin"):
            raise CommandError(f"{args.lead} is not a team lead or an administrator")
        try:
            result = decide(session, lead, args.plan_id, args.decision, args.comment or "")
        except ServiceError as exc:
            raise CommandError(exc.message) from None
    print(f"plan {result.plan_id} ({result.account_ref}) is now {result.status}")
    return 0
