"""Users, teams and one-time enrollment codes: who may sync, and in which team's working day.

Services for the admin commands and the demo: they take the caller's session (which commits), write
an audit event for every change, and refuse with fieldapp.server.errors (no HTTP, no printing).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldapp.core.clock import known_zone
from fieldapp.server.db import EnrollmentCode, Team, User, audit, utcnow
from fieldapp.server.errors import Conflict, Invalid, NotFound
from fieldapp.server.security import code_hash, new_enrollment_code

ROLES = ("collector", "lead", "admin")


def find_user(session: Session, name: str) -> User:
    user = session.scalars(select(User).where(User.username == name)).first()
    if user is None:
        raise NotFound(f"no user named {name}")
    return user


def add_user(session: Session, name: str, *, role: str, password_hash: str, team: str | None = None,
             display_name: str = "", actor: str) -> User:
    """A new active user; the team is created when it is new. Invalid for a bad name or role,
    Conflict when the name is taken."""
    name = name.strip()
    if not name or len(name) > 64 or any(ch.isspace() for ch in name):
        raise Invalid("a username has 1 to 64 characters and no spaces")
    if role not in ROLES:
        raise Invalid(f"the role must be one of {', '.join(ROLES)}")
    if session.scalars(select(User).where(User.username == name)).first():
        raise Conflict(f"user {name} already exists")
    team_row = None
    if team:
        team_row = session.scalars(select(Team).where(Team.name == team)).first()
        if team_row is None:
            team_row = Team(name=team, created_at=utcnow())
            session.add(team_row)
            session.flush()
            audit(session, actor, "add-team", f"team:{team}")
    user = User(username=name, display_name=display_name or name, role=role,
                team_id=team_row.id if team_row else None, password_hash=password_hash, active=True,
                created_at=utcnow())
    session.add(user)
    session.flush()
    audit(session, actor, "add-user", f"user:{name}", role=role, team=team)
    return user


def set_team_zone(session: Session, team: str, zone: str, *, actor: str) -> Team:
    """The IANA zone ``team`` works in ("" for each laptop's own); its laptops hear it at their next
    sync. Invalid for an unknown zone, NotFound for an unknown team."""
    zone = zone.strip()
    if zone and known_zone(zone) is None:
        raise Invalid(f"{zone!r} is not a known time zone (use a name like Asia/Shanghai)")
    row = session.scalars(select(Team).where(Team.name == team)).first()
    if row is None:
        raise NotFound(f"no team {team!r} (teams are created by add-user --team)")
    before = row.time_zone
    row.time_zone = zone or None
    audit(session, actor, "set-team-zone", f"team:{team}", before=before, after=row.time_zone)
    return row


def issue_enrollment_code(session: Session, username: str, *, ttl_hours: float, actor: str) -> tuple[str, dt.datetime]:
    """A new one-time code for ``username`` and when it expires (only its hash is kept)."""
    if not ttl_hours > 0:
        raise Invalid("the code must stay valid for more than 0 hours")
    user = find_user(session, username)
    if not user.active:
        raise Conflict(f"user {username} is not active")
    code = new_enrollment_code()
    expires = utcnow() + dt.timedelta(hours=ttl_hours)
    session.add(EnrollmentCode(code_hash=code_hash(code), user_id=user.id, created_at=utcnow(), expires_at=expires))
    audit(session, actor, "enroll-code", f"user:{user.username}", expires_at=expires.isoformat())
    return code, expires
