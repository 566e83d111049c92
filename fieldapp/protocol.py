"""The wire format both sides share: pydantic models, paths, headers and error codes.

Amounts travel as integer minor units; times are timezone-aware ISO 8601; record ids are UUIDs made
on the device. See PRODUCT.md §7 for the contract these models carry.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from fieldapp import PROTOCOL_VERSION, __version__  # noqa: F401  (re-exported for both sides)
from fieldapp.core.canonical import ID_MAX, INT_MAX, hostile_input

API = "/api/v1"

# Endpoints (both sides use these constants, never literals). Every request but enroll and hello
# carries ``Authorization: Bearer <device token>``.
#: GET → Hello (no token needed).
PATH_HELLO = f"{API}/hello"
#: POST EnrollRequest → EnrollResponse.
PATH_ENROLL = f"{API}/enroll"
#: GET ?cursor=<next_cursor or empty>&limit=<n> → PullResponse; 410 cursor_unknown.
PATH_PULL = f"{API}/pull"
#: POST PushRequest → PushResponse (accepted even from a client too old for the rest: 426 elsewhere).
PATH_PUSH = f"{API}/push"
#: POST AttachmentCreate → AttachmentStatus (idempotent: an existing upload answers its state).
PATH_ATTACHMENTS = f"{API}/attachments"
#: GET → AttachmentStatus; PUT ?offset=<n> with raw bytes (application/octet-stream) → AttachmentStatus;
#: 409 offset_mismatch (ErrorDetail.received says where to resume), 422 hash_mismatch when complete.
PATH_ATTACHMENT = f"{API}/attachments/{{sha256}}"
#: POST AttachmentQuery → AttachmentHeld: which of these hashes the server holds, complete and verified.
PATH_ATTACHMENTS_HELD = f"{API}/attachments/held"
#: POST AttachmentBatch → AttachmentBatchResult: many small attachments (≤ MAX_BATCH_ITEM bytes each)
#: in one request and one server transaction, each verified by its SHA-256 and answered on its own.
#: Larger files use the resumable, chunked PATH_ATTACHMENTS/PATH_ATTACHMENT pair.
PATH_ATTACHMENTS_BATCH = f"{API}/attachments/batch"
#: GET → FormsIndex: every published script, rule-pack and notice-template version (no content).
PATH_FORMS = f"{API}/forms"
#: GET → FormContent of one version, by its content hash.
PATH_FORM = f"{API}/forms/{{content_hash}}"
#: GET ?status=pending_approval (default; "" for all) → PlanList of the lead's team (admin: all).
PATH_TEAM_PLANS = f"{API}/team/plans"
#: POST PlanDecision → PlanSummary; 409 when the plan is not pending approval. Audited; the
#: collector's devices receive it as a PlanUpdate with their next pull.
PATH_TEAM_PLAN_DECISION = f"{API}/team/plans/{{plan_id}}/decision"
#: GET → AuditChainList (lead: own team's devices; admin: all; collector: 403).
PATH_TEAM_AUDIT = f"{API}/team/audit-chains"

#: Public, rate-limited notice verification pages (HTML, zh-CN and en; ?lang= or Accept-Language).
#: GET PATH_VERIFY → whether the notice with this token is genuine; GET PATH_VERIFY_FORM → a form
#: for the short code printed on the notice (?code=XXXX-XXXX answers like PATH_VERIFY). 429 when
#: one address asks too often. A QR code carries ``<server>/v/<token>`` and nothing else.
PATH_VERIFY_FORM = "/v"
PATH_VERIFY = "/v/{token}"

#: Request header carrying the client's version (``fieldapp/0.1.0``); the server may answer 426.
HEADER_CLIENT = "X-FieldApp-Client"
#: Response header present on every response: the server's clock, ISO 8601 UTC.
HEADER_SERVER_TIME = "X-FieldApp-Server-Time"

#: Largest push batch the server accepts, and the default/maximum pull page.
MAX_PUSH_BATCH = 500
DEFAULT_PULL_PAGE = 500
MAX_PULL_PAGE = 2000
#: Attachments are uploaded in chunks of at most this many bytes.
MAX_CHUNK = 4 * 1024 * 1024
#: An attachment this small or smaller may travel in a batch (signatures, photos); larger ones are chunked.
MAX_BATCH_ITEM = 1024 * 1024
#: A batch holds at most this many attachments and this many bytes (before base64).
MAX_BATCH_ITEMS = 500
MAX_BATCH_BYTES = 8 * 1024 * 1024
#: Hashes per "which do you hold" query.
MAX_HELD_QUERY = 2000

JURISDICTIONS = ("CN", "US", "IN", "UK")
FLAGS = ("attorney", "cease_contact", "dispute_open", "vulnerable", "bereavement")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Request(_Model):
    """A request body from a device or a person: hostile until checked (see hostile_input)."""

    @model_validator(mode="before")
    @classmethod
    def _not_hostile(cls, data: Any) -> Any:
        problem = hostile_input(data)
        if problem:
            raise ValueError(problem)
        return data


# ---------------------------------------------------------------------------------------- errors
class ErrorCode(StrEnum):
    bad_request = "bad_request"
    unauthorized = "unauthorized"  # unknown or missing device token
    device_revoked = "device_revoked"  # the device must lock and wipe its data
    enrollment_invalid = "enrollment_invalid"  # wrong, used or expired code, or wrong password
    forbidden = "forbidden"
    not_found = "not_found"
    cursor_unknown = "cursor_unknown"  # 410: the client resyncs fully
    client_too_old = "client_too_old"  # 426: update the app (pushes are still accepted)
    offset_mismatch = "offset_mismatch"  # 409: resume the upload at ``received``
    hash_mismatch = "hash_mismatch"  # 422: the bytes do not hash to the address
    rate_limited = "rate_limited"
    conflict = "conflict"  # 409: the thing is no longer in a state that allows this
    server_error = "server_error"  # 500: an unexpected problem on the server; retry later


class ErrorDetail(_Model):
    code: ErrorCode
    message: str = Field(description="Plain language, for a person.")
    received: int | None = Field(default=None, description="For offset_mismatch: bytes the server holds.")


class ErrorBody(_Model):
    error: ErrorDetail
    server_time: AwareDatetime


class Hello(_Model):
    server_time: AwareDatetime
    server_version: str
    protocol: int
    min_client_version: str | None


# ------------------------------------------------------------------------------------ enrollment
class EnrollRequest(_Request):
    code: str = Field(min_length=4, max_length=64)
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    device_name: str = Field(default="", max_length=128)
    client_version: str = Field(default=__version__, max_length=32)
    #: The device's raw database key (64 lower-case hex characters), escrowed by the server so IT can
    #: recover unsynced work when the unlock secret is forgotten. Sent only inside this request, which
    #: travels over TLS off loopback. None from clients older than escrow.
    escrow_key: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$", repr=False)


class EnrollResponse(_Model):
    device_id: uuid.UUID
    device_token: str
    username: str
    display_name: str
    role: Literal["collector", "lead", "admin"]
    team: str | None
    #: The team's working time zone (IANA name): what "today" means for this collector. None: the
    #: laptop's own zone until the server names one.
    work_zone: str | None = Field(default=None, max_length=64)
    server_time: AwareDatetime


# ------------------------------------------------------------------------------------------ pull
class CaseStatus(StrEnum):
    open = "open"
    closed = "closed"


class CaseRecord(_Model):
    """One case as a device sees it. The server wins on every field here (PRODUCT.md §7.6)."""

    id: int
    revision: int
    account_ref: str
    debtor_name: str
    id_number_masked: str = Field(description="Only the first and last digits travel (PIPL minimisation).")
    phone: str
    address: str
    city: str
    district: str
    timezone: str = Field(description="IANA zone of the debtor's address, e.g. Asia/Shanghai.")
    currency: str
    principal: int = Field(description="minor units")
    fees: int = Field(description="minor units")
    total_due: int = Field(description="minor units")
    dpd: int
    overdue_since: dt.date | None
    last_payment_date: dt.date | None
    last_payment_amount: int | None = Field(description="minor units")
    risk_grade: str
    creditor: str
    product: str
    jurisdiction: Literal["CN", "US", "IN", "UK"]
    status: CaseStatus
    flags: list[str] = Field(default_factory=list)
    attributes: dict[str, str] = Field(default_factory=dict)
    appointment_at: AwareDatetime | None = None


class TombstoneReason(StrEnum):
    unassigned = "unassigned"  # taken away from this collector (reassigned or pooled)
    closed = "closed"  # paid, settled or withdrawn


class Tombstone(_Model):
    case_id: int
    account_ref: str
    reason: TombstoneReason


class InstalmentState(_Model):
    number: int
    due_on: dt.date
    amount_minor: int
    paid_minor: int
    status: str = Field(description="paid | partly_paid | overdue | due | upcoming")
    paid_on: dt.date | None = None


class PlanUpdate(_Model):
    """What changed on the server about a plan this device's user sent: a decision, payments."""

    plan_id: str
    case_id: int
    status: str = Field(description="fieldapp.core.plans status: approved, rejected, kept, broken, completed …")
    decided_by: str = ""
    decided_at: AwareDatetime | None = None
    comment: str = ""
    instalments: list[InstalmentState] = Field(default_factory=list)


