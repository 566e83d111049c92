"""The visit tests' cases: one per market and one per flag that stops or softens a visit."""

from __future__ import annotations

from typing import Any

import pytest
from client_fixtures import case_record, give_issuer

from fieldapp.store import repo

CASES: dict[int, dict[str, Any]] = {
    1: dict(jurisdiction="CN", timezone="Asia/Shanghai", debtor_name="王小明"),
    2: dict(jurisdiction="US", timezone="America/New_York", currency="USD", debtor_name="Jane Doe",
            address="2476 Elm Street, Springfield, IL", creditor="Bay Bank, N.A.", product="credit card"),
    3: dict(jurisdiction="IN", timezone="Asia/Kolkata", currency="INR", debtor_name="Asha Rao"),
    4: dict(jurisdiction="CN", timezone="Asia/Shanghai", debtor_name="李娜", flags=["attorney"]),
    5: dict(jurisdiction="CN", timezone="Asia/Shanghai", debtor_name="赵强", flags=["cease_contact"]),
    6: dict(jurisdiction="CN", timezone="Asia/Shanghai", debtor_name="孙丽", flags=["bereavement"]),
    7: dict(jurisdiction="CN", timezone="Asia/Shanghai", debtor_name="周杰", flags=["vulnerable"]),
}


@pytest.fixture
def store(device_store: Any) -> Any:
    with device_store.session() as session:
        for case_id, fields in CASES.items():
            repo.apply_case(session, case_record(case_id, **fields))
        for key, value in (("username", "zhangwei"), ("display_name", "张伟")):
            device_store.set_meta(session, key, value)
        session.commit()
    for creditor in {"示例消费金融", *(c["creditor"] for c in CASES.values() if "creditor" in c)}:
        give_issuer(device_store, creditor)
    return device_store
