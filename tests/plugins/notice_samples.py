"""Sample issuers and case values for the notice tests and the notice benchmark (no real people)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fieldapp.core.notices import (
    FilledNotice,
    IssuerConfig,
    NoticeTemplate,
    fill_notice,
)
from fieldapp.core.verification import new_verification_token

ISSUED_ON = dt.date(2026, 11, 25)
CN_BASE_URL = "https://verify.huaxin-cf.example.cn"
US_BASE_URL = "https://verify.fairway.example.com"

CN_ISSUER = IssuerConfig(
    creditor_name={"zh-CN": "华信消费金融有限公司", "en": "Huaxin Consumer Finance Co., Ltd."},
    creditor_address={"zh-CN": "上海市浦东新区世纪大道100号华信大厦18层",
                      "en": "18/F Huaxin Tower, 100 Century Avenue, Pudong, Shanghai"},
    creditor_phone="400-820-1234",
    agency_name={"zh-CN": "明达信息咨询服务有限公司", "en": "Mingda Information Consulting Services Co., Ltd."},
    agency_phone="021-6888-1200",
    dispute_phone="400-820-1235",
    dispute_address={"zh-CN": "上海市浦东新区世纪大道100号华信大厦18层客户权益部",
                     "en": "Customer Rights Dept., 18/F Huaxin Tower, 100 Century Avenue, Shanghai 200120"},
    repay_channel={"zh-CN": "“华信金融”App“我的借款—还款”，或对公账户：招商银行上海分行，账号1219087654321",
                   "en": "the Huaxin Finance app (My loans → Repay), or the company account at China Merchants "
                         "Bank Shanghai Branch, account 1219087654321"},
    check_channel={"zh-CN": "“华信金融”App或官方网站www.huaxin-cf.example.cn",
                   "en": "the Huaxin Finance app or www.huaxin-cf.example.cn"},
)

US_ISSUER = IssuerConfig(
    creditor_name="Bay Bank, N.A.", creditor_address="1 Market St, San Francisco, CA 94105",
    creditor_phone="(800) 555-0100", agency_name="Fairway Recovery Services, LLC",
    agency_address="PO Box 1234, Columbus, OH 43215", agency_phone="(800) 555-0199",
    dispute_address="Fairway Recovery Services, PO Box 1234, Columbus, OH 43215", dispute_phone="(800) 555-0199",
)


def cn_values(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = dict(
        debtor_name="张伟", account_ref="HX-2024-0038817",
        contract_name={"zh-CN": "个人消费贷款合同", "en": "Personal Consumer Loan Contract"},
        product={"zh-CN": "个人消费贷款", "en": "a personal consumer loan"},
        overdue_since=dt.date(2026, 6, 15), as_of_date=dt.date(2026, 11, 20), dpd=158,
        principal=1234500, interest=98766, fees=15000, total_due=1348266, currency="CNY")
    values.update(changes)
    return values


def us_values(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = dict(
        debtor_name="Jane Doe", debtor_address="2476 Elm Street, Apt 3\nSpringfield, IL 62704", product="credit card",
        account_ref="4417-0000-0000-2291", itemization_date=dt.date(2026, 9, 1), itemization_amount=254000,
        interest_since=3125, fees_since=0, payments_since=5000, total_due=252125, currency="USD")
    values.update(changes)
    return values


def cn_notice(language: str = "zh-CN", token: str | None = None, **changes: Any) -> FilledNotice:
    return fill_notice(NoticeTemplate.bundled("cn-overdue-notice"), cn_values(**changes), language=language,
                       issuer=CN_ISSUER, token=token or new_verification_token(), base_url=CN_BASE_URL,
                       issued_on=ISSUED_ON)


def us_notice(language: str = "en", *, time_barred: bool = False, token: str | None = None,
              **changes: Any) -> FilledNotice:
    return fill_notice(NoticeTemplate.bundled("us-validation-notice"), us_values(**changes), language=language,
                       issuer=US_ISSUER, token=token or new_verification_token(), base_url=US_BASE_URL,
                       issued_on=ISSUED_ON, time_barred=time_barred)


def squeeze(text: str) -> str:
    """Text without any whitespace: line wrapping and font runs may split a value anywhere."""
    return re.sub(r"\s+", "", text)