class PromiseUpdate(_Model):
    promise_id: str
    case_id: int
    status: str = Field(description="pending | kept | broken")
    paid_minor: int = 0
    kept_on: dt.date | None = None


class IssuerProfileRecord(_Model):
    """A creditor's issuer profile as the server publishes it (fieldapp.core.issuers.IssuerProfile's
    wire form): the letterhead, agency and official channels every notice of the creditor prints."""

    creditor: str = Field(max_length=200)
    config: dict[str, Any]
    verify_url: str = Field(default="", max_length=200)
    logo_b64: str | None = Field(default=None, max_length=360_000)
    seal_b64: str | None = Field(default=None, max_length=360_000)
    demo: bool = False
    content_hash: str = Field(pattern=r"^[0-9a-f]{64}$")


class PullResponse(_Model):
    """A page of changes for the device's user, in commit order.

    Within a page a case appears at most once (as a case or as a tombstone), and a plan or promise
    at most once. ``plan_updates`` carry a lead's decision and the instalments' payment state for
    plans this user sent; ``promise_updates`` whether promises were kept. The client applies the
    page and stores ``next_cursor`` in one local transaction; ``has_more`` asks for the next page.
    """

    cases: list[CaseRecord]
    tombstones: list[Tombstone]
    plan_updates: list[PlanUpdate] = Field(default_factory=list)
    promise_updates: list[PromiseUpdate] = Field(default_factory=list)
    #: issuer profiles published or changed since the cursor (every creditor's: they are public)
    issuers: list[IssuerProfileRecord] = Field(default_factory=list)
    next_cursor: str
    has_more: bool
    #: The user's team's working time zone, as in EnrollResponse (it may change between syncs).
    work_zone: str | None = Field(default=None, max_length=64)
    server_time: AwareDatetime


