"""Notices in the app: preview, print to a PDF-format printer (the printer boundary), refusals, today's route."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pypdf
import pytest
from PySide6.QtPrintSupport import QPrinter

from fieldapp.core.clock import TrustedClock
from fieldapp.store import repo
from fieldapp.ui.main_window import MainWindow
from fieldapp.ui.notices.dialog import NoticeDialog
from fieldapp.ui.sync_adapter import SyncAdapter

pytestmark = pytest.mark.gui

NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def clock() -> TrustedClock:
    c = TrustedClock(monotonic=lambda: 100.0, device_now=lambda: NOW.astimezone(dt.UTC))
    c.learn(NOW)
    return c


@pytest.fixture
def store(device_store: Any) -> Any:
    from client_fixtures import case_record, give_issuer

    today = NOW  # 10:00 in Shanghai on the day the injected clock says
    with device_store.session() as session:
        repo.set_work_zone(session, "Asia/Shanghai")
        repo.apply_case(session, case_record(1, debtor_name="王小明", appointment_at=today.astimezone(dt.UTC)))
        repo.apply_case(session, case_record(2, jurisdiction="US", timezone="America/New_York", currency="USD",
                                             debtor_name="Jane Doe", creditor="Bay Bank, N.A."))
        repo.apply_case(session, case_record(3, debtor_name="陈静",
                                             appointment_at=(today + dt.timedelta(hours=2)).astimezone(dt.UTC)))
        repo.apply_case(session, case_record(4, debtor_name="刘洋", flags=["attorney"],
                                             appointment_at=(today + dt.timedelta(hours=3)).astimezone(dt.UTC)))
        device_store.set_meta(session, "username", "zhangwei")
        session.commit()
    give_issuer(device_store, "示例消费金融")  # the creditor of case_record's cases, as the server publishes it
    give_issuer(device_store, "Bay Bank, N.A.", creditor_address="1 Bay Plaza, New York, NY",
                agency_name="Example Recovery Services, LLC", agency_address="PO Box 1, New York, NY",
                dispute_address="PO Box 1, New York, NY", repay_channel=None, check_channel=None)
    return device_store


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def to_pdf_printer(dialog: Any, path: Path) -> None:
    dialog.printer_factory = lambda: pdf_printer(path)
    dialog.ask_printer = False


def actions(store: Any, case_id: int) -> list[str]:
    with store.session() as session:
        return [e.action for e in repo.audit_events(session, case_id=case_id)]


def test_notice_prints_after_identity_and_is_recorded(
        qtbot: Any, styled_app: Any, store: Any, tmp_path: Path, shot_dir: Path) -> None:
    dialog = NoticeDialog(None, store, 1, language="zh-CN", clock=clock(), identity_confirmed=True)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitSignal(dialog.ready, timeout=10_000).wait()
    assert dialog.print_button.isEnabled() and "王小明" in dialog.heading.text()
    qtbot.waitUntil(lambda: dialog.preview.page_pixmap(0) is not None, timeout=10_000)
    dialog.grab().save(str(shot_dir / "notice_preview.png"))
    out = tmp_path / "printed.pdf"
    to_pdf_printer(dialog, out)
    dialog.copies.setValue(2)
    with qtbot.waitSignal(dialog.printed, timeout=10_000) as printed:
        dialog.print_button.click()
    text = "".join(page.extract_text() for page in pypdf.PdfReader(out).pages)
    assert "王小明" in text and "通告函" in text
    (token,) = printed.args[0]
    printed_events = [a for a in actions(store, 1) if a in ("notice-printed", "notice_printed")]
    assert printed_events
    if hasattr(repo, "notices_for_case"):
        with store.session() as session:
            (row,) = repo.notices_for_case(session, 1)
            assert row.token == token and row.copies == 2
    saved = tmp_path / "saved.pdf"
    dialog.save(str(saved))
    assert saved.read_bytes() == dialog.prepared.pdf and "Saved to" in dialog.message.text()


def test_save_as_pdf_from_the_button_asks_where_and_writes_it(
        qtbot: Any, styled_app: Any, store: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The button, not the method: its clicked(bool) once arrived as the file path (issue 12).
    The native file dialog is the one boundary replaced: it answers with a path in tmp."""
    from PySide6.QtWidgets import QFileDialog

    chosen = tmp_path / "from-the-button"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(chosen), "PDF (*.pdf)")))
    dialog = NoticeDialog(None, store, 1, language="en", clock=clock(), identity_confirmed=True)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitSignal(dialog.ready, timeout=10_000).wait()
    dialog.save_button.click()
    written = tmp_path / "from-the-button.pdf"
    assert written.read_bytes() == dialog.prepared.pdf and "Saved to" in dialog.message.text()


def test_print_is_refused_before_identity_where_no_sealed_envelope_is_allowed(
        qtbot: Any, styled_app: Any, store: Any) -> None:
    dialog = NoticeDialog(None, store, 2, language="en", clock=clock())
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.refused, timeout=10_000) as refused:
        dialog.show()
    assert "identity has not been confirmed" in refused.args[0]
    assert not dialog.print_button.isEnabled() and not dialog.save_button.isEnabled()
    qtbot.waitUntil(lambda: "notice_refused" in actions(store, 2), timeout=10_000)


