"""The Qt models: qtmodeltester on each, SQL filters and sorting, the lazy block cache."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt

from fieldapp.app.cases import (
    CaseFilter,
    cities,
    districts,
    fetch_rows,
    query_case_ids,
    todays_appointments,
)
from fieldapp.ui.models import BLOCK, CaseListModel

pytestmark = pytest.mark.gui


def _load(qtbot: Any, model: CaseListModel, flt: CaseFilter | None = None) -> None:
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.set_filter(flt or CaseFilter())
    qtbot.waitUntil(model.settled, timeout=10_000)


@pytest.fixture
def at(now: dt.datetime, work_zone: dt.tzinfo) -> Any:
    """CaseFilter(...) judged at the test's now, in the collector's zone."""
    return lambda **fields: CaseFilter(**{"now": now, "zone": work_zone, **fields})


def test_case_list_model_passes_the_model_tester(qtbot: Any, qtmodeltester: Any, filled_store: Any, collector_day: Any) -> None:
    model = CaseListModel(filled_store, day=collector_day)
    _load(qtbot, model)
    assert model.rowCount() == 120
    qtmodeltester.check(model)
    _load(qtbot, model, CaseFilter(text="no such debtor"))
    assert model.rowCount() == 0
    qtmodeltester.check(model)
    model.close()


def test_case_list_shows_columns_for_a_working_day(qtbot: Any, filled_store: Any, collector_day: Any) -> None:
    model = CaseListModel(filled_store, day=collector_day)
    _load(qtbot, model)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Name", "Address", "Total due", "DPD", "Appointment", "Status", "Follow-up", "Last contact"]
    # default order: highest DPD first; amounts right-aligned with the currency
    dpds = [int(model.index(r, 3).data()) for r in range(model.rowCount())]
    assert dpds == sorted(dpds, reverse=True)
    total = model.index(0, 2)
    assert total.data().startswith("¥")
    assert total.data(Qt.ItemDataRole.TextAlignmentRole) & int(Qt.AlignmentFlag.AlignRight)
    assert model.index(0, 4).data()  # the highest-DPD cases have an appointment today
    model.close()


def test_rows_are_fetched_lazily_in_blocks(qtbot: Any, device_store: Any, now: dt.datetime, collector_day: Any) -> None:
    from fieldapp.app.sample_data import fill_store

    fill_store(device_store, BLOCK * 3 + 10, now=now, appointments=0)
    model = CaseListModel(device_store, day=collector_day)
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.set_filter(CaseFilter())
    assert model.rowCount() == BLOCK and model.partial  # the first screenful, straight from SQL
    qtbot.waitUntil(model.settled, timeout=10_000)
    assert model.rowCount() == BLOCK * 3 + 10
    assert len(model._cache) == 0  # nothing read before the view asks
    model.index(0, 0).data()
    assert len(model._cache) == BLOCK
    model.index(BLOCK * 3 + 5, 0).data()
    assert len(model._cache) == BLOCK + 10
    model.close()


def test_sorting_is_done_by_the_query(qtbot: Any, filled_store: Any, collector_day: Any) -> None:
    model = CaseListModel(filled_store, day=collector_day)
    _load(qtbot, model)
    with qtbot.waitSignal(model.loaded):
        model.sort(2, Qt.SortOrder.AscendingOrder)  # total due (the index sorts like SQL)
    amounts = [model.case_row(r).total_due for r in range(model.rowCount())]
    assert amounts == sorted(amounts)
    with qtbot.waitSignal(model.loaded):
        model.sort(0, Qt.SortOrder.DescendingOrder)
    names = [model.case_row(r).debtor_name for r in range(model.rowCount())]
    assert names == sorted(names, reverse=True)
    model.close()


def test_each_filter_narrows_the_list_in_sql(filled_store: Any, at: Any, now: dt.datetime,
                                            collector_day: Any) -> None:
    with filled_store.session() as s:
        everything = query_case_ids(s, at())
        rows = fetch_rows(s, everything, now)
        some = rows[everything[5]]
        # search: name, account, phone and address; words combine
        assert everything[5] in query_case_ids(s, at(text=some.debtor_name))
        by_phone = query_case_ids(s, at(text="13"))
        assert 0 < len(by_phone) <= len(everything)
        by_street = query_case_ids(s, at(text=some.address[3:9]))
        assert everything[5] in by_street
        assert query_case_ids(s, at(text="DEMO000006")) == [6]
        assert query_case_ids(s, at(text="100% _x")) == []  # LIKE wildcards are literal
        # DPD bands
        for band, (low, high) in {"1-30": (1, 30), "31-60": (31, 60), "180+": (181, 10_000)}.items():
            ids = query_case_ids(s, at(dpd_band=band))
            assert ids and all(low <= rows[i].dpd <= high for i in ids)
        # city and district
        city = cities(s)[0]
        in_city = query_case_ids(s, at(city=city))
        assert in_city and all(rows[i].city == city for i in in_city)
        district = districts(s, city)[0]
        in_district = query_case_ids(s, at(city=city, district=district))
        assert in_district and set(in_district) <= set(in_city)
        # appointment today and the derived work states
        today = query_case_ids(s, at(appointment_today=True))
        assert len(today) == 8
        morning, _ = collector_day.bounds()
        assert set(query_case_ids(s, at(state="appointment", now=morning))) == set(today)
        assert all(rows[i].appointment_at >= now for i in query_case_ids(s, at(state="appointment")))
        contacted = query_case_ids(s, at(state="contacted"))
        new = query_case_ids(s, at(state="new"))
        assert not set(contacted) & set(new)
        flagged = query_case_ids(s, at(state="flagged"))
        assert flagged and all(rows[i].flags for i in flagged)


def test_the_index_answers_exactly_what_sql_answers(filled_store: Any, now: dt.datetime,
                                                     work_zone: dt.tzinfo) -> None:
    from fieldapp.app.case_index import CaseIndex, narrows
    from fieldapp.app.cases import SORT_KEYS, WORK_STATES

    with filled_store.session() as s:
        index = CaseIndex.build(s)
        city = cities(s)[1]
        filters = [CaseFilter(text=t) for t in ("", "王", "DEMO00001", "13", "区 路", "100% _x")]
        filters += [CaseFilter(state=st) for st in (*WORK_STATES, "flagged", "broken", "follow_up_due")]
        filters += [CaseFilter(dpd_band=b) for b in ("1-30", "91-180", "180+")]
        filters += [CaseFilter(city=city), CaseFilter(city=city, district=districts(s, city)[0]),
                    CaseFilter(appointment_today=True), CaseFilter(text="市", dpd_band="31-60", city=city)]
        filters += [CaseFilter(text="市", sort_key=k, descending=d) for k in SORT_KEYS for d in (True, False)]
        for flt in filters:
            flt = CaseFilter(**{**flt.__dict__, "now": now, "zone": work_zone})
            assert index.filter(flt) == query_case_ids(s, flt), flt
        # narrowing an earlier answer while typing on gives the same as filtering afresh
        first = CaseFilter(text="市", now=now)
        typed = CaseFilter(text="市武", now=now)
        assert narrows(typed, first) and not narrows(first, typed)
        assert index.ids_at(index.positions(typed, index.positions(first))) == index.filter(typed)


def test_appointment_today_follows_the_collectors_day(filled_store: Any, at: Any, now: dt.datetime,
                                                      collector_day: Any) -> None:
    with filled_store.session() as s:
        assert len(query_case_ids(s, at(appointment_today=True))) == 8
        in_two_days = now + dt.timedelta(days=2)
        assert query_case_ids(s, at(appointment_today=True, now=in_two_days)) == []
        appointments = todays_appointments(s, collector_day)
        assert len(appointments) == 8
        assert [a.at for a in appointments] == sorted(a.at for a in appointments)