# ------------------------------------------------------------------------------------------ push
class ContactChannel(StrEnum):
    call = "call"
    sms = "sms"
    wechat = "wechat"
    letter = "letter"


class ContactOutcome(StrEnum):
    connected = "connected"  # spoke with the debtor
    no_answer = "no_answer"
    busy = "busy"
    wrong_number = "wrong_number"
    third_party = "third_party"  # someone else answered: nothing about the debt was said
    refused = "refused"
    sms_sent = "sms_sent"
    appointment = "appointment"  # connected, and a visit time was agreed


class VisitOutcome(StrEnum):
    paid_on_spot = "paid_on_spot"
    plan_signed = "plan_signed"
    promise_to_pay = "promise_to_pay"
    refused = "refused"
    disputes_debt = "disputes_debt"
    hardship = "hardship"
    not_at_home = "not_at_home"
    moved = "moved"
    wrong_address = "wrong_address"
    deceased = "deceased"
    third_party_only = "third_party_only"


class ContactAttemptPayload(_Model):
    channel: ContactChannel
    attempted_at: AwareDatetime
    outcome: ContactOutcome
    appointment_at: AwareDatetime | None = None
    note: str = Field(default="", max_length=2000)
    flagged: bool = Field(default=False, description="Logged against a soft rule; shown to the lead.")
    justification: str = Field(default="", max_length=2000)
    broken_rules: list[Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,32}$")]] = Field(
        default_factory=list, max_length=10, description="The rule-pack rules the contact broke, at its own time.")

    @model_validator(mode="after")
    def _explained(self) -> ContactAttemptPayload:
        if self.broken_rules and not self.justification.strip():
            raise ValueError("a contact that broke a rule carries the collector's explanation (justification)")
        return self


