"""The server's database: typed ORM models, the engine factory and the schema upgrade at start-up."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    create_engine,
    event,
    select,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.types import TypeDecorator

from fieldapp import paths
from fieldapp.server import migrations

ROLES = ("collector", "lead", "admin")

#: Environment variable naming the database URL for the server and every admin command.
DB_ENV = "FIELDAPP_DB"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC datetimes on both backends (SQLite would otherwise hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime stored in the server database")
        value = value.astimezone(dt.UTC)
        # SQLite keeps no zone: store naive UTC there, aware everywhere else.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


# Deterministic constraint names so Alembic batch mode on SQLite and PostgreSQL agree.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ServerMeta(Base):
    """One row: the database's random epoch (part of every pull cursor) and server-wide settings."""

    __tablename__ = "server_meta"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    epoch: Mapped[str] = mapped_column(String(32))
    min_client_version: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class SequenceCounter(Base):
    """One row whose value every case-changing transaction increments: the commit-ordered cursor."""

    __tablename__ = "sequence_counter"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class Team(Base):
    __tablename__ = "teams"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    #: The IANA zone the team works in: what "today" means on its laptops (None: each laptop's own).
    time_zone: Mapped[str | None] = mapped_column(String(64), nullable=True)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(16))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Device(Base):
    __tablename__ = "devices"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(128))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    client_version: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    #: The device's database key sealed under the escrow key (server/escrow.py), and that key's id.
    #: Kept after a revoke: IT may still need to recover unsynced work from a returned laptop.
    escrow_key_id: Mapped[str | None] = mapped_column(String(16))
    escrow_sealed_key: Mapped[bytes | None] = mapped_column(LargeBinary)


class EnrollmentCode(Base):
    __tablename__ = "enrollment_codes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    device_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_assignee_revision", "assignee_id", "revision"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_ref: Mapped[str] = mapped_column(String(64), unique=True)
    debtor_name: Mapped[str] = mapped_column(String(200), default="")
    id_number: Mapped[str] = mapped_column(String(64), default="")
    phone: Mapped[str] = mapped_column(String(64), default="")
    address: Mapped[str] = mapped_column(String(500), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    district: Mapped[str] = mapped_column(String(100), default="")
    timezone: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))
    principal: Mapped[int] = mapped_column(BigInteger, default=0)
    fees: Mapped[int] = mapped_column(BigInteger, default=0)
    total_due: Mapped[int] = mapped_column(BigInteger, default=0)
    dpd: Mapped[int] = mapped_column(Integer, default=0)
    overdue_since: Mapped[dt.date | None] = mapped_column(Date)
    last_payment_date: Mapped[dt.date | None] = mapped_column(Date)
    last_payment_amount: Mapped[int | None] = mapped_column(BigInteger)
    risk_grade: Mapped[str] = mapped_column(String(32), default="")
    creditor: Mapped[str] = mapped_column(String(200), default="")
    product: Mapped[str] = mapped_column(String(200), default="")
    jurisdiction: Mapped[str] = mapped_column(String(2))
    attributes: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="open")
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    appointment_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    revision: Mapped[int] = mapped_column(BigInteger)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Tombstone(Base):
    """A case taken from a user (reassigned, pooled) or closed: the user's devices drop it."""

    __tablename__ = "tombstones"
    __table_args__ = (Index("ix_tombstones_user_seq", "user_id", "seq"),)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    account_ref: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Issuer(Base):
    """A creditor's issuer profile (fieldapp.core.issuers): what every notice of the creditor prints
    and what the public page names. ``seq`` travels with the pulls like a case change."""

    __tablename__ = "issuers"
    creditor: Mapped[str] = mapped_column(String(200), primary_key=True)
    profile: Mapped[dict[str, Any]] = mapped_column(JSON)  # IssuerProfile.to_wire()
    content_hash: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int] = mapped_column(BigInteger, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(128))


class Record(Base):
    """A pushed outbox record; its client-made id is the idempotency key."""

    __tablename__ = "records"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    base_revision: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")


