"""The plan editor end to end: inputs → live schedule and verdict → both sign → sealed, stored, printed.

Signatures are drawn with simulated mouse strokes on the real pads; the printer boundary is a
PDF-format QPrinter writing to a file (never a real print dialog).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from fieldapp.core.money import format_amount, to_minor
from fieldapp.core.plans import PENDING_APPROVAL, verify_seal
from fieldapp.documents.agreement_pdf import format_date

pytestmark = pytest.mark.gui

DEBTOR = "王小明"
CASE_ID = 7


@pytest.fixture
def plan_store(device_store: Any) -> Any:
    """A store with one Chinese case of ¥13,482.66 and a collector named 张伟."""
    from fieldapp import protocol
    from fieldapp.store import repo

    record = protocol.CaseRecord(
        id=CASE_ID, revision=1, account_ref="HX-2024-0038817", debtor_name=DEBTOR, id_number_masked="3***************8",
        phone="13800138000", address="北京市朝阳区建国路 1 号", city="北京", district="朝阳区", timezone="Asia/Shanghai",
        currency="CNY", principal=1_234_500, fees=15_000, total_due=1_348_266, dpd=158,
        overdue_since=dt.date(2026, 6, 15), last_payment_date=None, last_payment_amount=None, risk_grade="C",
        creditor="华信消费金融有限公司", product="个人消费贷款",
        jurisdiction="CN", status=protocol.CaseStatus.open, flags=[],
    )
    with device_store.session() as session:
        repo.apply_case(session, record)
        device_store.set_meta(session, "display_name", "张伟")
        session.commit()
    from client_fixtures import give_issuer

    give_issuer(device_store, "华信消费金融有限公司", verify_url="https://verify.huaxin-cf.example.cn")
    return device_store


def open_editor(qtbot: Any, store: Any, language: str = "zh-CN") -> Any:
    from fieldapp.ui.plans.editor import PlanEditorDialog

    dialog = PlanEditorDialog(None, store, CASE_ID, language=language, visit_id="5b8e0a4c-1f7e-4c1e-9a55-0d4f0c3a9e11")
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.ready, timeout=5000):
        dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def draw(pad: Any, wave: int = 0) -> None:
    """One stroke across the pad with the mouse: press, a zig-zag of moves, release."""
    QTest.mousePress(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(30, 90))
    for step, x in enumerate(range(50, 330, 20)):
        QTest.mouseMove(pad, QPoint(x, 60 + (step % 3) * (18 + wave)))
    QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(330, 100))


def sign_and_seal(qtbot: Any, dialog: Any) -> Any:
    assert dialog.to_sign_button.isEnabled(), dialog.verdict_title.text()
    qtbot.mouseClick(dialog.to_sign_button, Qt.MouseButton.LeftButton)
    assert dialog.stack.currentIndex() == 1
    draw(dialog.pads["debtor"], 0)
    draw(dialog.pads["collector"], 9)
    assert dialog.seal_button.isEnabled()
    with qtbot.waitSignal(dialog.agreement_ready, timeout=10000):
        with qtbot.waitSignal(dialog.sealed, timeout=5000):
            qtbot.mouseClick(dialog.seal_button, Qt.MouseButton.LeftButton)
    return dialog.sealed_plan


def pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace(" ", "")


def qr_texts(pdf: bytes, page: int) -> list[str]:
    import pypdfium2
    import zxingcpp

    image = pypdfium2.PdfDocument(pdf)[page].render(scale=150 / 72).to_pil()
    return [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


# ------------------------------------------------------------------------------------------ tests
def test_sign_seal_store_print_and_verify_the_agreement(qtbot: Any, styled_app: Any, plan_store: Any,
                                                        tmp_path: Path) -> None:
    from PySide6.QtPrintSupport import QPrinter

    from fieldapp.app import plans as persist
    from fieldapp.store import repo

    dialog = open_editor(qtbot, plan_store)
    dialog.count.setValue(6)
    dialog.down_payment.setText("1000")
    assert dialog.schedule.rowCount() == 7  # the down payment and six instalments
    assert "Within your authority" in dialog.verdict_title.text()
    sealed = sign_and_seal(qtbot, dialog)
    assert verify_seal(sealed) and sealed.plan.status == "active"
    assert dialog.stack.currentIndex() == 2 and "active" in dialog.done_status.text()

    # stored in one transaction: the plan queued for sync, both signature images by their sealed hashes
    with plan_store.session() as session:
        kinds = [e.kind for e in repo.pending_entries(session, limit=100)]
        assert "plan" in kinds
        from fieldapp.store.models import Attachment

        for digest in (sealed.debtor_signature, sealed.collector_signature):
            image = session.get(Attachment, digest)
            assert image is not None and image.content_type == "image/png"
            assert repo.read_attachment(plan_store, image)[:8] == b"\x89PNG\r\n\x1a\n"
    history = persist.case_history(plan_store, CASE_ID)
    assert [p.sealed.seal for p in history.plans] == [sealed.seal]
    assert history.plans[0].verification_token == dialog.verification_token != ""  # a reprint shows the same code

    # the agreement: Chinese names, every schedule date and amount, the seal; the QR is exactly the URL
    pdf = dialog.agreement_pdf
    text = pdf_text(pdf)
    for expected in (DEBTOR, "华信消费金融有限公司", "明达信息咨询服务有限公司", "400-820-1234", "张伟", "违约责任",
                     sealed.seal):
        assert expected in text, expected
    for item in sealed.plan.instalments:
        assert format_date(item.due_on, "zh-CN") in text
        assert format_amount(to_minor(item.amount, "CNY"), "CNY") in text
    url = f"https://verify.huaxin-cf.example.cn/v/{dialog.verification_token}"
    found = [t for page in range(2) for t in qr_texts(pdf, page)]
    assert found == [url]

    # print: a PDF-format printer writing a file is the boundary; save writes the vector original
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert dialog.print_agreement(printer=printer, ask=False, copies=1)
    printed = (tmp_path / "printed.pdf").read_bytes()
    assert printed.startswith(b"%PDF") and DEBTOR in pdf_text(printed)
    saved = dialog.save_agreement(tmp_path / "agreement.pdf")
    assert Path(saved).read_bytes() == pdf

    # closing after sealing counts as done
    dialog.reject()
    assert dialog.result() == dialog.DialogCode.Accepted


def test_the_editor_refuses_to_seal_without_both_signatures(qtbot: Any, styled_app: Any, plan_store: Any) -> None:
    from fieldapp.app import plans as persist

    dialog = open_editor(qtbot, plan_store)
    qtbot.mouseClick(dialog.to_sign_button, Qt.MouseButton.LeftButton)
    draw(dialog.pads["debtor"])
    assert not dialog.seal_button.isEnabled()
    assert dialog.seal() is False
    assert "must sign" in dialog.error.text() and dialog.error.isVisible()
    assert dialog.sealed_plan is None and persist.case_history(plan_store, CASE_ID).plans == ()


def test_undo_redo_and_clear_on_the_signature_pad(qtbot: Any, styled_app: Any) -> None:
    from fieldapp.ui.plans.signature import STROKE_FORMAT, SignaturePad, png_size

    pad = SignaturePad(hint="Sign here")
    qtbot.addWidget(pad)
    pad.resize(420, 180)
    pad.show()
    qtbot.waitExposed(pad)
    with qtbot.waitSignal(pad.changed):
        draw(pad)
    draw(pad, 5)
    data = pad.strokes()
    assert data["format"] == STROKE_FORMAT and len(data["strokes"]) == 2
    times = [t for _, _, t, _ in data["strokes"][0]]
    assert times == sorted(times) and all(p == 1.0 for *_, p in data["strokes"][0])
    pad.undo()
    assert len(pad.strokes()["strokes"]) == 1 and pad.can_redo()
    pad.redo()
    assert len(pad.strokes()["strokes"]) == 2
    pad.clear()
    assert pad.is_empty()
    pad.redo()  # a clear can be taken back too
    assert len(pad.strokes()["strokes"]) == 2
    draw(pad)
    assert not pad.can_redo()  # a new stroke ends the redo history
    png = pad.to_png(600, 200)
    assert png.startswith(b"\x89PNG") and png_size(png) == (600, 200)


def test_touch_input_draws_a_stroke(qtbot: Any, styled_app: Any) -> None:
    from fieldapp.ui.plans.signature import SignaturePad

    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(420, 180)
    pad.show()
    qtbot.waitExposed(pad)
    device = QTest.createTouchDevice()
    QTest.touchEvent(pad, device).press(0, QPoint(40, 80)).commit()
    QTest.touchEvent(pad, device).move(0, QPoint(120, 60)).commit()
    QTest.touchEvent(pad, device).move(0, QPoint(200, 100)).commit()
    QTest.touchEvent(pad, device).release(0, QPoint(260, 90)).commit()
    strokes = pad.strokes()["strokes"]
    assert len(strokes) == 1 and len(strokes[0]) >= 3


def test_a_waiver_beyond_authority_goes_to_the_team_lead(qtbot: Any, styled_app: Any, plan_store: Any) -> None:
    dialog = open_editor(qtbot, plan_store)
    dialog.waiver.setText("6000")
    assert dialog.verdict.status == PENDING_APPROVAL
    assert "team lead" in dialog.verdict_title.text()
    assert "¥6,000.00" in dialog.verdict_details.text()
    assert dialog.to_sign_button.isEnabled()  # it can be signed; it takes effect after approval
    sealed = sign_and_seal(qtbot, dialog)
    assert sealed.plan.status == PENDING_APPROVAL and "team lead" in dialog.done_status.text()


def test_a_refused_plan_cannot_go_to_signatures(qtbot: Any, styled_app: Any, plan_store: Any) -> None:
    dialog = open_editor(qtbot, plan_store)
    dialog.split_by.setCurrentIndex(1)
    dialog.instalment.setText("50")  # below the ¥100 minimum instalment
    assert dialog.verdict.status == "refused"
    assert "Refused" in dialog.verdict_title.text() and "¥100.00" in dialog.verdict_details.text()
    assert not dialog.to_sign_button.isEnabled()
    assert not dialog.show_debtor_button.isEnabled() and dialog.show_debtor() is None
    dialog.instalment.setText("abc")
    assert dialog.plan is None and not dialog.to_sign_button.isEnabled()


def test_affordability_asks_for_a_written_justification(qtbot: Any, styled_app: Any, plan_store: Any) -> None:
    dialog = open_editor(qtbot, plan_store)
    dialog.count.setValue(3)
    dialog.income.setText("5000")
    dialog.expenses.setText("4000")
    assert dialog.verdict.needs_justification and dialog.justification.isVisible()
    assert not dialog.to_sign_button.isEnabled()
    dialog.justification.setPlainText("债务人下月起有年终奖，可以负担")
    assert dialog.to_sign_button.isEnabled()


def test_changing_a_sealed_plan_supersedes_it_and_keeps_both(qtbot: Any, styled_app: Any, plan_store: Any) -> None:
    from fieldapp.app import plans as persist
    from fieldapp.ui.plans.summary import PlanSummaryWidget

    dialog = open_editor(qtbot, plan_store)
    first = sign_and_seal(qtbot, dialog)
    qtbot.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)
    assert dialog.stack.currentIndex() == 0 and dialog.supersede_note.isVisible()
    assert all(pad.is_empty() for pad in dialog.pads.values())
    dialog.count.setValue(10)
    second = sign_and_seal(qtbot, dialog)
    assert second.plan.supersedes == first.id and second.id != first.id
    assert dialog.sealed_plans == [first, second] and dialog.sealed_plan == second
    history = persist.case_history(plan_store, CASE_ID)
    by_id = {p.sealed.id: p for p in history.plans}
    assert set(by_id) == {first.id, second.id}
    assert verify_seal(by_id[first.id].sealed) and by_id[first.id].superseded_by == second.id
    assert len(by_id[first.id].sealed.plan.regular_instalments) == 6  # the old plan is unchanged

    # a plan agreed later (the next visit) replaces the one in force too
    again = open_editor(qtbot, plan_store)
    assert again.supersede_note.isVisible() and again.draft().supersedes == second.id

    summary = PlanSummaryWidget(plan_store, CASE_ID)
    qtbot.addWidget(summary)
    qtbot.waitUntil(lambda: summary.history is not None, timeout=5000)
    texts = summary.texts()
    assert len(texts) == 2 and any("Replaced by a newer plan" in t for t in texts)
    assert any("10 instalments" in t and "Active" in t for t in texts)


def test_tampering_with_a_sealed_plan_is_detected(qtbot: Any, styled_app: Any, plan_store: Any) -> None:
    from fieldapp.app import plans as persist
    from fieldapp.documents.agreement_pdf import AgreementError, render_agreement

    dialog = open_editor(qtbot, plan_store)
    sealed = sign_and_seal(qtbot, dialog)
    changed = dataclasses.replace(sealed, plan=dataclasses.replace(sealed.plan, default_terms="无违约责任"))
    assert not verify_seal(changed)
    with pytest.raises(AgreementError):
        render_agreement(changed, case=dialog.context, issuer=dialog.context.issuer, base_url=dialog.context.base_url,
                         token=dialog.verification_token, signatures=dialog._signatures)
    signature = persist.Signature(dialog._signatures["debtor"], {})
    with pytest.raises(ValueError):
        persist.save_plan(plan_store, CASE_ID, changed, debtor=signature, collector=signature)
    assert len(persist.case_history(plan_store, CASE_ID).plans) == 1


def test_a_promise_to_pay_is_recorded(qtbot: Any, styled_app: Any, plan_store: Any) -> None:
    from fieldapp.app import plans as persist

    dialog = open_editor(qtbot, plan_store)
    dialog.tabs.setCurrentIndex(1)
    dialog.promise_amount.setText("20000")
    assert "more than the balance" in dialog.promise_problems.text()
    assert not dialog.record_promise_button.isEnabled()
    dialog.promise_amount.setText("2000")
    assert dialog.record_promise_button.isEnabled()
    with qtbot.waitSignal(dialog.finished, timeout=5000):
        qtbot.mouseClick(dialog.record_promise_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.promise is not None
    promises = persist.case_history(plan_store, CASE_ID).promises
    assert [p.promise.id for p in promises] == [dialog.promise.id]


def test_the_schedule_model_passes_the_model_tester(qtmodeltester: Any, styled_app: Any) -> None:
    from fieldapp.core.plans import draft_plan
    from fieldapp.ui.plans.schedule_model import ScheduleModel

    model = ScheduleModel()
    plan = draft_plan("A-1", "1000.00", currency="CNY", agreed_on=dt.date(2026, 1, 5), first_due=dt.date(2026, 1, 31),
                      count=3, down_payment="100")
    model.set_instalments(plan.instalments, "CNY")
    qtmodeltester.check(model)
    assert model.rowCount() == 4
    assert model.data(model.index(3, 2)) == "¥300.00"


def test_pen_input_keeps_pressure(qtbot: Any, styled_app: Any) -> None:
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QInputDevice, QPointingDevice, QTabletEvent
    from PySide6.QtWidgets import QApplication

    from fieldapp.ui.plans.signature import SignaturePad

    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(420, 180)
    pad.show()
    qtbot.waitExposed(pad)
    pen = QPointingDevice("test pen", 4711, QInputDevice.DeviceType.Stylus, QPointingDevice.PointerType.Pen,
                         QInputDevice.Capability.Position | QInputDevice.Capability.Pressure, 1, 3)
    for kind, x, pressure in ((QEvent.Type.TabletPress, 40, 0.3), (QEvent.Type.TabletMove, 120, 0.6),
                              (QEvent.Type.TabletMove, 200, 0.9), (QEvent.Type.TabletRelease, 260, 0.5)):
        button = Qt.MouseButton.LeftButton
        buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.TabletRelease else button
        event = QTabletEvent(kind, pen, QPointF(x, 80), QPointF(x, 80), pressure, 0, 0, 0, 0, 0,
                             Qt.KeyboardModifier.NoModifier, button, buttons)
        QApplication.sendEvent(pad, event)
    strokes = pad.strokes()["strokes"]
    assert len(strokes) == 1
    assert [p for *_, p in strokes[0]] == [0.3, 0.6, 0.9, 0.5]


def test_the_summary_shows_the_leads_decision_and_payments(qtbot: Any, styled_app: Any, plan_store: Any,
                                                           shot_dir: Path) -> None:
    from fieldapp import protocol
    from fieldapp.store import repo
    from fieldapp.ui.plans.summary import PlanSummaryWidget

    dialog = open_editor(qtbot, plan_store)
    dialog.waiver.setText("6000")
    sealed = sign_and_seal(qtbot, dialog)
    first, second = sealed.plan.instalments[:2]
    update = protocol.PlanUpdate(
        plan_id=sealed.id, case_id=CASE_ID, status="approved", decided_by="李组长", comment="同意减免，按期跟进",
        decided_at=dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC),
        instalments=[protocol.InstalmentState(number=first.number, due_on=first.due_on,
                                              amount_minor=to_minor(first.amount, "CNY"),
                                              paid_minor=to_minor(first.amount, "CNY"), status="paid",
                                              paid_on=first.due_on),
                     protocol.InstalmentState(number=second.number, due_on=second.due_on,
                                              amount_minor=to_minor(second.amount, "CNY"), paid_minor=0,
                                              status="overdue")])
    with plan_store.session() as session:
        repo.apply_plan_updates(session, [update])
        session.commit()
    summary = PlanSummaryWidget(plan_store, CASE_ID)
    qtbot.addWidget(summary)
    summary.resize(420, 200)
    with qtbot.waitSignal(summary.loaded, timeout=5000):
        summary.show()
    text = summary.texts()[0]
    assert "Approved by 李组长" in text and "同意减免，按期跟进" in text
    assert "1 of 6 payments made" in text and "1 overdue" in text
    assert f"next due {format_date(second.due_on, 'en')}" in text  # the overdue one comes first
    qtbot.waitUntil(lambda: summary.cards[0].isVisible())
    summary.grab().save(str(shot_dir / "plan-summary-en.png"))


def test_a_copy_of_the_agreement_from_the_summary(qtbot: Any, styled_app: Any, plan_store: Any,
                                                  tmp_path: Path) -> None:
    from fieldapp.ui.plans.summary import PlanSummaryWidget

    dialog = open_editor(qtbot, plan_store)
    sealed = sign_and_seal(qtbot, dialog)
    summary = PlanSummaryWidget(plan_store, CASE_ID)
    qtbot.addWidget(summary)
    qtbot.waitUntil(lambda: sealed.id in summary.agreement_buttons, timeout=5000)
    copy = summary.open_agreement(sealed.id)
    with qtbot.waitSignal(copy.ready, timeout=10000):
        pass
    text = pdf_text(copy.pdf)
    assert sealed.seal in text and DEBTOR in text
    codes = [t for page in range(2) for t in qr_texts(copy.pdf, page)]
    assert codes == [f"https://verify.huaxin-cf.example.cn/v/{dialog.verification_token}"]  # the same code
    assert copy.save_copy(tmp_path / "copy.pdf").read_bytes() == copy.pdf
    copy.accept()


def test_a_plan_is_stored_whole_or_not_at_all(plan_store: Any) -> None:
    from sqlalchemy import func, select

    from fieldapp.app import plans as persist
    from fieldapp.core.plans import PlanPolicy, draft_plan, seal_plan
    from fieldapp.store import repo
    from fieldapp.store.models import Attachment

    plan = draft_plan("HX-2024-0038817", "13482.66", currency="CNY", agreed_on=dt.date(2026, 11, 25),
                      first_due=dt.date(2026, 12, 31), count=6)
    debtor, collector = b"\x89PNG debtor", b"\x89PNG collector"
    sealed = seal_plan(plan, debtor, collector, policy=PlanPolicy.bundled("CN")).with_status("active")
    # the collector's image is not the one that was sealed: the whole save is refused, nothing is kept
    with pytest.raises(ValueError):
        persist.save_plan(plan_store, CASE_ID, sealed, debtor=persist.Signature(debtor, {}),
                          collector=persist.Signature(b"\x89PNG other", {}))
    with plan_store.session() as session:
        assert session.scalar(select(func.count()).select_from(Attachment)) == 0
        assert repo.plans_for_case(session, CASE_ID) == [] and repo.audit_events(session) == []
        assert [e for e in repo.pending_entries(session) if e.kind == "plan"] == []
    persist.save_plan(plan_store, CASE_ID, sealed, debtor=persist.Signature(debtor, {"strokes": [[[1, 2, 0, 1.0]]]}),
                      collector=persist.Signature(collector, {"strokes": [[[3, 4, 0, 1.0]]]}),
                      verification_token="x" * 32)
    with plan_store.session() as session:
        assert session.scalar(select(func.count()).select_from(Attachment)) == 4  # two images, two stroke files
        assert [e.kind for e in repo.pending_entries(session) if e.kind == "plan"] == ["plan"]
        actions = [e.action for e in repo.audit_events(session, case_id=CASE_ID)]
        assert persist.AGREEMENT_ISSUED in actions


def test_due_dates_moved_off_public_holidays_are_marked(qtbot: Any, styled_app: Any, plan_store: Any) -> None:
    from PySide6.QtCore import QDate

    dialog = open_editor(qtbot, plan_store)
    dialog.context = dataclasses.replace(dialog.context, today=dt.date(2026, 11, 20))  # within the calendar's years
    dialog.first_due.setMinimumDate(QDate(2026, 11, 20))
    dialog.first_due.setDate(QDate(2026, 12, 1))
    dialog.count.setValue(3)  # 1 Dec, 1 Jan (New Year's Day, a public holiday), 1 Feb
    model = dialog.schedule
    moved = [row for row in range(model.rowCount()) if model.data(model.index(row, 1)).endswith(" *")]
    assert len(moved) == 1
    row = moved[0]
    assert dialog.plan.instalments[row].due_on > dt.date(2027, 1, 1)
    assert "1 Jan 2027" in model.data(model.index(row, 1), Qt.ItemDataRole.ToolTipRole)
    assert "public holiday" in dialog.totals.text()


def test_no_copy_without_the_signatures_on_this_laptop(qtbot: Any, styled_app: Any, plan_store: Any) -> None:
    from fieldapp.app import plans as persist
    from fieldapp.ui.plans.agreement_dialog import AgreementDialog

    dialog = open_editor(qtbot, plan_store)
    sealed = sign_and_seal(qtbot, dialog)
    with plan_store.session() as session:  # as after the server confirmed the images: the bytes are gone
        from fieldapp.store.models import Attachment

        for row in session.query(Attachment):
            (plan_store.attachments_dir / row.path).unlink()
    with pytest.raises(persist.AgreementUnavailable):
        persist.agreement_pdf(plan_store, CASE_ID, sealed.id)
    copy = AgreementDialog(None, plan_store, CASE_ID, sealed.id)
    qtbot.addWidget(copy)
    qtbot.waitUntil(lambda: "cannot be shown" in copy.message.text(), timeout=5000)
    assert "no longer on this laptop" in copy.message.text() and not copy.print_button.isEnabled()


def test_a_store_that_cannot_write_is_said_plainly(qtbot: Any, styled_app: Any, plan_store: Any,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from fieldapp.app import plans as persist

    dialog = open_editor(qtbot, plan_store)

    def disk_full(*args: Any, **kwargs: Any) -> Any:
        raise OSError("No space left on device")

    monkeypatch.setattr(persist, "save_promise", disk_full)
    dialog.tabs.setCurrentIndex(1)
    dialog.promise_amount.setText("500")
    with qtbot.waitSignal(dialog.failed, timeout=5000):
        qtbot.mouseClick(dialog.record_promise_button, Qt.MouseButton.LeftButton)
    assert "Nothing was saved" in dialog.error.text() and "No space left" in dialog.error.text()
    assert "Traceback" not in dialog.error.text()
    assert dialog.record_promise_button.isEnabled() and dialog.promise is None  # can try again


def test_a_plan_past_the_holiday_calendar_says_so_plainly(qtbot: Any, styled_app: Any, plan_store: Any) -> None:
    """The CN calendar lists 2026 and 2027 (provisional): a schedule into 2028 is still made, and the
    collector is told its due dates there were not moved off holidays — no crash, no silent skip."""
    from PySide6.QtCore import QDate

    dialog = open_editor(qtbot, plan_store)
    dialog.context = dataclasses.replace(dialog.context, today=dt.date(2027, 11, 20))
    dialog.first_due.setMinimumDate(QDate(2027, 11, 20))
    dialog.first_due.setDate(QDate(2027, 12, 1))
    dialog.count.setValue(4)  # Dec 2027 … Mar 2028
    assert dialog.plan is not None and dialog.plan.last_due.year == 2028
    notes = dialog.verdict_details.text()
    assert "No holiday data for 2028" in notes and "2027 is not yet published" in notes