class VisitAnswer(_Model):
    step_id: str
    answer: Any = None
    answered_at: AwareDatetime


class VisitPayload(_Model):
    started_at: AwareDatetime
    ended_at: AwareDatetime | None = None
    utc_offset_minutes: int = Field(ge=-14 * 60, le=14 * 60)
    address_confirmed: bool = False
    script_id: str = ""
    script_version: str = ""
    script_hash: str = ""
    identity_confirmed: bool = False
    present: list[str] = Field(default_factory=list)
    answers: list[VisitAnswer] = Field(default_factory=list)
    outcome: VisitOutcome
    follow_up_on: dt.date | None = None
    attachments: list[str] = Field(default_factory=list, description="SHA-256 hex of each attachment.")
    note: str = Field(default="", max_length=4000)
    flagged: bool = False
    justification: str = Field(default="", max_length=2000)


class AuditEventPayload(_Model):
    """One event of the device's audit chain (fieldapp.core.audit.AuditEvent.to_dict()).

    The server checks that each device's events link up (``prev_hash``) and hash to ``hash``; a
    break is stored, never refused, and shown to leads and admins (PRODUCT.md §8).
    """

    who: str = Field(max_length=128)
    device: str = Field(max_length=64)
    action: str = Field(max_length=64)
    detail: dict[str, Any] = Field(default_factory=dict)
    at: AwareDatetime
    prev_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    hash: str = Field(pattern=r"^[0-9a-f]{64}$")


class PlanPayload(_Model):
    """A sealed repayment plan: fieldapp.core.plans.SealedPlan.to_wire(). The signatures are
    attachments addressed by these SHA-256 hashes; the server refuses a plan that fails its seal."""

    plan: dict[str, Any]
    debtor_signature_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    collector_signature_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    seal_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    seal_version: int


class PromisePayload(_Model):
    """A promise to pay: fieldapp.core.plans.PromiseToPay.to_wire() (amount in minor units)."""

    id: str = Field(min_length=1, max_length=36)
    case_ref: str = Field(default="", max_length=64)
    currency: str = Field(min_length=3, max_length=3)
    due_on: dt.date
    amount_minor: int = Field(gt=0)
    made_on: dt.date | None = None


class NoticeDelivery(StrEnum):
    """How a notice left the collector's hands. There is no "posted on the door" (PRODUCT.md §1)."""

    handed_to_debtor = "handed_to_debtor"  # to the debtor, after the identity check
    sealed_envelope = "sealed_envelope"  # to an adult household member, sealed, where the rule pack allows it
    refused = "refused"
    not_delivered = "not_delivered"


