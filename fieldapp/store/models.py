"""The device's tables (SQLAlchemy 2 typed ORM). The schema itself is created by Alembic revisions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[dt.datetime]):
    """An aware datetime stored as UTC and read back aware.

    SQLite keeps no zone, so without this a value comes back naive; and the outbox's ``created_at``
    must read back identical for a re-push to hash the same on the server (a duplicate, not a conflict).
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: FieldApp stores timezone-aware times only")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON, dt.datetime: UTCDateTime()}


class Meta(Base):
    """Key/value settings that must stay inside the encrypted file (device token, cursor, …)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Case(Base):
    """A case assigned to this device's user, as the server last sent it (server wins)."""

    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    revision: Mapped[int] = mapped_column(BigInteger)
    account_ref: Mapped[str] = mapped_column(String(64), unique=True)
    debtor_name: Mapped[str] = mapped_column(String(200))
    id_number_masked: Mapped[str] = mapped_column(String(64), default="")
    phone: Mapped[str] = mapped_column(String(64), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    city: Mapped[str] = mapped_column(String(100), default="", index=True)
    district: Mapped[str] = mapped_column(String(100), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    principal: Mapped[int] = mapped_column(BigInteger, default=0)  # minor units
    fees: Mapped[int] = mapped_column(BigInteger, default=0)  # minor units
    total_due: Mapped[int] = mapped_column(BigInteger, default=0)  # minor units
    dpd: Mapped[int] = mapped_column(Integer, default=0, index=True)
    overdue_since: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    last_payment_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    last_payment_amount: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    risk_grade: Mapped[str] = mapped_column(String(16), default="")
    creditor: Mapped[str] = mapped_column(String(200), default="")
    product: Mapped[str] = mapped_column(String(200), default="")
    jurisdiction: Mapped[str] = mapped_column(String(2), default="CN")
    status: Mapped[str] = mapped_column(String(16), default="open")
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    appointment_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    #: Derived locally from contact attempts, so the list can show it without a join.
    last_contact_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    #: Lower-cased name, account, phone and address, for the case list's search box.
    search_text: Mapped[str] = mapped_column(Text, default="")
    #: Stamped during a full resync; cases the resync did not see (older stamp) are removed at its end.
    sync_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ContactAttempt(Base):
    __tablename__ = "contact_attempts"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # client UUID
    case_id: Mapped[int] = mapped_column(BigInteger, index=True)  # no FK: survives a tombstone
    channel: Mapped[str] = mapped_column(String(16))
    attempted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    outcome: Mapped[str] = mapped_column(String(32))
    appointment_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    justification: Mapped[str] = mapped_column(Text, default="")
    username: Mapped[str] = mapped_column(String(64), default="")


class Visit(Base):
    __tablename__ = "visits"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # client UUID
    case_id: Mapped[int] = mapped_column(BigInteger, index=True)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(32), nullable=True)
    state: Mapped[str] = mapped_column(String(16), default="draft")  # draft → complete
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class OutboxEntry(Base):
    """A record waiting for the server's acknowledgement (PRODUCT.md §7.2).

    Written in the same transaction as the change it carries; deleted only once the server answered
    accepted or duplicate. Rejected and conflicting entries stay, visible, and never block the rest.
    """

    __tablename__ = "outbox"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)  # the record's client UUID
    kind: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    base_revision: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)  # pending|rejected|conflict
    reason: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)


class Attachment(Base):
    """A local file addressed by SHA-256; the bytes are deleted only after the server confirmed the hash."""

    __tablename__ = "attachments"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    path: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)


Index("ix_cases_status_dpd", Case.status, Case.dpd)


class AuditEventRow(Base):
    """One event of this device's audit chain (fieldapp.core.audit), in the order it was written.

    ``prev_hash`` is unique: two writers racing on the same head cannot fork the chain (the second
    commit fails and its change with it).
    """

    __tablename__ = "audit_events"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    who: Mapped[str] = mapped_column(String(128))
    device: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    case_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)
    record_id: Mapped[str] = mapped_column(String(36))


class FormVersion(Base):
    """A script, rule-pack or notice-template version received from the server; every one is kept."""

    __tablename__ = "form_versions"
    content_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    form_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(32))
    content: Mapped[str] = mapped_column(Text)
    published_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


Index("ix_form_versions_kind_form", FormVersion.kind, FormVersion.form_id)


class PlanRow(Base):
    """A sealed repayment plan made on this device, with what the server said about it since.

    ``sealed`` is SealedPlan.to_wire() as signed and never changes; ``status``, the decision and
    the instalments' payment state follow the server (PlanUpdate in a pull).
    """

    __tablename__ = "plans"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the plan's own id
    case_id: Mapped[int] = mapped_column(BigInteger, index=True)  # no FK: survives a tombstone
    status: Mapped[str] = mapped_column(String(24))
    sealed: Mapped[dict[str, Any]] = mapped_column(JSON)
    seal_sha256: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))
    agreed_total_minor: Mapped[int] = mapped_column(BigInteger)
    decided_by: Mapped[str] = mapped_column(String(64), default="")
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    decision_comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class PlanInstalmentRow(Base):
    """One instalment of a plan and how far it is paid (from the server's payment imports)."""

    __tablename__ = "plan_instalments"
    plan_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    due_on: Mapped[dt.date] = mapped_column(Date)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    paid_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[str] = mapped_column(String(16), default="upcoming")  # paid|partly_paid|overdue|due|upcoming
    paid_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


class PromiseRow(Base):
    """A promise to pay recorded on this device; kept or broken as the server judges payments."""

    __tablename__ = "promises"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[int] = mapped_column(BigInteger, index=True)
    currency: Mapped[str] = mapped_column(String(3))
    due_on: Mapped[dt.date] = mapped_column(Date)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    made_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|kept|broken
    paid_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    kept_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class NoticeRow(Base):
    """A notice printed on this device (or by ``fieldapp notice render``), with its delivery.

    ``record`` is what was synced (NoticePayload at print time): token, code, template, hashes,
    creditor and agency — no personal data.
    """

    __tablename__ = "notices"
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    code: Mapped[str] = mapped_column(String(9))
    case_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)
    template_id: Mapped[str] = mapped_column(String(64))
    template_version: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(8))
    content_hash: Mapped[str] = mapped_column(String(64))
    issued_on: Mapped[dt.date] = mapped_column(Date)
    printed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    copies: Mapped[int] = mapped_column(Integer, default=1)
    delivery: Mapped[str | None] = mapped_column(String(24), nullable=True)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
