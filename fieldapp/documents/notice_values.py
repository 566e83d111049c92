"""A synced case → the values a notice template asks for (the glue for ``fieldapp notice render`` and the GUI).

Only what the case says: amounts stay integer minor units, dates stay dates. Values the case does
not carry are left out, so :func:`fieldapp.core.notices.fill_notice` refuses the notice and names
them — never a guessed balance. Issuer values (creditor letterhead, official phone, repayment and
dispute channels) come from :class:`fieldapp.core.notices.IssuerConfig`, chosen by ``case.creditor``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fieldapp.core.notices import (
    FilledNotice,
    IssuerConfig,
    NoticeTemplate,
    fill_notice,
)
from fieldapp.core.verification import new_verification_token
from fieldapp.protocol import CaseRecord

#: ``case.attributes`` keys read for a US validation notice (dates ISO, amounts integer minor units).
US_ITEMIZATION_ATTRIBUTES = ("itemization_date", "itemization_amount", "interest_since", "fees_since", "payments_since")


def notice_values_from_case(case: CaseRecord, *, as_of: dt.date) -> dict[str, Any]:
    """The case's values for ``fill_notice``; ``as_of`` is the date the balance is stated for.

    ``contract_name`` is ``attributes["contract_name"]`` when the lending system sent one, else the
    product's standard loan agreement. Interest is what the total holds beyond principal and fees.
    """
    values: dict[str, Any] = {
        "debtor_name": case.debtor_name,
        "debtor_address": case.address,
        "account_ref": case.account_ref,
        "product": case.product,
        "contract_name": case.attributes.get("contract_name") or {
            "zh-CN": f"{case.product}借款合同", "en": f"{case.product} loan agreement"},
        "currency": case.currency,
        "principal": case.principal,
        "fees": case.fees,
        "interest": max(case.total_due - case.principal - case.fees, 0),
        "total_due": case.total_due,
        "dpd": case.dpd,
        "overdue_since": case.overdue_since,
        "as_of_date": as_of,
    }
    for key in US_ITEMIZATION_ATTRIBUTES:
        raw = case.attributes.get(key, "").strip()
        if raw:
            values[key] = dt.date.fromisoformat(raw) if key.endswith("_date") else int(raw)
    return values


def notice_for_case(template_id: str, case: CaseRecord, *, language: str, issuer: IssuerConfig, base_url: str,
                    issued_on: dt.date, token: str | None = None) -> FilledNotice:
    """The one way a case becomes a notice, for the GUI and ``fieldapp notice render`` alike.

    A new random token unless one is given (re-printing a recorded notice passes its token). The
    balance is stated as of ``issued_on``; US7 comes from :func:`case_is_time_barred`. Raises
    MissingNoticeValues (naming the empty fields) or NoticeError, FormError for an unknown template.
    """
    return fill_notice(NoticeTemplate.bundled(template_id), notice_values_from_case(case, as_of=issued_on),
                       language=language, issuer=issuer, token=token or new_verification_token(),
                       base_url=base_url, issued_on=issued_on, time_barred=case_is_time_barred(case))


def case_is_time_barred(case: CaseRecord) -> bool:
    """US7: the case is flagged time-barred (flag ``time_barred`` or ``attributes["time_barred"] == "true"``)."""
    return "time_barred" in case.flags or case.attributes.get("time_barred", "").lower() == "true"


__all__ = ("US_ITEMIZATION_ATTRIBUTES", "case_is_time_barred", "notice_for_case", "notice_values_from_case")