class NoticePayload(_Model):
    """A printed notice: fieldapp.core.notices.FilledNotice.record() plus when it was printed and,
    once known, how it was delivered. Registers the verification token on the server. Nothing here
    names the debtor or an amount: it is what the public verification page may show."""

    token: str = Field(pattern=r"^[A-Za-z0-9_-]{22,64}$")
    code: str = Field(pattern=r"^[0-9A-Z]{4}-[0-9A-Z]{4}$")
    template_id: str = Field(max_length=64)
    template_version: str = Field(max_length=32)
    template_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    language: str = Field(max_length=8)
    content_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    issued_on: dt.date
    creditor_name: dict[Annotated[str, Field(max_length=8)], Annotated[str, Field(max_length=200)]] = Field(max_length=4)
    agency_name: dict[Annotated[str, Field(max_length=8)], Annotated[str, Field(max_length=200)]] = Field(max_length=4)
    time_barred: bool = False
    printed_at: AwareDatetime
    delivery: NoticeDelivery | None = None
    delivered_at: AwareDatetime | None = None


#: ``NoticePayload.template_id`` of a signed repayment agreement's record: its QR code verifies on the
#: same page ("this agreement is genuine"); template_hash and content_hash are then the plan's seal.
AGREEMENT_DOCUMENT_ID = "repayment-agreement"


class NoticeDeliveryPayload(_Model):
    """The delivery of a notice printed earlier (the notice record itself never changes)."""

    token: str = Field(pattern=r"^[A-Za-z0-9_-]{22,64}$")
    delivery: NoticeDelivery
    delivered_at: AwareDatetime
    note: str = Field(default="", max_length=2000)


#: The typed envelope's kinds. Later features (plans, notices, audit events) add entries here; a
#: server that does not know a kind rejects that record alone, never the batch.
PAYLOAD_TYPES: dict[str, type[_Model]] = {
    "contact_attempt": ContactAttemptPayload,
    "visit": VisitPayload,
    "audit_event": AuditEventPayload,
    "plan": PlanPayload,
    "promise": PromisePayload,
    "notice": NoticePayload,
    "notice_delivery": NoticeDeliveryPayload,
}


class PushRecord(_Model):
    id: uuid.UUID = Field(description="Made on the device; the server inserts idempotently by it.")
    kind: str = Field(max_length=40)
    case_id: int | None = Field(default=None, ge=1, le=ID_MAX)
    base_revision: int | None = Field(default=None, ge=0, le=INT_MAX,
                                      description="Case revision the record was made against.")
    created_at: AwareDatetime
    payload: dict[str, Any]


class PushRequest(_Request):
    records: list[PushRecord] = Field(max_length=MAX_PUSH_BATCH)


class RecordStatus(StrEnum):
    accepted = "accepted"  # stored now
    duplicate = "duplicate"  # the same id with the same content was stored before: fine
    conflict = "conflict"  # the same id with other content: kept apart for a lead, never overwritten
    rejected = "rejected"  # not stored; ``reason`` says why in plain language


class PushResult(_Model):
    id: uuid.UUID
    status: RecordStatus
    reason: str | None = None


class PushResponse(_Model):
    results: list[PushResult]
    server_time: AwareDatetime


def record_content_hash(record: PushRecord) -> str:
    """What makes two pushes of one id "the same content"."""
    from fieldapp.core.canonical import content_hash

    return content_hash(
        {
            "kind": record.kind,
            "case_id": record.case_id,
            "created_at": record.created_at.isoformat(),
            "payload": record.payload,
        }
    )


# ----------------------------------------------------------------------------------------- forms
#: Kinds of published forms: visit scripts, rule packs (id = jurisdiction) and notice templates.
FORM_KINDS = ("script", "rule_pack", "notice")


class FormInfo(_Model):
    kind: Literal["script", "rule_pack", "notice"]
    form_id: str = Field(max_length=64)
    version: str = Field(max_length=32)
    content_hash: str = Field(pattern=r"^[0-9a-f]{64}$",
                              description="SHA-256 of the canonical JSON of the parsed YAML (what a visit records).")
    published_at: AwareDatetime


