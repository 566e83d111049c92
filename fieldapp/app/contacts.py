"""Contact attempts: what the rule pack says about calling now, and logging what happened.

A call that happened is a fact and is kept, even one that broke a rule (a 4th connected call, a call
at night): it is logged through the audited writer, but only with a written explanation of why it
happened, the rules it broke, and a flag for the team lead (``JustificationRequired`` otherwise: the
CLI cannot log what the GUI asks a reason for). Run on Tasks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fieldapp.app.visits import VisitContext, contact_history, load_visit_context
from fieldapp.core.clock import TrustedClock
from fieldapp.core.rules import Verdict
from fieldapp.store import repo
from fieldapp.store.work import audited_write

#: The rule-pack action a logged contact counts as (letters are not checked).
RULE_ACTION_FOR_CHANNEL = {"call": "call", "sms": "sms", "wechat": "sms"}


@dataclass(frozen=True)
class ContactAttemptInput:
    """What the collector entered; times are aware, in UTC."""

    channel: str
    attempted_at: dt.datetime
    outcome: str
    appointment_at: dt.datetime | None
    note: str
    #: Why the contact happened although it broke a rule (asked for whenever ``review_attempt`` objects).
    justification: str = ""


class JustificationRequired(ValueError):
    """An attempt that broke a rule is logged only with a written explanation of why it happened."""

    def __init__(self, verdict: Verdict) -> None:
        super().__init__(f"this contact broke rule {verdict.rule_id}: write why it happened to log it")
        self.verdict = verdict


def broken_rules(verdict: Verdict) -> list[str]:
    """The ids of every rule the verdict names (the deciding one first), for the record and the lead."""
    ids = [verdict.rule_id] if verdict.rule_id else []
    return list(dict.fromkeys([*ids, *(f.rule_id for f in verdict.findings)]))


def review_attempt(context: VisitContext | None, entry: ContactAttemptInput) -> Verdict:
    """Did the attempt, at its own time, break a rule of the case's pack? (``allowed`` when not, or when the
    channel is not checked, e.g. a letter.) Pure: the contact dialog asks it as the collector types."""
    action = RULE_ACTION_FOR_CHANNEL.get(entry.channel)
    if context is None or action is None:
        return Verdict("allowed")
    return context.pack.review_logged(action, context.facts, context.history, entry.attempted_at)


def contact_rules(store: Any, case_id: int) -> tuple[VisitContext | None, TrustedClock]:
    """The case's rule pack, facts and contact history (None when the case is gone), and the store's
    trusted clock: what the contact dialog checks "may I call now" against."""
    context = load_visit_context(store, case_id)
    with store.session() as session:
        clock = repo.trusted_clock(session)
    return context, clock


def log_contact(store: Any, case_id: int, entry: ContactAttemptInput, username: str) -> str:
    """Log the attempt (its outbox row in the same transaction); one made against the rules is logged
    anyway — the record is the truth — but flagged for the team lead. Returns the attempt's id."""
    context = load_visit_context(store, case_id)
    action = RULE_ACTION_FOR_CHANNEL.get(entry.channel)

    def work(session: Any) -> str:
        rules: list[str] = []
        if context is not None and action is not None:
            review = context.pack.review_logged(action, context.facts, contact_history(session, case_id),
                                                entry.attempted_at)
            if not review.allowed:
                if not entry.justification.strip():
                    raise JustificationRequired(review)
                rules = broken_rules(review)
        attempt = repo.log_contact_attempt(
            session, case_id=case_id, channel=entry.channel, attempted_at=entry.attempted_at,
            outcome=entry.outcome, appointment_at=entry.appointment_at, note=entry.note, username=username,
            flagged=bool(rules), justification=entry.justification.strip() if rules else "", broken_rules=rules,
        )
        return str(attempt.id)

    return audited_write(store, work)
