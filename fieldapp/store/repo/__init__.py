"""Reads and writes on the device store that keep a change and its outbox row in one transaction.

Every function takes the caller's Session and does not commit: the caller commits (through
:func:`fieldapp.store.work.audited_write` when the change is audited), so a change and the outbox
entry that carries it to the server land together or not at all (PRODUCT.md §7.2). One module per
kind of record; this package is the one name callers use (``repo.record_plan(...)``).
"""

from __future__ import annotations

from fieldapp.store.repo.attachments import (
    add_attachment,
    attachment_path,
    read_attachment,
)
from fieldapp.store.repo.audit import append_audit, audit_events, verify_audit_chain
from fieldapp.store.repo.cases import (
    apply_case,
    apply_cases,
    case_record,
    counts,
    remove_case,
    search_text_for,
)
from fieldapp.store.repo.contacts import log_contact_attempt
from fieldapp.store.repo.forms import (
    form_versions,
    notice_template,
    rule_pack,
    save_form_version,
    visit_script,
)
from fieldapp.store.repo.issuers import issuer_profiles, save_issuer_profiles
from fieldapp.store.repo.meta import (
    META_DEVICE_ID,
    META_TRUSTED_CLOCK,
    META_USERNAME,
    META_WORK_ZONE,
    collector_day,
    meta_value,
    set_work_zone,
    trusted_clock,
    work_zone,
)
from fieldapp.store.repo.notices import (
    notices_for_case,
    record_issued_agreement,
    record_notice_delivery,
    record_printed_notice,
)
from fieldapp.store.repo.outbox import (
    CONFLICT,
    PENDING,
    REJECTED,
    enqueue,
    pending_entries,
    rejected_entries,
    retry_entry,
    to_push_record,
)
from fieldapp.store.repo.plans import (
    apply_plan_updates,
    apply_promise_updates,
    latest_plan_statuses,
    plan_instalments,
    plans_for_case,
    promises_for_case,
    record_plan,
    record_promise,
)

__all__ = [
    "issuer_profiles",
    "save_issuer_profiles",
    "PENDING",
    "REJECTED",
    "CONFLICT",
    "enqueue",
    "pending_entries",
    "rejected_entries",
    "retry_entry",
    "to_push_record",
    "META_DEVICE_ID",
    "META_USERNAME",
    "META_TRUSTED_CLOCK",
    "META_WORK_ZONE",
    "meta_value",
    "trusted_clock",
    "set_work_zone",
    "work_zone",
    "collector_day",
    "append_audit",
    "audit_events",
    "verify_audit_chain",
    "add_attachment",
    "attachment_path",
    "read_attachment",
    "log_contact_attempt",
    "search_text_for",
    "apply_case",
    "apply_cases",
    "remove_case",
    "counts",
    "case_record",
    "save_form_version",
    "form_versions",
    "visit_script",
    "rule_pack",
    "notice_template",
    "record_plan",
    "record_promise",
    "apply_plan_updates",
    "apply_promise_updates",
    "plans_for_case",
    "latest_plan_statuses",
    "plan_instalments",
    "promises_for_case",
    "record_printed_notice",
    "record_issued_agreement",
    "record_notice_delivery",
    "notices_for_case",
]