def test_before_identity_a_cn_notice_is_only_for_a_sealed_envelope(qtbot: Any, styled_app: Any, store: Any) -> None:
    dialog = NoticeDialog(None, store, 1, language="en", clock=clock())
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.ready, timeout=10_000):
        dialog.show()
    assert "sealed envelope only" in dialog.message.text()


def test_empty_required_values_are_named_and_printing_refused(
        qtbot: Any, styled_app: Any, store: Any, isolated_home: Any = None) -> None:
    from client_fixtures import give_issuer

    give_issuer(store, "示例消费金融", creditor_address="上海市某路1号", creditor_phone="400-1", agency_name="某公司",
                agency_phone=None, dispute_phone=None, dispute_address=None, repay_channel=None, check_channel=None)
    dialog = NoticeDialog(None, store, 1, language="en", clock=clock(), identity_confirmed=True)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.refused, timeout=10_000) as refused:
        dialog.show()
    assert "required values are empty" in refused.args[0] and "agency phone" in refused.args[0]
    assert not dialog.print_button.isEnabled()


def test_todays_notices_print_as_one_job(qtbot: Any, styled_app: Any, store: Any, tmp_path: Path) -> None:
    adapter = SyncAdapter(store, use_network_information=False)
    win = MainWindow(store, adapter, language="en", clock=clock())
    adapter.setParent(win)
    qtbot.addWidget(win)
    win.show()
    try:
        with qtbot.waitSignal(win.cases_page.model.loaded, timeout=10_000):
            win.start(autosync=False)
        win.route_notices_action.trigger()
        qtbot.waitUntil(lambda: getattr(win, "route_dialog", None) is not None, timeout=10_000)
        dialog = win.route_dialog
        qtbot.waitUntil(lambda: dialog.batch is not None, timeout=10_000)
        assert len(dialog.batch.notices) == 2 and "刘洋" in dialog.message.text()  # the attorney flag leaves it out
        out = tmp_path / "route.pdf"
        to_pdf_printer(dialog, out)
        with qtbot.waitSignal(dialog.printed, timeout=10_000) as printed:
            dialog.print_button.click()
        assert len(printed.args[0]) == 2
        text = "".join(page.extract_text() for page in pypdf.PdfReader(out).pages)
        assert "王小明" in text and "陈静" in text and "刘洋" not in text
        dialog.close()
    finally:
        win.shutdown()


def test_the_wizard_offers_the_notice_only_after_identity(qtbot: Any, styled_app: Any, store: Any) -> None:
    adapter = SyncAdapter(store, use_network_information=False)
    win = MainWindow(store, adapter, language="en", clock=clock())
    adapter.setParent(win)
    qtbot.addWidget(win)
    win.show()
    try:
        with qtbot.waitSignal(win.cases_page.model.loaded, timeout=10_000):
            win.start(autosync=False)
        win.open_case(1)
        qtbot.waitUntil(lambda: win.cases_page.detail.current_case() is not None, timeout=10_000)
        with qtbot.waitSignal(win.visit_launcher.opened, timeout=10_000) as opened:
            win.start_visit()
        wizard = opened.args[0]
        wizard.next_button.click()  # check-in
        assert not wizard.print_button.isVisible()
        wizard.open_notice()  # the shortcut, pressed anyway
        assert "only after the debtor's identity is confirmed" in wizard.problem.text()
        [b for b in wizard.answers.choice_group.buttons() if b.property("value") == "verified"][0].click()
        wizard.next_button.click()
        assert wizard.print_button.isVisible()
        wizard.print_button.click()
        dialog = wizard.notice_dialog
        qtbot.waitSignal(dialog.ready, timeout=10_000).wait()
        assert "Hand it only to the verified debtor" in dialog.message.text()
        dialog.close()
        qtbot.waitUntil(wizard.is_saved, timeout=10_000)
        wizard.close()
    finally:
        win.shutdown()


def test_the_servers_issuer_profile_and_address_are_used_and_none_refuses(store: Any) -> None:
    from client_fixtures import case_record, give_issuer

    from fieldapp.app import notices as service
    from fieldapp.core.notices import NoticeError

    with store.session() as session:
        repo.apply_case(session, case_record(9, creditor="没有设置的公司"))
        session.commit()
    with pytest.raises(NoticeError, match="no issuer profile for the creditor '没有设置的公司'.*set-issuer"):
        service.prepare_notice(store, 9, language="zh-CN", now=NOW)
    give_issuer(store, "示例消费金融", verify_url="", creditor_name="示例消费金融有限公司", agency_name="某某咨询有限公司",
                agency_phone="021-1234-5678")
    with store.session() as session:
        store.set_meta(session, "server_url", "https://fieldapp.lender.example.cn")
        session.commit()
    prepared = service.prepare_notice(store, 1, language="zh-CN", now=NOW)
    assert prepared.notice.issuer.agency_phone == "021-1234-5678"
    assert prepared.notice.verify_url.startswith("https://fieldapp.lender.example.cn/v/")
    assert prepared.notice.issued_on == dt.date(2026, 11, 25)