class RecordConflict(Base):
    """Another version of an already stored record id: kept apart for a lead, never overwriting."""

    __tablename__ = "record_conflicts"
    __table_args__ = (UniqueConstraint("record_id", "content_hash", name="uq_record_conflicts_record_hash"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[int | None] = mapped_column(Integer)
    base_revision: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Attachment(Base):
    """A content-addressed upload; bytes live in attachment_chunks so every worker can serve them."""

    __tablename__ = "attachments"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str] = mapped_column(String(100))
    received: Mapped[int] = mapped_column(BigInteger, default=0)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    device_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("devices.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    completed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class AttachmentChunk(Base):
    __tablename__ = "attachment_chunks"
    sha256: Mapped[str] = mapped_column(ForeignKey("attachments.sha256", ondelete="CASCADE"), primary_key=True)
    offset: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class AuditEvent(Base):
    """Every data-changing server or admin action: who, what, on what, when."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(200))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class AuditChain(Base):
    """Each device's audit chain as verified on receipt: its head, length and the first break seen."""

    __tablename__ = "audit_chains"
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    head_hash: Mapped[str] = mapped_column(String(64))
    length: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    broken_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    broken_event: Mapped[str] = mapped_column(String(64), default="")
    broken_reason: Mapped[str] = mapped_column(Text, default="")


class FormVersion(Base):
    """A published version of a visit script, rule pack or notice template (the YAML as written)."""

    __tablename__ = "form_versions"
    __table_args__ = (UniqueConstraint("kind", "form_id", "version", name="uq_form_versions_kind_form_version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    form_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(32))
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    content: Mapped[str] = mapped_column(Text)
    published_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    published_by: Mapped[str] = mapped_column(String(128))


class Plan(Base):
    """A sealed repayment plan from a device, its approval and its payment state (issue 5).

    ``seq`` is the commit-ordered counter value of the last change the collector's devices must
    pull (a lead's decision, a payment import); the sealed content itself never changes.
    """

    __tablename__ = "plans"
    __table_args__ = (Index("ix_plans_user_seq", "user_id", "seq"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id"))
    status: Mapped[str] = mapped_column(String(24), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    agreed_total_minor: Mapped[int] = mapped_column(BigInteger)
    agreed_on: Mapped[dt.date] = mapped_column(Date)
    seal_sha256: Mapped[str] = mapped_column(String(64))
    sealed: Mapped[dict[str, Any]] = mapped_column(JSON)
    instalments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    decided_by: Mapped[str] = mapped_column(String(64), default="")
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    decision_comment: Mapped[str] = mapped_column(Text, default="")
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Promise(Base):
    """A promise to pay from a device; kept or broken by imported payments."""

    __tablename__ = "promises"
    __table_args__ = (Index("ix_promises_user_seq", "user_id", "seq"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    currency: Mapped[str] = mapped_column(String(3))
    due_on: Mapped[dt.date] = mapped_column(Date)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    made_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    paid_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    kept_on: Mapped[dt.date | None] = mapped_column(Date)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Payment(Base):
    """A payment from the lending system's export; its reference makes the import idempotent."""

    __tablename__ = "payments"
    reference: Mapped[str] = mapped_column(String(100), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    account_ref: Mapped[str] = mapped_column(String(64))
    paid_on: Mapped[dt.date] = mapped_column(Date)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Notice(Base):
    """A printed notice's verification record: what the public page may say, and no more."""

    __tablename__ = "notices"
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    code: Mapped[str] = mapped_column(String(9), index=True, unique=True)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id"))
    template_id: Mapped[str] = mapped_column(String(64))
    template_version: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(8))
    content_hash: Mapped[str] = mapped_column(String(64))
    issued_on: Mapped[dt.date] = mapped_column(Date)
    printed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    creditor_name: Mapped[dict[str, str]] = mapped_column(JSON)
    agency_name: Mapped[dict[str, str]] = mapped_column(JSON)
    delivery: Mapped[str | None] = mapped_column(String(24))
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


# ------------------------------------------------------------------------------------- engines
def default_db_url() -> str:
    """SQLite file ``server.db`` in the data folder (paths.py decides where that is)."""
    return f"sqlite:///{paths.data_dir() / 'server.db'}"


def resolve_db_url(explicit: str | None) -> str:
    """``--db`` wins, then FIELDAPP_DB, then the default SQLite file."""
    import os

    return explicit or os.environ.get(DB_ENV) or default_db_url()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``: SQLite gets WAL, a busy timeout, foreign keys and write-locking BEGINs."""
    if url.startswith("sqlite"):
        db_path = url.split(":///", 1)[-1]
        if db_path and db_path != ":memory:":
            Path(db_path).parent.mkdir(parents=True, exist_ok=True)
            # It holds full ID numbers: only the server's account may read it (SQLite gives the -wal
            # and -shm files the database file's permissions).
            os.close(os.open(db_path, os.O_CREAT | os.O_WRONLY, 0o600))
            os.chmod(db_path, 0o600)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            # Let SQLAlchemy, not the driver, open transactions (so BEGIN IMMEDIATE below is ours).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            # Take the write lock up front: a deferred transaction that reads and then writes can
            # fail with "database is locked" instead of waiting for the busy timeout.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back on any exception."""
    with factory() as session, session.begin():
        yield session


def backend_name(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql" if url.startswith("postgres") else url.split(":")[0]


# ------------------------------------------------------------------------- cursor and counters
def next_sequence(session: Session, count: int = 1) -> int:
    """Take ``count`` consecutive values of the commit-ordered counter; returns the LAST one.

    The row lock taken by the UPDATE is held until commit, so on PostgreSQL a later value can
    never become visible before an earlier one (PRODUCT.md §7.4); SQLite writers are serial.
    """
    value = session.execute(
        text("UPDATE sequence_counter SET value = value + :n WHERE id = 1 RETURNING value"), {"n": count}
    ).scalar_one()
    return int(value)


def lock_sequence(session: Session) -> None:
    """Take the counter's row lock before reading cases that this transaction may change.

    Case writers then run one after another and never act on a case read before another writer
    committed (a lost tombstone would leave the case on a device for ever). No value is used up.
    SQLite needs nothing: its writers are serial (BEGIN IMMEDIATE).
    """
    session.execute(select(SequenceCounter.value).where(SequenceCounter.id == 1).with_for_update())


def current_sequence(session: Session) -> int:
    return int(session.execute(select(SequenceCounter.value).where(SequenceCounter.id == 1)).scalar_one())


def server_meta(session: Session) -> ServerMeta:
    meta = session.get(ServerMeta, 1)
    if meta is None:
        raise RuntimeError("the server database is not initialised; run `fieldapp admin init-db`")
    return meta


def insert_ignoring_conflict(session: Session, table: Any, values: dict[str, Any], index: list[str]) -> bool:
    """INSERT … ON CONFLICT DO NOTHING; True when a row was inserted. No check-then-insert race:
    on PostgreSQL a concurrent insert of the same key waits for the other transaction to finish."""
    from sqlalchemy.dialects import postgresql, sqlite

    module = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = module.insert(table).values(**values).on_conflict_do_nothing(index_elements=index)
    # RETURNING rather than rowcount: drivers do not agree on rowcount for ON CONFLICT inserts.
    stmt = stmt.returning(*[table.c[name] for name in index])
    return session.execute(stmt).first() is not None


def insert_many_ignoring_conflict(session: Session, table: Any, rows: list[dict[str, Any]], key: str) -> list[Any]:
    """One multi-row INSERT … ON CONFLICT (key) DO NOTHING; returns the keys actually inserted."""
    from sqlalchemy.dialects import postgresql, sqlite

    if not rows:
        return []
    module = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = module.insert(table).on_conflict_do_nothing(index_elements=[key]).returning(table.c[key])
    # executemany with RETURNING: SQLAlchemy's "insertmanyvalues" compiles once and sends batches.
    return list(session.execute(stmt, rows).scalars())


def audit(session: Session, actor: str, action: str, target: str, **detail: Any) -> None:
    session.add(AuditEvent(at=utcnow(), actor=actor, action=action, target=target, detail=detail))


# ------------------------------------------------------------------------------- migrations
def _alembic_config(engine: Engine | None = None) -> Any:
    """Alembic's configuration without an alembic.ini: the scripts live in this package."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(migrations.__file__).parent))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None, "the server migrations have no head revision"
    return head


def schema_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_to_head(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision, then make sure the singleton rows exist."""
    from alembic import command

    command.upgrade(_alembic_config(engine), "head")
    factory = make_sessionmaker(engine)
    with session_scope(factory) as session:
        if session.get(ServerMeta, 1) is None:
            session.add(ServerMeta(id=1, epoch=secrets.token_hex(6), min_client_version=None, created_at=utcnow()))
            audit(session, "system", "init-db", "server_meta")
        if session.get(SequenceCounter, 1) is None:
            session.add(SequenceCounter(id=1, value=0))


def prepare_database(url: str) -> None:
    """Create or upgrade the database at ``url`` (what ``init-db`` and server start-up do)."""
    engine = make_engine(url)
    try:
        upgrade_to_head(engine)
    finally:
        engine.dispose()


def require_current_schema(engine: Engine) -> None:
    """Raise RuntimeError with a plain message when the database is missing or not at head."""
    current = schema_revision(engine)
    if current is None:
        raise RuntimeError("the server database is not initialised; run `fieldapp admin init-db` first")
    if current != head_revision():
        raise RuntimeError("the server database schema is out of date; run `fieldapp admin init-db` to upgrade it")
