"""The visit wizard through real widgets: the five scenarios of issue 4, resume after a crash, PNGs.

Time is injected through a TrustedClock built here (server time learnt at a "sync", monotonic time
frozen), never by patching the OS clock.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from fieldapp.core.clock import TrustedClock
from fieldapp.store import repo
from fieldapp.store.models import ContactAttempt, OutboxEntry, Visit
from fieldapp.ui.main_window import MainWindow
from fieldapp.ui.sync_adapter import SyncAdapter

pytestmark = pytest.mark.gui

UTC = dt.UTC


def local(zone: str, *args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ZoneInfo(zone))


def trusted_clock(at: dt.datetime, *, device_off: dt.timedelta = dt.timedelta(0)) -> TrustedClock:
    """Server time ``at`` learnt at a sync a moment ago; the device clock is ``device_off`` from it."""
    mono = [5000.0]
    clock = TrustedClock(monotonic=lambda: mono[0], device_now=lambda: at.astimezone(UTC) + device_off)
    clock.learn(at)
    return clock


def make_window(qtbot: Any, store: Any, clock: TrustedClock, language: str = "en") -> Any:
    adapter = SyncAdapter(store, use_network_information=False)
    win = MainWindow(store, adapter, language=language, clock=clock)
    adapter.setParent(win)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.cases_page.model.loaded, timeout=10_000):
        win.start(autosync=False)
    return win


@pytest.fixture
def window(qtbot: Any, styled_app: Any, store: Any) -> Any:
    win = make_window(qtbot, store, trusted_clock(local("Asia/Shanghai", 2026, 11, 25, 10, 0)))
    yield win
    win.shutdown()


def use_clock(win: Any, clock: TrustedClock) -> None:
    win.clock = win.visit_launcher.clock = win.cases_page.clock = clock


def select_case(qtbot: Any, win: Any, case_id: int) -> None:
    win.open_case(case_id)
    qtbot.waitUntil(lambda: (win.cases_page.detail.current_case() or {}).get("id") == case_id, timeout=10_000)


def audit_actions(store: Any, case_id: int) -> list[tuple[str, dict[str, Any]]]:
    with store.session() as session:
        return [(e.action, e.detail) for e in repo.audit_events(session, case_id=case_id)]


def open_wizard(qtbot: Any, win: Any, case_id: int) -> Any:
    select_case(qtbot, win, case_id)
    with qtbot.waitSignal(win.visit_launcher.opened, timeout=10_000) as opened:
        win.visit_action.trigger()
    wizard = opened.args[0]
    qtbot.waitUntil(wizard.is_saved, timeout=10_000)
    return wizard


def choose(wizard: Any, value: str) -> None:
    buttons = [b for b in wizard.answers.choice_group.buttons() if b.property("value") == value]
    assert buttons and buttons[0].isEnabled(), value
    buttons[0].click()


def next_step(qtbot: Any, wizard: Any) -> None:
    wizard.next_button.click()
    qtbot.waitUntil(wizard.is_saved, timeout=10_000)


def step_id(wizard: Any) -> str | None:
    step = wizard.runner.current_step
    return step.id if step else None


# ------------------------------------------------------------------------- scenario 1 and 5
@pytest.mark.parametrize("case_id, moment, device_off, rule, hour, end", [
    (1, local("Asia/Shanghai", 2026, 11, 25, 22, 5), dt.timedelta(0), "CN1", "22:05", "22:00"),
    (2, local("America/New_York", 2026, 11, 25, 21, 30), dt.timedelta(0), "US1", "21:30", "21:00"),
    (3, local("Asia/Kolkata", 2026, 11, 25, 19, 10), dt.timedelta(0), "IN1", "19:10", "19:00"),
    (1, local("Asia/Shanghai", 2026, 11, 25, 22, 5), -dt.timedelta(hours=2), "CN1", "22:05", "22:00"),
], ids=["CN-22:05", "US-21:30", "IN-19:10", "CN-device-clock-set-back"])
def test_a_visit_at_night_is_blocked_with_the_window_and_audited(
        qtbot: Any, window: Any, store: Any, case_id: int, moment: dt.datetime, device_off: dt.timedelta,
        rule: str, hour: str, end: str) -> None:
    use_clock(window, trusted_clock(moment, device_off=device_off))
    select_case(qtbot, window, case_id)
    with qtbot.waitSignal(window.visit_launcher.blocked, timeout=10_000) as blocked:
        window.visit_action.trigger()
    verdict = blocked.args[0]
    assert verdict.blocked and verdict.rule_id == rule
    dialog = window.visit_launcher.dialog
    assert dialog.isVisible() and hour in dialog.reason_label.text()
    assert end in dialog.reason_label.text() and dialog.reason_label.text() == verdict.reason["en"]
    assert window.visit_launcher.wizard is None
    qtbot.waitUntil(lambda: any(a == "rule_check" for a, _ in audit_actions(store, case_id)), timeout=10_000)
    (detail,) = [d for a, d in audit_actions(store, case_id) if a == "rule_check"]
    assert detail["verdict"]["status"] == "blocked" and detail["verdict"]["rule_id"] == rule
    assert detail["clock"]["source"] == "server"
    assert detail["clock"]["device_clock_off"] is (device_off != dt.timedelta(0))


@pytest.mark.parametrize("case_id, flag", [(4, "attorney"), (5, "cease_contact"), (6, "bereavement"),
                                           (7, "vulnerable")])
def test_a_flagged_case_cannot_be_visited_and_the_reason_names_the_flag(
        qtbot: Any, window: Any, store: Any, case_id: int, flag: str) -> None:
    select_case(qtbot, window, case_id)
    with qtbot.waitSignal(window.visit_launcher.blocked, timeout=10_000) as blocked:
        window.visit_action.trigger()
    verdict = blocked.args[0]
    assert verdict.blocked and verdict.rule_id == "CN-P1"
    assert flag.replace("_", " ") in window.visit_launcher.dialog.reason_label.text().replace("_", " ")
    qtbot.waitUntil(lambda: any(a == "rule_check" for a, _ in audit_actions(store, case_id)), timeout=10_000)


# ------------------------------------------------------------------------- scenario 2
def test_not_the_debtor_hides_amounts_and_printing_and_a_refusing_contact_is_not_approached_again(
        qtbot: Any, window: Any, store: Any) -> None:
    wizard = open_wizard(qtbot, window, 1)
    summary = window.cases_page.detail.plan_summary  # the plans part, embedded in the case pane
    assert summary is None or summary.case_id == 1
    assert wizard.isVisible() and wizard.pages.currentIndex() == 0  # check-in first
    assert wizard.isWindow() and wizard.parent() is window  # its own window, closed with the workspace on lock
    assert "朝阳区建国路 1 号" in wizard.checkin_text.text()
    next_step(qtbot, wizard)
    assert step_id(wizard) == "identity" and not wizard.amount_card.isVisible()
    assert not wizard.print_button.isVisible()
    assert "{" not in wizard.step_text.text() and "王小明1" not in wizard.step_text.text()[:0] + "x"
    choose(wizard, "verified")
    next_step(qtbot, wizard)
    assert step_id(wizard) == "introduce"
    assert wizard.amount_card.isVisible() and wizard.print_button.isVisible()
    assert "10,050.00" in wizard.amount_label.text()
    wizard.back_button.click()
    qtbot.waitUntil(wizard.is_saved)
    assert step_id(wizard) == "identity"
    choose(wizard, "not_debtor")
    next_step(qtbot, wizard)
    assert wizard.runner.script.id == "cn-third-party" and wizard.runner.is_third_party
    assert not wizard.amount_card.isVisible() and not wizard.print_button.isVisible()
    assert "10,050" not in wizard.step_text.text()
    assert not wizard.blocked_box.isVisible()  # nobody asked not to be contacted yet
    next_step(qtbot, wizard)  # tp_intro, read aloud
    choose(wizard, "not_home")
    next_step(qtbot, wizard)
    choose(wizard, "will_pass_on")
    next_step(qtbot, wizard)
    assert step_id(wizard) == "tp_envelope"  # CN allows a sealed envelope
    assert wizard.print_button.isVisible() and not wizard.amount_card.isVisible()  # a sealed notice only
    next_step(qtbot, wizard)  # default: not offered
    choose(wizard, "do_not_contact")
    next_step(qtbot, wizard)
    next_step(qtbot, wizard)  # tp_close
    choose(wizard, "third_party_only")
    next_step(qtbot, wizard)
    assert step_id(wizard) == "tp_person"
    wizard.answers.input.setPlainText("母亲")
    next_step(qtbot, wizard)
    assert wizard.runner.is_complete and wizard.pages.currentIndex() == 2
    assert "Third party only" in wizard.summary_detail.text()
    with qtbot.waitSignal(window.visit_launcher.finished, timeout=10_000):
        wizard.next_button.click()
    with store.session() as session:
        (visit,) = session.scalars(select(Visit).where(Visit.case_id == 1)).all()
        assert visit.state == "complete" and visit.outcome == "third_party_only"
        entry = session.scalar(select(OutboxEntry).where(OutboxEntry.id == visit.id))
        assert entry.kind == "visit" and entry.payload["script_id"] == "cn-home-visit"
        assert len(entry.payload["script_hash"]) == 64 and entry.payload["identity_confirmed"] is False
        assert any(a["step_id"] == "cn-third-party/tp_do_not_contact" for a in entry.payload["answers"])
    actions = [a for a, _ in audit_actions(store, 1)]
    assert "visit_started" in actions and "visit_third_party" in actions and "visit_completed" in actions

    # next time, the same person at the door is refused by the rule pack (CN3)
    wizard = open_wizard(qtbot, window, 1)
    next_step(qtbot, wizard)
    choose(wizard, "not_debtor")
    next_step(qtbot, wizard)
    assert wizard.blocked_box.isVisible()
    buttons = [b for b in wizard.blocked_box.findChildren(type(wizard.next_button)) if "母亲" in b.text()]
    with qtbot.waitSignal(window.visit_launcher.finished, timeout=10_000):
        buttons[0].click()
    assert "do not want to be contacted" in wizard.refused_reason
    checks = [d for a, d in audit_actions(store, 1) if a == "rule_check" and d.get("action") == "contact_third_party"]
    assert checks and checks[-1]["verdict"]["status"] == "blocked" and checks[-1]["verdict"]["rule_id"] == "CN3"


# ------------------------------------------------------------------------- scenario 3
def test_without_recording_consent_the_disclosure_steps_cannot_be_reached(qtbot: Any, window: Any) -> None:
    wizard = open_wizard(qtbot, window, 1)
    next_step(qtbot, wizard)
    choose(wizard, "verified")
    next_step(qtbot, wizard)
    next_step(qtbot, wizard)  # introduce
    assert step_id(wizard) == "recording"
    wizard.next_button.click()  # nothing chosen: a required step
    assert "required" in wizard.problem.text() and step_id(wizard) == "recording"
    choose(wizard, "decline")
    next_step(qtbot, wizard)
    assert step_id(wizard) == "no_recording"
    for disclosure in ("purpose", "amount", "dispute", "consequences", "notice"):
        assert not wizard.runner.is_reachable(disclosure), disclosure
    next_step(qtbot, wizard)
    assert step_id(wizard) == "outcome"
    assert not any(a.step_id in ("purpose", "amount") for a in wizard.runner.answers)
    wizard.close()


# ------------------------------------------------------------------------- scenario 4
def _log_calls(store: Any, case_id: int, times: list[dt.datetime], outcome: str = "connected") -> None:
    with store.session() as session:
        for at in times:
            repo.log_contact_attempt(session, case_id=case_id, channel="call", attempted_at=at.astimezone(UTC),
                                     outcome=outcome, username="lisi")
        session.commit()


@pytest.mark.parametrize("case_id, earlier, now, rule", [
    (1, [local("Asia/Shanghai", 2026, 11, 25, h, 0) for h in (9, 10, 11)],
     local("Asia/Shanghai", 2026, 11, 25, 15, 0), "CN2"),
    (2, [local("America/New_York", 2026, 11, 24, 14, 0)], local("America/New_York", 2026, 11, 25, 10, 0), "US3b"),
], ids=["CN-4th-connected-call", "US-call-after-a-conversation-yesterday"])
def test_a_call_against_the_limits_is_blocked_and_one_logged_anyway_is_flagged(
        qtbot: Any, window: Any, store: Any, case_id: int, earlier: list[dt.datetime], now: dt.datetime,
        rule: str) -> None:
    _log_calls(store, case_id, earlier)
    use_clock(window, trusted_clock(now))
    select_case(qtbot, window, case_id)
    with qtbot.waitSignal(window.cases_page.contact_dialog_checked, timeout=10_000) as opened:
        window.log_action.trigger()
    dialog = opened.args[0]
    assert dialog.rule_notice.isVisible() and f"({rule})" in dialog.rule_notice.text()
    assert "Do not call now" in dialog.rule_notice.text()
    # logging the call that happened anyway asks why, in the dialog, before anything is saved
    assert dialog.justification.isVisible() and f"rule {rule}" in dialog.broken.text()
    dialog.note.setPlainText("talked about the instalments")
    dialog.save_button.click()  # one click after the red warning is not enough
    assert dialog.isVisible() and dialog.error.text() == f"Write why this contact happened although it broke rule {rule}."
    with store.session() as session:
        assert len(session.scalars(select(ContactAttempt).where(ContactAttempt.case_id == case_id)).all()) == len(
            earlier)
    dialog.justification.setPlainText("debtor called back and asked to talk")
    with qtbot.waitSignal(window.cases_page.contact_logged, timeout=10_000):
        dialog.save_button.click()
    with store.session() as session:
        newest = session.scalars(select(ContactAttempt).where(ContactAttempt.case_id == case_id)
                                 .order_by(ContactAttempt.attempted_at.desc())).first()
        assert newest.flagged and newest.justification == "debtor called back and asked to talk"
        assert newest.note == "talked about the instalments"
        entry = session.scalar(select(OutboxEntry).where(OutboxEntry.id == newest.id))
        assert entry.payload["flagged"] is True and entry.payload["broken_rules"][0] == rule
    checks = [d for a, d in audit_actions(store, case_id) if a == "rule_check"]
    assert checks[0]["action"] == "call" and checks[0]["verdict"]["rule_id"] == rule


def test_a_rule_breaking_call_saved_before_the_check_arrived_is_asked_again_with_what_was_typed(
        qtbot: Any, window: Any, store: Any) -> None:
    from fieldapp.app.contacts import ContactAttemptInput

    night = local("Asia/Shanghai", 2026, 11, 25, 23, 10)
    use_clock(window, trusted_clock(night))
    select_case(qtbot, window, 1)
    page = window.cases_page
    typed = ContactAttemptInput(channel="call", attempted_at=night.astimezone(UTC), outcome="connected",
                                appointment_at=None, note="债务人回电")
    with qtbot.waitSignal(page.contact_dialog_checked, timeout=10_000) as asked:
        page._save_contact(1, typed)  # what the dialog hands over when Save beat the rule check
    dialog = asked.args[0]
    assert dialog.isVisible() and dialog.note.toPlainText() == "债务人回电"
    assert dialog.justification.isVisible() and "rule CN1" in dialog.broken.text()
    with store.session() as session:
        assert session.scalars(select(ContactAttempt).where(ContactAttempt.case_id == 1)).all() == []
    dialog.justification.setPlainText("the debtor called back late and asked to talk now")
    with qtbot.waitSignal(page.contact_logged, timeout=10_000):
        dialog.save_button.click()


# ------------------------------------------------------------------------- resume and soft rules
def test_a_visit_closed_midway_is_resumed_on_the_same_script_version(qtbot: Any, window: Any, store: Any) -> None:
    wizard = open_wizard(qtbot, window, 1)
    visit_id, script_hash = wizard.visit_id, wizard.runner.started_script.content_hash
    next_step(qtbot, wizard)
    choose(wizard, "verified")
    next_step(qtbot, wizard)
    next_step(qtbot, wizard)
    assert step_id(wizard) == "recording"
    choose(wizard, "agree")
    qtbot.waitUntil(wizard.is_saved)
    with qtbot.waitSignal(window.visit_launcher.finished, timeout=10_000):
        wizard.close()  # the "crash": the window goes away mid-visit
    with store.session() as session:
        (draft,) = session.scalars(select(Visit).where(Visit.case_id == 1)).all()
        assert draft.state == "draft" and draft.payload["runner"]["hashes"]["cn-home-visit"] == script_hash

    select_case(qtbot, window, 1)
    with qtbot.waitSignal(window.visit_launcher.resume_offered, timeout=10_000) as offered:
        window.visit_action.trigger()
    box = offered.args[0]
    resume = [b for b in box.buttons() if b.text() == "Resume visit"][0]
    with qtbot.waitSignal(window.visit_launcher.opened, timeout=10_000) as opened:
        resume.click()
    wizard = opened.args[0]
    assert wizard.visit_id == visit_id and wizard.runner.started_script.content_hash == script_hash
    assert step_id(wizard) == "recording" and wizard.runner.pending_answer == "agree"
    assert wizard.runner.identity_confirmed and wizard.amount_card.isVisible()
    qtbot.waitUntil(wizard.is_saved)
    assert "visit_resumed" in [a for a, _ in audit_actions(store, 1)]
    wizard.close()


def test_a_soft_rule_asks_for_a_reason_and_flags_the_visit(qtbot: Any, window: Any, store: Any) -> None:
    with store.session() as session:  # visited yesterday: CN-P3 wants 3 days between visits
        session.add(Visit(id="00000000-0000-4000-8000-000000000001", case_id=1, state="complete",
                          started_at=local("Asia/Shanghai", 2026, 11, 24, 10, 0), payload={}))
        session.commit()
    select_case(qtbot, window, 1)
    window.visit_action.trigger()
    qtbot.waitUntil(lambda: getattr(window.visit_launcher.dialog, "justification", None) is not None
                    and window.visit_launcher.dialog.isVisible(), timeout=10_000)
    dialog = window.visit_launcher.dialog
    assert dialog.justification.isVisible() and not dialog.ok_button.isEnabled()
    dialog.justification.setPlainText("债务人约定今天再来")
    with qtbot.waitSignal(window.visit_launcher.opened, timeout=10_000) as opened:
        dialog.ok_button.click()
    wizard = opened.args[0]
    assert wizard.payload["flagged"] and wizard.payload["justification"] == "债务人约定今天再来"
    qtbot.waitUntil(lambda: any(a == "rule_override" for a, _ in audit_actions(store, 1)), timeout=10_000)
    wizard.close()


def test_evidence_photo_is_hashed_and_listed(qtbot: Any, window: Any, store: Any, tmp_path: Path) -> None:
    photo = tmp_path / "door.png"
    from PySide6.QtGui import QColor, QImage

    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("#336699"))
    image.save(str(photo))
    wizard = open_wizard(qtbot, window, 1)
    next_step(qtbot, wizard)
    wizard.add_photo(path=str(photo))
    qtbot.waitUntil(lambda: len(wizard.payload.get("attachments", [])) == 1 and wizard.is_saved(), timeout=10_000)
    import hashlib

    assert wizard.payload["attachments"][0]["sha256"] == hashlib.sha256(photo.read_bytes()).hexdigest()
    assert "Evidence attached: 1" in wizard.evidence_label.text()
    assert "not available in this build" in wizard.capture_note.text()
    wizard.close()


# ------------------------------------------------------------------------- how it looks
def test_wizard_in_chinese_renders_to_png(qtbot: Any, styled_app: Any, store: Any, shot_dir: Path) -> None:
    from fieldapp.ui import i18n

    i18n.install(styled_app, "zh_CN")
    win = make_window(qtbot, store, trusted_clock(local("Asia/Shanghai", 2026, 11, 25, 10, 0)), language="zh_CN")
    try:
        wizard = open_wizard(qtbot, win, 1)
        wizard.showNormal()
        wizard.resize(1280, 800)
        next_step(qtbot, wizard)
        assert wizard.next_button.text() == "下一步" or wizard.next_button.text()
        wizard.grab().save(str(shot_dir / "visit_identity_zh.png"))
        choose(wizard, "verified")
        next_step(qtbot, wizard)
        next_step(qtbot, wizard)
        choose(wizard, "agree")
        next_step(qtbot, wizard)
        next_step(qtbot, wizard)  # entry: at the door (default)
        next_step(qtbot, wizard)  # purpose
        assert step_id(wizard) == "amount"
        assert "请问" not in wizard.step_text.text() and "¥" in wizard.step_text.text()
        wizard.grab().save(str(shot_dir / "visit_amount_zh.png"))
        assert wizard.step_text.font().pointSize() >= 18 or "21pt" in wizard.styleSheet()
        wizard.close()
        qtbot.waitUntil(lambda: win.visit_launcher.wizard is None or not win.visit_launcher.wizard.isVisible())
        win.grab().save(str(shot_dir / "case_detail_zh.png"))
        use_clock(win, trusted_clock(local("Asia/Shanghai", 2026, 11, 25, 22, 5)))
        with qtbot.waitSignal(win.visit_launcher.resume_offered, timeout=10_000) as offered:
            win.visit_action.trigger()  # the visit closed above is a draft: resuming it is checked again
        box = offered.args[0]
        box.grab().save(str(shot_dir / "visit_resume_zh.png"))
        with qtbot.waitSignal(win.visit_launcher.blocked, timeout=10_000):
            [b for b in box.buttons() if b.text() == "继续外访"][0].click()
        dialog = win.visit_launcher.dialog
        assert "22:05" in dialog.reason_label.text() and "不在允许的催收时段" in dialog.reason_label.text()
        dialog.grab().save(str(shot_dir / "visit_blocked_zh.png"))
        dialog.close()
    finally:
        win.shutdown()
        i18n.install(styled_app, "en")


def test_a_full_visit_with_the_notice_a_promise_and_a_follow_up_is_queued(
        qtbot: Any, window: Any, store: Any, tmp_path: Path) -> None:
    from PySide6.QtPrintSupport import QPrinter

    wizard = open_wizard(qtbot, window, 1)
    next_step(qtbot, wizard)
    choose(wizard, "verified")
    next_step(qtbot, wizard)
    next_step(qtbot, wizard)  # introduce
    choose(wizard, "agree")
    next_step(qtbot, wizard)
    assert step_id(wizard) == "entry" and wizard.runner.pending_answer == "at_door"  # no entry by default
    next_step(qtbot, wizard)
    for disclosure in ("purpose", "amount", "dispute", "consequences"):
        assert step_id(wizard) == disclosure
        next_step(qtbot, wizard)
    assert step_id(wizard) == "notice" and wizard.print_button.isVisible()
    wizard.print_button.click()
    dialog = wizard.notice_dialog
    qtbot.waitSignal(dialog.ready, timeout=10_000).wait()
    out = tmp_path / "visit-notice.pdf"

    def printer() -> QPrinter:
        p = QPrinter(QPrinter.PrinterMode.HighResolution)
        p.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        p.setOutputFileName(str(out))
        return p

    dialog.printer_factory, dialog.ask_printer = printer, False
    with qtbot.waitSignal(dialog.printed, timeout=10_000):
        dialog.print_button.click()
    dialog.close()
    qtbot.waitUntil(lambda: len(wizard.payload.get("notices", [])) == 1 and wizard.is_saved(), timeout=10_000)
    choose(wizard, "signed")
    next_step(qtbot, wizard)
    choose(wizard, "promise")
    next_step(qtbot, wizard)
    assert step_id(wizard) == "promise_date"
    next_step(qtbot, wizard)  # a week from today, filled in
    wizard.answers.input.setText("1500.00")
    next_step(qtbot, wizard)
    next_step(qtbot, wizard)  # closing
    choose(wizard, "promise_to_pay")
    next_step(qtbot, wizard)
    assert step_id(wizard) == "follow_up"
    wizard.answers.date_toggle.setChecked(True)
    next_step(qtbot, wizard)
    assert wizard.runner.is_complete
    assert "handed to the verified debtor" in wizard.summary_detail.text()
    with qtbot.waitSignal(window.visit_launcher.finished, timeout=10_000):
        wizard.next_button.click()
    with store.session() as session:
        (visit,) = session.scalars(select(Visit).where(Visit.case_id == 1)).all()
        entry = session.scalar(select(OutboxEntry).where(OutboxEntry.id == visit.id))
        payload = entry.payload
    assert payload["outcome"] == "promise_to_pay" and payload["identity_confirmed"] is True
    assert payload["address_confirmed"] is True and payload["follow_up_on"]
    assert {a["step_id"] for a in payload["answers"]} >= {"identity", "recording", "notice", "promise_amount"}
    assert visit.payload["delivery"] == "handed_to_debtor"
    actions = [a for a, _ in audit_actions(store, 1)]
    assert actions.index("visit_started") < actions.index("visit_completed")
    assert any(a in ("notice-printed", "notice_printed") for a in actions)
    assert actions.count("visit_step") >= 14
    with store.session() as session:
        assert repo.verify_audit_chain(session) is None
    # the day's progress shows: the case was visited, its promise is named, the outbox holds one visit
    from fieldapp.ui.models import CaseListModel

    model = window.cases_page.model
    status, follow_up = CaseListModel.COLUMNS.index("status"), CaseListModel.COLUMNS.index("follow_up")
    qtbot.waitUntil(lambda: model.settled() and model.row_of(1) >= 0
                    and model.index(model.row_of(1), status).data() == "Visited", timeout=10_000)
    assert model.index(model.row_of(1), follow_up).data().startswith("Promise ")
    window.show_page("outbox")
    outbox = window.outbox_page.model
    qtbot.waitUntil(lambda: outbox.rowCount() > 0, timeout=10_000)
    lines = [outbox.index(r, 1).data() for r in range(outbox.rowCount())]
    assert sum(line.startswith("Visit, with ") for line in lines) == 1
    assert not any(line.startswith("Audit trail") for line in lines), lines


def test_a_us_visit_starts_on_the_us_script_with_the_debt_collector_disclosure_first(
        qtbot: Any, window: Any) -> None:
    use_clock(window, trusted_clock(local("America/New_York", 2026, 11, 25, 10, 0)))
    wizard = open_wizard(qtbot, window, 2)
    assert wizard.runner.started_script.id == "us-home-visit"
    assert "Debtor-local time 10:00 (America/New_York)" in wizard.clock_label.text()
    next_step(qtbot, wizard)
    assert step_id(wizard) == "identify" and "Jane Doe" in wizard.step_text.text()
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow, timeout=5_000)
    qtbot.keyClick(wizard, "1")  # the number key picks the first answer (an animated click)
    qtbot.waitUntil(lambda: wizard.runner.pending_answer == "verified", timeout=5_000)
    next_step(qtbot, wizard)
    assert step_id(wizard) == "collector_disclosure" and "debt collector" in wizard.step_text.text()
    assert "$10,050.00" in wizard.amount_label.text()
    wizard.close()


def test_an_answer_typed_just_before_the_window_closes_is_kept(qtbot: Any, window: Any, store: Any) -> None:
    wizard = open_wizard(qtbot, window, 1)
    next_step(qtbot, wizard)
    choose(wizard, "no_answer")
    next_step(qtbot, wizard)
    choose(wizard, "moved")
    next_step(qtbot, wizard)
    assert step_id(wizard) == "follow_up"
    wizard.answers.date_toggle.setChecked(True)  # saved at once, and closed before that save is back
    with qtbot.waitSignal(window.visit_launcher.finished, timeout=10_000):
        wizard.close()

    def saved_answer() -> Any:
        with store.session() as session:
            (draft,) = session.scalars(select(Visit).where(Visit.case_id == 1)).all()
            return [e for e in draft.payload["runner"]["log"] if e.get("step") == "follow_up" and e["op"] == "answer"]

    qtbot.waitUntil(lambda: bool(saved_answer()), timeout=10_000)


# ------------------------------------------------------------------------------ the keyboard
def test_ctrl_enter_moves_the_visit_on_at_every_step_not_only_the_first(qtbot: Any, window: Any) -> None:
    """The shortcut lives on the wizard: the Next button's text changes each step, which resets its own."""
    from PySide6.QtCore import Qt

    wizard = open_wizard(qtbot, window, 1)
    wizard.activateWindow()
    seen = [step_id(wizard)]
    assert not wizard.payload.get("address_confirmed")
    qtbot.keyClick(wizard, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(wizard.payload.get("address_confirmed")), timeout=5_000)
    for _ in range(2):  # two "read aloud" / answered steps in a row, each after the button's text changed
        step = wizard.runner.current_step
        assert step is not None
        if step.kind in ("ask", "confirm"):
            choose(wizard, next(c.value for c in wizard.runner.available_choices()))
        before = step_id(wizard)
        qtbot.keyClick(wizard, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda b=before: step_id(wizard) != b, timeout=5_000)
        seen.append(step_id(wizard))
    assert len(set(seen)) == 3, seen
