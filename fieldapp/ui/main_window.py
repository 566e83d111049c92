"""The collector's workspace: a left rail (Today · Cases · Outbox), the list, the case, the status bar.

Built for one unlocked store and thrown away when the app locks. All reads and writes go through
Tasks; the case list's rows come from CaseListModel's block cache.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from fieldapp.app import cases, device, outbox
from fieldapp.core.clock import CollectorDay
from fieldapp.ui import style
from fieldapp.ui.cases_page import CasesPage
from fieldapp.ui.dialogs import inform
from fieldapp.ui.i18n import LANGUAGES
from fieldapp.ui.messages import describe_error
from fieldapp.ui.models import format_date
from fieldapp.ui.pages import OutboxPage, RejectedDialog, TodayPage
from fieldapp.ui.tasks import Task

log = logging.getLogger(__name__)

# The device clock may differ from the server's by this much before the status bar warns.
CLOCK_SKEW_WARNING_SECONDS = 300


class MainWindow(QMainWindow):
    """The workspace for one unlocked store. ``lock_requested`` and ``language_requested`` go to the app."""

    lock_requested = Signal()
    language_requested = Signal(str)
    settings_requested = Signal()

    PAGES = ("today", "cases", "outbox")

    def __init__(self, store: Any, adapter: Any, *, language: str = "", clock: Any = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.store = store
        self.adapter = adapter
        #: A TrustedClock to use for rule checks and records (tests inject one); None: the store's.
        self.clock = clock
        # The collector's day, shared by every page: trusted now (the injected clock, or the store's
        # as of the last sync) in the team's working zone. Both are read again after each sync.
        self._store_clock, zone = device.day_source(store)
        self.day = CollectorDay(lambda: (self.clock or self._store_clock).now(), zone)
        who = device.identity(store)
        self.username = who["username"]
        self.display_name = who["display_name"]
        self.setWindowTitle(self.tr("FieldApp — {name}").format(name=self.display_name))
        self.resize(1360, 820)
        self.setMinimumSize(QSize(1024, 640))

        # left rail
        rail_panel = QWidget()
        rail_panel.setObjectName("railPanel")
        rail_panel.setFixedWidth(176)
        rail_layout = QVBoxLayout(rail_panel)
        rail_layout.setContentsMargins(0, 0, 0, 0)
        rail_layout.setSpacing(0)
        app_title = QLabel("FieldApp")
        app_title.setObjectName("appTitle")
        rail_layout.addWidget(app_title)
        who_label = QLabel(" · ".join(p for p in (self.display_name, who["team"]) if p))
        who_label.setObjectName("userLabel")
        who_label.setWordWrap(True)
        rail_layout.addWidget(who_label)
        self.rail = QListWidget()
        self.rail.setObjectName("rail")
        self.rail.setIconSize(QSize(22, 22))
        for key, label, icon_name in (("today", self.tr("Today"), "today"), ("cases", self.tr("Cases"), "cases"),
                                      ("outbox", self.tr("Outbox"), "outbox")):
            item = QListWidgetItem(style.icon(icon_name), label)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setSizeHint(QSize(160, 52))
            self.rail.addItem(item)
        rail_layout.addWidget(self.rail, 1)

        self.today_page = TodayPage(store, self.day)
        self.cases_page = CasesPage(store, self.username, self.day)
        self.outbox_page = OutboxPage(store, self.day)
        self.stack = QStackedWidget()
        for page in (self.today_page, self.cases_page, self.outbox_page):
            self.stack.addWidget(page)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(rail_panel)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.rail.currentRowChanged.connect(self.stack.setCurrentIndex)

        self._build_status_bar()
        self._build_menus(language)

        from fieldapp.ui.i18n import resolve
        from fieldapp.ui.visit.launcher import VisitLauncher

        self.ui_language = "zh-CN" if resolve(language) == "zh_CN" else "en"
        self.cases_page.language = self.ui_language
        self.cases_page.clock = clock
        self.visit_launcher = VisitLauncher(self, store, language=self.ui_language, clock=clock)
        self.visit_launcher.finished.connect(self._visit_finished)
        self.cases_page.detail.start_visit_requested.connect(self.start_visit)
        self.cases_page.detail.notice_requested.connect(self.print_notice)
        self.today_page.print_notices_requested.connect(self.print_todays_notices)
        self.today_page.open_case.connect(self.open_case)
        self.today_page.start_visit.connect(self.start_visit_of)
        self.outbox_page.sync_requested.connect(self.adapter.sync_now)
        self.cases_page.contact_logged.connect(self._contact_logged)
        adapter.started.connect(self._sync_started)
        adapter.progress.connect(self._sync_progress)
        adapter.finished.connect(self._sync_finished)
        adapter.failed.connect(self._sync_failed)
        adapter.online_changed.connect(self._online_changed)
        adapter.busy_changed.connect(self._busy_changed)
        self._known_case_id: int | None = None
        self._known_case_name = ""
        self.show_page("cases")

    # -- construction
    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setSizeGripEnabled(False)
        self.online_label = QLabel(self.tr("Connecting…"))
        self.online_label.setObjectName("offline")
        self.pending_label = QLabel("")
        self.rejected_button = QPushButton("")
        self.rejected_button.setObjectName("statusLink")
        self.rejected_button.setToolTip(self.tr("Show the records the server refused, with its reasons"))
        self.rejected_button.clicked.connect(self.show_rejected)
        self.rejected_button.hide()
        self.last_sync_label = QLabel(self.tr("Not synced yet"))
        self.skew_label = QLabel("")
        self.skew_label.setObjectName("skewWarning")
        self.skew_label.hide()
        self.notice_label = QLabel("")
        self.notice_label.setObjectName("statusNotice")
        self.notice_label.setWordWrap(False)
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self.notice_label.clear)
        self.sync_progress = QProgressBar()
        self.sync_progress.setFixedWidth(120)
        self.sync_progress.setTextVisible(False)
        self.sync_progress.setRange(0, 0)
        self.sync_progress.hide()
        self.sync_button = QPushButton(style.icon("sync"), self.tr("Sync now"))
        self.sync_button.setObjectName("statusLink")
        self.sync_button.setToolTip(self.tr("Sync now (F5)"))
        self.sync_button.clicked.connect(self.adapter.sync_now)
        for widget in (self.online_label, self.pending_label, self.rejected_button, self.last_sync_label,
                       self.skew_label):
            bar.addWidget(widget)
        bar.addWidget(self.notice_label, 1)
        bar.addPermanentWidget(self.sync_progress)
        bar.addPermanentWidget(self.sync_button)

    def _action(self, text: str, shortcut: QKeySequence | str | None, slot: Any, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutVisibleInContextMenu(True)
        shortcut_text = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip or text} ({shortcut_text})" if shortcut_text else (tip or text))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_menus(self, language: str) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu(self.tr("&FieldApp"))
        self.sync_action = self._action(self.tr("Sync now"), QKeySequence.StandardKey.Refresh, self.adapter.sync_now)
        self.sync_action.setShortcuts([QKeySequence("F5"), QKeySequence("Ctrl+R")])
        file_menu.addAction(self.sync_action)
        self.lock_action = self._action(self.tr("Lock"), "Ctrl+Shift+L", self.lock_requested.emit,
                                        self.tr("Lock FieldApp now; your PIN opens it again"))
        file_menu.addAction(self.lock_action)
        file_menu.addSeparator()
        self.settings_action = self._action(self.tr("Settings…"), "Ctrl+,", self.settings_requested.emit)
        file_menu.addAction(self.settings_action)
        language_menu = file_menu.addMenu(self.tr("Language"))
        group = QActionGroup(self)
        for code, name in (("", self.tr("Follow the system")), *LANGUAGES):
            action = QAction(name, self, checkable=True)
            action.setChecked(code == language)
            action.setData(code)
            action.triggered.connect(lambda _checked=False, c=code: self.language_requested.emit(c))
            group.addAction(action)
            language_menu.addAction(action)
        file_menu.addSeparator()
        self.quit_action = self._action(self.tr("Quit"), QKeySequence.StandardKey.Quit, self.close)
        file_menu.addAction(self.quit_action)

        case_menu = menu.addMenu(self.tr("&Case"))
        self.find_action = self._action(self.tr("Find case"), QKeySequence.StandardKey.Find, self.focus_search)
        case_menu.addAction(self.find_action)
        self.log_action = self._action(self.tr("Log contact attempt…"), "Ctrl+L", self.log_contact)
        case_menu.addAction(self.log_action)
        self.visit_action = self._action(self.tr("Start visit"), "Ctrl+Shift+V", self.start_visit,
                                         self.tr("Check the rules and start the guided visit"))
        case_menu.addAction(self.visit_action)
        self.notice_action = self._action(self.tr("Notice letter…"), "Ctrl+Shift+N", self.print_notice,
                                          self.tr("Preview, print or save the notice letter"))
        case_menu.addAction(self.notice_action)
        self.route_notices_action = self._action(self.tr("Print today's notices…"), "Ctrl+Shift+T",
                                                 self.print_todays_notices,
                                                 self.tr("All notice letters for today's route in one print job"))
        case_menu.addAction(self.route_notices_action)
        self.clear_action = self._action(self.tr("Clear filters"), "Ctrl+Shift+X", self.cases_page.clear_filters)
        case_menu.addAction(self.clear_action)

        view_menu = menu.addMenu(self.tr("&View"))
        self.page_actions = {}
        for number, key, label in ((1, "today", self.tr("Today")), (2, "cases", self.tr("Cases")),
                                   (3, "outbox", self.tr("Outbox"))):
            action = self._action(label, f"Ctrl+{number}", lambda _checked=False, k=key: self.show_page(k))
            view_menu.addAction(action)
            self.page_actions[key] = action
        for i in range(self.rail.count()):
            key = self.rail.item(i).data(Qt.ItemDataRole.UserRole)
            self.rail.item(i).setToolTip(self.page_actions[key].toolTip())

    # -- start-up
    def start(self, *, autosync: bool = True) -> None:
        """Load the lists and (unless ``autosync`` is off, as for screenshots) begin syncing."""
        self.cases_page.apply_filter()
        # the rest once the list is on screen: it is what the collector looks at first
        self._autosync = autosync
        self._started = False
        self.cases_page.model.loaded.connect(self._first_load_done, Qt.ConnectionType.SingleShotConnection)
        self.cases_page.model.failed.connect(self._first_load_done, Qt.ConnectionType.SingleShotConnection)

    def _first_load_done(self, *_args: Any) -> None:
        if self._started:
            return
        self._started = True
        self.cases_page.load_choices()
        self.today_page.refresh()
        self.outbox_page.refresh()
        self.refresh_status()
        if self._autosync:
            self.adapter.start()

    # -- navigation
    def show_page(self, key: str) -> None:
        index = self.PAGES.index(key)
        self.rail.setCurrentRow(index)
        self.stack.setCurrentIndex(index)
        if key == "today":
            self.today_page.refresh()
        elif key == "outbox":
            self.outbox_page.refresh()

    def current_page(self) -> str:
        return self.PAGES[self.stack.currentIndex()]

    def open_case(self, case_id: int) -> None:
        self.show_page("cases")
        self.cases_page.select_case(case_id)

    def focus_search(self) -> None:
        self.show_page("cases")
        self.cases_page.search.setFocus()
        self.cases_page.search.selectAll()

    def log_contact(self) -> None:
        if self.current_page() != "cases":
            self.show_page("cases")
        if self.cases_page.detail.current_case() is None:
            self.notify(self.tr("Select a case first."), 4000)
            return
        self.cases_page.log_contact()

    def start_visit(self) -> None:
        """Start (or resume) a visit to the shown case (on Today: the selected stop); the rule pack is checked
        first."""
        stop = self.today_page.selected_stop() if self.current_page() == "today" else None
        if stop is not None:
            self.start_visit_of(stop.case_id)
            return
        if self.current_page() != "cases":
            self.show_page("cases")
        case = self.cases_page.detail.current_case()
        if case is None:
            self.notify(self.tr("Select a case first."), 4000)
            return
        self.visit_launcher.start(int(case["id"]))

    def start_visit_of(self, case_id: int) -> None:
        """Start (or resume) the visit to ``case_id`` from where the collector is (Today's route)."""
        self.visit_launcher.start(case_id)

    def print_notice(self) -> None:
        """The shown case's notice letter: preview, print, save (refused in words when not allowed)."""
        from fieldapp.ui.notices.dialog import NoticeDialog

        case = self.cases_page.detail.current_case()
        if case is None:
            self.notify(self.tr("Select a case first."), 4000)
            return
        dialog = NoticeDialog(self, self.store, int(case["id"]), language=self.ui_language, clock=self.day)
        dialog.printed.connect(lambda _tokens: self._records_changed())
        dialog.open()
        self.notice_dialog = dialog

    def print_todays_notices(self) -> None:
        """Every notice for today's appointments in one PDF and one print job."""
        Task(self, cases.todays_route, self.store, self.day).on_done(self._open_route_notices).start()

    def _open_route_notices(self, rows: list[Any]) -> None:
        from fieldapp.ui.notices.dialog import TodayNoticesDialog

        dialog = TodayNoticesDialog(self, self.store, [r.case_id for r in rows], language=self.ui_language,
                                    day=self.day)
        dialog.printed.connect(lambda _tokens: self._records_changed())
        dialog.open()
        self.route_dialog = dialog

    def _visit_finished(self, case_id: int) -> None:
        self._records_changed()
        if self.cases_page.selected_case_id == case_id:
            self.cases_page.load_detail(case_id)

    def _records_changed(self) -> None:
        self.cases_page.refresh()
        self.today_page.refresh()
        self.outbox_page.refresh()
        self.refresh_status()

    def show_rejected(self) -> None:
        Task(self, outbox.outbox_items, self.store).on_done(lambda rows: self._open_rejected(rows)).start()

    def _open_rejected(self, rows: list[Any]) -> None:
        self.rejected_dialog = RejectedDialog(self, rows, self.day)
        self.rejected_dialog.open()

    # -- status
    def refresh_status(self) -> None:
        Task(self, device.status, self.store).on_done(self._show_status).start()

    def _show_status(self, status: dict[str, Any]) -> None:
        pending = status.get("outbox_pending", 0)
        rejected = status.get("rejected", 0)
        self.pending_label.setText(self.tr("{n} waiting to sync").format(n=pending))
        self.pending_label.setProperty("count", pending)
        self.rejected_button.setText(self.tr("{n} refused").format(n=rejected))
        self.rejected_button.setProperty("count", rejected)
        self.rejected_button.setVisible(rejected > 0)
        last = status.get("last_sync")
        if last:
            when = self.day.local(dt.datetime.fromisoformat(last))
            day = self.tr("today") if when.date() == self.day.today() else format_date(when.date())
            self.last_sync_label.setText(self.tr("Last sync: {day} {time}").format(day=day, time=f"{when:%H:%M}"))
        skew = status.get("clock_skew_seconds")
        try:
            skew_value = float(skew) if skew is not None else 0.0
        except ValueError:
            skew_value = 0.0
        if abs(skew_value) > CLOCK_SKEW_WARNING_SECONDS:
            minutes = round(abs(skew_value) / 60)
            self.skew_label.setText(self.tr("⚠ This laptop's clock is {n} min off the server's").format(n=minutes))
            self.skew_label.setToolTip(self.tr("Contact-hour rules use the server's time. Set the laptop's date "
                                               "and time correctly (automatic time is best)."))
            self.skew_label.show()
        else:
            self.skew_label.hide()

    def notify(self, message: str, msecs: int = 10_000) -> None:
        """A passing message in the status bar, next to (never over) the sync state."""
        self.notice_label.setText(message)
        self.notice_label.setToolTip(message)
        self._notice_timer.start(msecs)

    def _online_changed(self, online: bool) -> None:
        if online:
            self.online_label.setText(self.tr("● Online"))
            self.online_label.setObjectName("online")
            self.online_label.setToolTip(self.tr("Connected to the server; records are sent automatically"))
        else:
            self.online_label.setText(self.tr("● Offline"))
            self.online_label.setObjectName("offline")
            self.online_label.setToolTip(self.tr("The server cannot be reached. Keep working: everything is "
                                                 "saved here and sent when the network is back."))
        self.online_label.style().unpolish(self.online_label)
        self.online_label.style().polish(self.online_label)

    def _busy_changed(self, busy: bool) -> None:
        self.sync_progress.setVisible(busy)
        self.sync_button.setEnabled(not busy)
        self.outbox_page.sync_button.setEnabled(not busy)

    def _sync_started(self) -> None:
        self.sync_progress.setRange(0, 0)
        self._known_case_id = self.cases_page.selected_case_id
        shown = self.cases_page.detail.current_case()
        self._known_case_name = shown["debtor_name"] if shown and shown["id"] == self._known_case_id else ""

    def _sync_progress(self, phase: str, done: int, total: Any) -> None:
        if total:
            self.sync_progress.setRange(0, int(total))
            self.sync_progress.setValue(min(done, int(total)))
        else:
            self.sync_progress.setRange(0, 0)

    def _sync_finished(self, report: Any) -> None:
        # The clock learnt the server's time, and the team's zone may have changed: read both off the
        # GUI thread, then refresh what shows a day (with the day as it was, should the read fail).
        Task(self, device.day_source, self.store).on_done(lambda source: self._after_sync(report, source)).on_error(
            lambda exc, details: self._day_unreadable(report, details)).start()

    def _day_unreadable(self, report: Any, details: str) -> None:
        log.error("the clock and working zone could not be read after a sync:\n%s", details)
        self._after_sync(report, None)

    def _after_sync(self, report: Any, source: tuple[Any, dt.tzinfo] | None) -> None:
        if source is not None:
            self._store_clock, zone = source
            if zone != self.day.zone:
                self.day.zone = zone
                self.cases_page.apply_filter()
        self.refresh_status()
        self.outbox_page.refresh()
        self.today_page.refresh()
        if report.cases_received or report.cases_removed or report.pushed:
            self.cases_page.refresh()
        else:
            # plan decisions and payments arrive without case changes: a cheap check of those alone
            self.cases_page.refresh_follow_ups()
        if report.cases_removed:
            self.notify(
                self.tr("{n} cases were reassigned to someone else or closed by the server and left your list.")
                .format(n=report.cases_removed), 15000)
            if self._known_case_id is not None:
                Task(self, cases.case_detail, self.store, self._known_case_id).on_done(self._check_open_case).start()
        if report.rejected or report.conflict:
            self.notify(
                self.tr("The server refused {n} records. Click \"refused\" below to see why.")
                .format(n=report.rejected + report.conflict), 15000)

    def _check_open_case(self, detail: Any) -> None:
        if detail is None and self.cases_page.selected_case_id == self._known_case_id:
            who = self._known_case_name
            self.cases_page.show_case_gone()
            self.case_gone_box = inform(self, self.tr("Case removed"), self.tr(
                "The case of {name} was reassigned to someone else or closed by the server, so it is no longer on "
                "this laptop. What you logged for it is kept and will still be sent.").format(name=who))

    def _sync_failed(self, exc: BaseException, details: str) -> None:
        self.refresh_status()
        message, _ = describe_error(exc, details)
        self.notify(message, 15000)

    def _contact_logged(self, case_id: int) -> None:
        self.notify(self.tr("Saved. It will be sent with the next sync."), 6000)
        self.cases_page.refresh()
        self.today_page.refresh()
        self.outbox_page.refresh()
        self.refresh_status()
        self.adapter.sync_now()

    # -- teardown
    def shutdown(self) -> None:
        """Stop syncing and release the GUI thread's session (before the store is closed)."""
        self.adapter.stop()
        self.cases_page.model.close()