class FormsIndex(_Model):
    """Every published version; the device fetches the ones it lacks (PATH_FORM) and keeps them all."""

    forms: list[FormInfo]
    server_time: AwareDatetime


class FormContent(FormInfo):
    content: str = Field(description="The YAML as published; the device checks it hashes to content_hash.")


# ------------------------------------------------------------------------------------------ team
class AuditChainStatus(_Model):
    device_id: uuid.UUID
    username: str
    length: int = Field(description="Events verified so far.")
    head_hash: str
    broken: bool
    broken_at: AwareDatetime | None = None
    broken_event: str = ""
    broken_reason: str = ""


class AuditChainList(_Model):
    chains: list[AuditChainStatus]
    server_time: AwareDatetime


class PlanSummary(_Model):
    """A plan as a lead reviews it."""

    plan_id: str
    case_id: int
    account_ref: str
    collector: str
    status: str
    currency: str
    agreed_total_minor: int
    received_at: AwareDatetime
    decided_by: str = ""
    decided_at: AwareDatetime | None = None
    comment: str = ""
    signatures_received: bool = Field(default=False, description="Both signature attachments are on the server, "
                                                                 "complete and verified.")
    sealed: dict[str, Any] = Field(description="PlanPayload as the device sent it (schedule, checks, signatures).")


class PlanList(_Model):
    plans: list[PlanSummary]
    server_time: AwareDatetime


class PlanDecision(_Request):
    decision: Literal["approve", "reject"]
    comment: str = Field(default="", max_length=2000)


# ----------------------------------------------------------------------------------- attachments
class AttachmentCreate(_Request):
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0, le=2 * 1024**3)
    content_type: str = Field(default="application/octet-stream", max_length=100)


class AttachmentStatus(_Model):
    sha256: str
    size: int
    received: int = Field(description="Bytes held; the next chunk starts here.")
    complete: bool = Field(description="All bytes received and their SHA-256 verified.")
    server_time: AwareDatetime


_SHA256 = r"^[0-9a-f]{64}$"


class AttachmentQuery(_Request):
    sha256: list[Annotated[str, Field(pattern=_SHA256)]] = Field(
        max_length=MAX_HELD_QUERY, description="Lower-case hex SHA-256 of each attachment.")


class AttachmentHeld(_Model):
    held: list[str] = Field(description="The asked hashes the server holds complete and verified; "
                                        "the device may delete its copies of these.")
    server_time: AwareDatetime


class AttachmentItem(_Model):
    sha256: str = Field(pattern=_SHA256)
    content_type: str = Field(default="application/octet-stream", max_length=100)
    data: str = Field(description="The bytes, standard base64 (RFC 4648 §4, no line breaks).")


class AttachmentBatch(_Request):
    items: list[AttachmentItem] = Field(max_length=MAX_BATCH_ITEMS)


class AttachmentItemStatus(StrEnum):
    stored = "stored"  # received now; its SHA-256 verified
    held = "held"  # the server already held these bytes: fine
    hash_mismatch = "hash_mismatch"  # the bytes do not hash to the address: nothing stored, send again
    rejected = "rejected"  # not stored; ``reason`` says why (e.g. too large for a batch)


class AttachmentItemResult(_Model):
    sha256: str
    status: AttachmentItemStatus
    reason: str | None = None


class AttachmentBatchResult(_Model):
    """One result per item, in request order. Only ``stored`` and ``held`` confirm the hash."""

    results: list[AttachmentItemResult]
    server_time: AwareDatetime


# --------------------------------------------------------------------------------------- helpers
def client_header_value(version: str = __version__) -> str:
    return f"fieldapp/{version}"


def parse_version(text: str) -> tuple[int, ...]:
    """``"fieldapp/1.2.3"`` or ``"1.2.3"`` → ``(1, 2, 3)``; unparseable parts count as 0."""
    text = text.rsplit("/", 1)[-1]
    parts: list[int] = []
    for part in text.split("."):
        digits = "".join(ch for ch in part if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)
