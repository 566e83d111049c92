"""The workspace without a server: search, every filter, the detail pane, logging a contact attempt."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from fieldapp.ui.dialogs import ContactAttemptDialog
from fieldapp.ui.main_window import MainWindow
from fieldapp.ui.sync_adapter import SyncAdapter
from fieldapp.ui.tasks import running_count

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot: Any, styled_app: Any, filled_store: Any, clock: Any) -> Any:
    adapter = SyncAdapter(filled_store, use_network_information=False)
    win = MainWindow(filled_store, adapter, clock=clock)
    adapter.setParent(win)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.cases_page.model.loaded, timeout=10_000):
        win.start()
    qtbot.waitUntil(lambda: win.cases_page.city.count() > 1 and win.cases_page.model.settled())
    yield win
    win.shutdown()


def _rows(win: Any) -> int:
    return win.cases_page.model.rowCount()


def _refilter(qtbot: Any, win: Any, action: Any) -> int:
    with qtbot.waitSignal(win.cases_page.model.loaded, timeout=10_000):
        action()
    return _rows(win)


def test_search_by_name_account_phone_and_address(qtbot: Any, window: Any) -> None:
    page = window.cases_page
    first = page.model.case_row(0)
    assert _rows(window) == 120 and page.count_label.text() == "120 cases"
    for text in (first.debtor_name, "DEMO000007", first.address[6:12]):
        page.search.clear()
        with qtbot.waitSignal(page.model.loaded, timeout=10_000):
            page.search.setText(text)  # typed Chinese arrives through the input method, not key events
        assert 1 <= _rows(window) < 120, text
    page.search.clear()
    with qtbot.waitSignal(page.model.loaded, timeout=10_000):
        qtbot.keyClicks(page.search, "no such person")
    assert _rows(window) == 0 and page.count_label.text() == "0 cases"


def test_search_by_pinyin_and_initials_typed_on_the_keyboard(qtbot: Any, window: Any) -> None:
    from fieldapp.core.search import name_keys

    page = window.cases_page
    first = page.model.case_row(0)
    full, initials = name_keys(first.debtor_name)[:2]
    for typed in (full, initials, full[:4] + " " + initials[-1:]):
        page.search.clear()
        with qtbot.waitSignal(page.model.loaded, timeout=10_000):
            qtbot.keyClicks(page.search, typed)
        qtbot.waitUntil(page.model.settled, timeout=10_000)
        found = [page.model.case_row(r).debtor_name for r in range(_rows(window))]
        assert first.debtor_name in found, typed
        assert len(found) < 120, typed


def test_a_search_that_hides_the_open_case_clears_the_detail_pane(qtbot: Any, window: Any) -> None:
    page = window.cases_page
    page.view.selectRow(0)
    qtbot.waitUntil(lambda: page.detail.detail is not None, timeout=10_000)
    with qtbot.waitSignal(page.model.loaded, timeout=10_000):
        qtbot.keyClicks(page.search, "no such person")
    assert page.detail.detail is None and page.selected_case_id is None
    assert page.detail.placeholder.text() == "No case matches the search and filters."
    # a search that still shows it keeps it
    page.search.clear()
    qtbot.waitUntil(lambda: _rows(window) == 120, timeout=10_000)
    page.view.selectRow(3)
    shown = page.model.case_id(3)
    qtbot.waitUntil(lambda: page.detail.detail is not None and page.detail.detail.case["id"] == shown, timeout=10_000)
    name = page.model.case_row(3).debtor_name
    with qtbot.waitSignal(page.model.loaded, timeout=10_000):
        page.search.setText(name)
    assert page.detail.detail is not None and page.detail.detail.case["id"] == shown


def test_another_case_opens_at_the_top_of_the_detail_pane(qtbot: Any, window: Any) -> None:
    page = window.cases_page
    window.resize(1366, 728)
    page.view.selectRow(0)
    qtbot.waitUntil(lambda: page.detail.detail is not None, timeout=10_000)
    bar = page.detail.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=10_000)
    bar.setValue(bar.maximum())
    page.view.selectRow(1)
    second = page.model.case_id(1)
    qtbot.waitUntil(lambda: page.detail.detail is not None and page.detail.detail.case["id"] == second,
                    timeout=10_000)
    assert bar.value() == 0


def test_each_filter_and_clearing_them(qtbot: Any, window: Any) -> None:
    page = window.cases_page
    flagged = _refilter(qtbot, window, lambda: page.state.setCurrentIndex(page.state.findData("flagged")))
    assert 0 < flagged < 120
    assert all(page.model.case_row(r).flags for r in range(flagged))
    _refilter(qtbot, window, lambda: page.state.setCurrentIndex(0))
    band = _refilter(qtbot, window, lambda: page.dpd.setCurrentIndex(page.dpd.findData("31-60")))
    assert 0 < band < 120 and all(31 <= page.model.case_row(r).dpd <= 60 for r in range(band))
    _refilter(qtbot, window, lambda: page.dpd.setCurrentIndex(0))
    assert _refilter(qtbot, window, lambda: page.today.setChecked(True)) == 8
    _refilter(qtbot, window, lambda: page.today.setChecked(False))
    city = page.city.itemData(1)
    in_city = _refilter(qtbot, window, lambda: page.city.setCurrentIndex(1))
    assert 0 < in_city < 120 and all(page.model.case_row(r).city == city for r in range(in_city))
    qtbot.waitUntil(lambda: running_count() == 0)  # the city's own districts are offered now
    district = page.district.itemData(1)
    in_district = _refilter(qtbot, window, lambda: page.district.setCurrentIndex(1))
    assert 0 < in_district <= in_city
    assert all(page.model.case_row(r).district == district for r in range(in_district))
    assert _refilter(qtbot, window, lambda: qtbot.mouseClick(page.clear_button, Qt.MouseButton.LeftButton)) == 120


def test_from_the_search_box_enter_opens_the_first_result_and_down_reaches_the_list(
        qtbot: Any, window: Any) -> None:
    """The keyboard path a collector takes: type, Enter, read (issue 12) — no seven Tabs through the filters."""
    page = window.cases_page
    page.search.setFocus()
    with qtbot.waitSignal(page.model.loaded, timeout=10_000):
        qtbot.keyClicks(page.search, "DEMO000007")
        qtbot.keyClick(page.search, Qt.Key.Key_Return)  # before the search's pause: the new list's first row
    qtbot.waitUntil(lambda: page.detail.detail is not None and page.detail.detail.case["account_ref"] == "DEMO000007")
    assert page.view.hasFocus() and page.state.currentIndex() == 0  # no filter changed on the way
    assert page.count_label.text() == "1 case"
    page.search.setFocus()
    page.view.clearSelection()
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    assert page.view.hasFocus() and page.view.selectionModel().hasSelection()


def test_selecting_a_case_shows_its_detail(qtbot: Any, window: Any) -> None:
    page = window.cases_page
    page.view.selectRow(0)
    qtbot.waitUntil(lambda: page.detail.detail is not None)
    case = page.detail.detail.case
    assert page.detail.name.text() == case["debtor_name"]
    id_text = page.detail.fields["id_number"].text()
    assert "*" in id_text and len(id_text) == 18  # masked
    assert page.detail.total_due.text().startswith("¥")
    assert "Phone call" in page.detail.contacts.text()  # the morning's logged call


def test_logging_a_contact_attempt_puts_it_in_the_outbox(qtbot: Any, window: Any) -> None:
    page = window.cases_page
    page.view.selectRow(5)
    qtbot.waitUntil(lambda: page.detail.detail is not None)
    case_id = page.detail.detail.case["id"]
    with qtbot.waitSignal(page.contact_dialog_checked, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # the menu shortcut
    dialog = page.contact_dialog
    assert isinstance(dialog, ContactAttemptDialog) and dialog.isVisible()
    dialog.channel.setCurrentIndex(dialog.channel.findData("call"))
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("appointment"))
    assert dialog.has_appointment.isChecked()
    dialog.note.setPlainText("约好明天上午上门")
    audited = 1 if dialog.rule_notice.isVisible() else 0  # a refused "may I call now" is audited (and sent)
    if dialog.justification.isVisible():  # this test runs at any hour: at night the call needs its reason
        dialog.justification.setPlainText("债务人晚上回电，要求现在谈")
    with qtbot.waitSignal(page.contact_logged, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.pending_label.property("count") == 4 + audited, timeout=10_000)
    assert window.pending_label.text() == f"{4 + audited} waiting to sync"
    qtbot.waitUntil(lambda: page.detail.detail is not None and len(page.detail.detail.contacts) == 1)
    assert "waiting to sync" in page.detail.contacts.text() and "约好明天上午上门" in page.detail.contacts.text()
    window.show_page("outbox")
    qtbot.waitUntil(lambda: window.outbox_page.model.rowCount() == 4)
    names = [window.outbox_page.model.row_at(r).case_id for r in range(4)]
    assert case_id in names


def test_contact_dialog_refuses_an_appointment_before_the_call(qtbot: Any, styled_app: Any, now: Any) -> None:
    dialog = ContactAttemptDialog(None, debtor_name="王芳", tz_name="Asia/Shanghai", now=now)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.has_appointment.setChecked(True)
    dialog.appointment_at.setDateTime(dialog.attempted_at.dateTime().addSecs(-3600))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.result_input is None
    assert "after the call" in dialog.error.text()


@pytest.mark.parametrize("tz_name, shown", [("Asia/Shanghai", "2026-12-04 02:30"),
                                            ("America/New_York", "2026-12-03 13:30"),
                                            ("Asia/Kathmandu", "2026-12-04 00:15")])
def test_contact_dialog_shows_and_takes_the_debtors_time_on_a_laptop_in_any_zone(
        qtbot: Any, styled_app: Any, tz_name: str, shown: str) -> None:
    """18:30 UTC is the next morning in Beijing: the fields read the debtor's clock, not the laptop's."""
    import datetime as dt

    now = dt.datetime(2026, 12, 3, 18, 30, tzinfo=dt.UTC)
    dialog = ContactAttemptDialog(None, debtor_name="王芳", tz_name=tz_name, now=now)
    qtbot.addWidget(dialog)
    assert dialog.attempted_at.text() == shown
    assert tz_name in dialog.attempted_at.toolTip()
    # a time typed in is the debtor's: 09:00 there, whatever zone this laptop is in
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("no_answer"))
    dialog.attempted_at.setDateTime(dialog.attempted_at.dateTime().addSecs(-3600))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result_input is not None
    assert dialog.result_input.attempted_at == now - dt.timedelta(hours=1)


def test_keyboard_shortcuts_switch_pages_and_are_shown(qtbot: Any, window: Any) -> None:
    for key, page in ((Qt.Key.Key_1, "today"), (Qt.Key.Key_3, "outbox"), (Qt.Key.Key_2, "cases")):
        qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
        assert window.current_page() == page
    assert "Ctrl+L" in window.log_action.toolTip()
    assert "Ctrl+1" in window.rail.item(0).toolTip()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.cases_page.search


def test_today_lists_appointments_in_time_order(qtbot: Any, window: Any) -> None:
    window.show_page("today")
    page = window.today_page
    qtbot.waitUntil(lambda: page.model.rowCount() == 8)
    times = [page.model.row_at(r).appointment.at for r in range(8)]
    assert times == sorted(times)
    assert page.model.index(0, 3).data()  # the address
    page.view.setCurrentIndex(page.model.index(2, 0))
    page.open_case.emit(page.model.row_at(2).case_id)
    assert window.current_page() == "cases"
    qtbot.waitUntil(lambda: window.cases_page.detail.detail is not None)
    assert window.cases_page.detail.detail.case["id"] == page.model.row_at(2).case_id


def test_on_a_utc_evening_today_is_beijings_next_day(qtbot: Any, styled_app: Any, device_store: Any) -> None:
    """18:30 UTC on the 3rd is 02:30 on the 4th in Beijing: Today lists the 4th's eight visits and the
    case list calls them "Today", not "Tomorrow", whatever zone this laptop's clock is in."""
    import datetime as dt

    from PySide6.QtCore import QLocale

    from fieldapp.app.sample_data import fill_store
    from fieldapp.core.clock import TrustedClock
    from fieldapp.store import repo
    from fieldapp.ui.models import CaseListModel

    evening = dt.datetime(2026, 12, 3, 18, 30, tzinfo=dt.UTC)
    fill_store(device_store, 40, now=evening)
    with device_store.session() as session:
        repo.set_work_zone(session, "Asia/Shanghai")
        session.commit()
    clock = TrustedClock(device_now=lambda: evening)
    clock.learn(evening)
    adapter = SyncAdapter(device_store, use_network_information=False)
    win = MainWindow(device_store, adapter, language="en", clock=clock)
    adapter.setParent(win)
    qtbot.addWidget(win)
    win.show()
    try:
        with qtbot.waitSignal(win.cases_page.model.loaded, timeout=10_000):
            win.start(autosync=False)
        win.show_page("today")
        page = win.today_page
        qtbot.waitUntil(lambda: page.model.rowCount() == 8, timeout=10_000)
        assert page.summary.text() == "8 appointments today: 0 done, 0 in progress, 0 missed, 8 to do."
        assert page.date_label.text() == QLocale().toString(dt.date(2026, 12, 4), QLocale.FormatType.LongFormat)
        assert [page.model.index(r, 0).data() for r in (0, 7)] == ["09:30", "18:15"]  # Beijing time, no zone named
        model = win.cases_page.model
        qtbot.waitUntil(model.settled, timeout=10_000)
        column = CaseListModel.COLUMNS.index("appointment")
        booked = [model.index(r, column).data() for r in range(model.rowCount()) if model.index(r, column).data()]
        assert len(booked) == 8 and all(text.startswith("Today ") for text in booked)
    finally:
        win.shutdown()
