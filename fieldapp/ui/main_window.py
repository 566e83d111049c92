"""The collector's workspace: a left rail (Today · Cases · Outbox), the list, the case, the status bar.

Built for one unlocked store and thrown away when the app locks. All reads and writes go through
Tasks; the case list's rows come from CaseListModel's block cache.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from PySide6.QtCore import QItemSelection, QLocale, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldapp.app import cases, contacts, device
from fieldapp.app.cases import DPD_BANDS, FOLLOW_UP_STATES, CaseFilter
from fieldapp.app.contacts import ContactAttemptInput
from fieldapp.core.clock import CollectorDay
from fieldapp.ui import style
from fieldapp.ui.detail import CaseDetailPane
from fieldapp.ui.dialogs import ContactAttemptDialog, inform, report_error
from fieldapp.ui.i18n import LANGUAGES
from fieldapp.ui.messages import describe_error
from fieldapp.ui.models import CaseIdRole, CaseListModel, OutboxModel, TodayModel, format_date, state_label
from fieldapp.ui.tasks import Task

log = logging.getLogger(__name__)

# The device clock may differ from the server's by this much before the status bar warns.
CLOCK_SKEW_WARNING_SECONDS = 300
# Typing pauses this long before the case list is queried again.
SEARCH_DEBOUNCE_MS = 150


def _table(model: Any) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(40)  # a finger-sized row
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    return view


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("pageTitle")
    return label


# ------------------------------------------------------------------------------------------ pages
class CasesPage(QWidget):
    """Search and filters on top, the case list on the left, the selected case on the right."""

    contact_logged = Signal(int)
    contact_dialog_checked = Signal(object)  # the dialog, once the rule pack's answer is shown in it

    def __init__(self, store: Any, username: str, day: CollectorDay, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("casesPage")
        self.store = store
        self.username = username
        self.day = day
        self.language = "en"
        #: Injected trusted clock (tests); None reads the store's at each check.
        self.clock: Any = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 8)
        layout.setSpacing(10)

        top = QHBoxLayout()
        top.addWidget(_title(self.tr("Cases")))
        top.addSpacing(16)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Search name, account, phone or address (Ctrl+F)"))
        top.addWidget(self.search, 1)
        self.count_label = QLabel("")
        self.count_label.setObjectName("muted")
        self.count_label.setMinimumWidth(110)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.count_label)
        layout.addLayout(top)

        filters = QHBoxLayout()
        filters.setSpacing(10)
        self.state = QComboBox()
        self.state.addItem(self.tr("All statuses"), "")
        for key in ("new", "contacted", "appointment", "flagged", *FOLLOW_UP_STATES):
            self.state.addItem(state_label(key), key)
        self.state.setToolTip(self.tr("“Broken plans”: a broken plan or promise, an overdue instalment or a plan "
                                      "your lead rejected. “Needs follow-up”: a follow-up or promised payment "
                                      "due today or earlier, in the debtor's time."))
        self.dpd = QComboBox()
        self.dpd.addItem(self.tr("Any DPD"), "")
        for key in DPD_BANDS:
            self.dpd.addItem(self.tr("DPD {band}").format(band=key.replace("-", "–")), key)
        self.today = QCheckBox(self.tr("Appointment today"))
        self.city = QComboBox()
        self.city.addItem(self.tr("All cities"), "")
        self.district = QComboBox()
        self.district.addItem(self.tr("All districts"), "")
        for combo in (self.state, self.dpd, self.city, self.district):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setMinimumWidth(130)
        self.clear_button = QPushButton(self.tr("Clear filters"))
        for widget in (self.state, self.dpd, self.today, self.city, self.district):
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.clear_button)
        layout.addLayout(filters)

        self.model = CaseListModel(store, self, day=day)
        self.view = _table(self.model)
        self.view.setObjectName("caseTable")
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(3, Qt.SortOrder.DescendingOrder)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(56)
        for column, width in enumerate((96, 200, 104, 72, 108, 104, 152, 88)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.detail = CaseDetailPane(store=store, day=day)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.view)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([900, 360])
        layout.addWidget(splitter, 1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._debounce.start)
        for combo in (self.state, self.dpd, self.district):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.city.currentIndexChanged.connect(self._city_changed)
        self.today.toggled.connect(self.apply_filter)
        self.clear_button.clicked.connect(self.clear_filters)
        self.model.loaded.connect(self._loaded)
        self.model.failed.connect(lambda exc, details: report_error(self, describe_error(exc, details)[0], details))
        self.model.modelReset.connect(self._reselect)
        self.model.follow_ups_changed.connect(self._follow_ups_changed)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.detail.log_contact_requested.connect(self.log_contact)
        self._selected_id: int | None = None
        self._filling_choices = False

    # -- filtering
    def current_filter(self) -> CaseFilter:
        old = self.model.case_filter
        return CaseFilter(
            text=self.search.text().strip(), state=self.state.currentData() or "",
            dpd_band=self.dpd.currentData() or "", appointment_today=self.today.isChecked(),
            city=self.city.currentData() or "", district=self.district.currentData() or "",
            sort_key=old.sort_key, descending=old.descending, zone=self.day.zone,
        )

    def apply_filter(self) -> None:
        if self._filling_choices:
            return
        self._debounce.stop()
        self.count_label.setText(self.tr("Searching…"))
        self.model.set_filter(self.current_filter())

    def clear_filters(self) -> None:
        self._filling_choices = True
        try:
            self.search.clear()
            self.state.setCurrentIndex(0)
            self.dpd.setCurrentIndex(0)
            self.today.setChecked(False)
            self.city.setCurrentIndex(0)
            self.district.setCurrentIndex(0)
        finally:
            self._filling_choices = False
        self.apply_filter()

    def _city_changed(self) -> None:
        if self._filling_choices:
            return
        # A district of another city would match nothing: back to all districts, filter at once,
        # and offer the new city's districts when they are read.
        self._filling_choices = True
        self.district.setCurrentIndex(0)
        self._filling_choices = False
        self.apply_filter()
        self.load_choices()

    def load_choices(self, refilter: bool = False) -> None:
        """Refresh the city and district lists (after start-up and each sync)."""
        city = self.city.currentData() or ""
        Task(self, cases.filter_choices, self.store, city).on_done(
            lambda choices: self._fill_choices(*choices, refilter=refilter)).start()

    def _fill_choices(self, city_list: list[str], district_list: list[str], *, refilter: bool) -> None:
        self._filling_choices = True
        try:
            for combo, values, all_label in ((self.city, city_list, self.tr("All cities")),
                                             (self.district, district_list, self.tr("All districts"))):
                current = combo.currentData() or ""
                combo.clear()
                combo.addItem(all_label, "")
                for value in values:
                    combo.addItem(value, value)
                index = combo.findData(current)
                combo.setCurrentIndex(max(0, index))
        finally:
            self._filling_choices = False
        if refilter:
            self.apply_filter()

    def _loaded(self, count: int) -> None:
        if self.model.partial:
            self.count_label.setText(self.tr("Loading all cases…"))
        else:
            self.count_label.setText(self.tr("{n} cases").format(n=count))


    # -- selection and detail
    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        case_id = self.model.case_id(indexes[0].row())
        if case_id is not None and case_id != self._selected_id:
            self._selected_id = case_id
            self.load_detail(case_id)

    def _reselect(self) -> None:
        if self._selected_id is None:
            return
        row = self.model.row_of(self._selected_id)
        if row >= 0:
            self.view.selectRow(row)

    @property
    def selected_case_id(self) -> int | None:
        """The case shown in the detail pane (it may have left the list since)."""
        return self._selected_id

    def show_case_gone(self) -> None:
        """Say in the detail pane that the open case left this laptop."""
        if self._selected_id is not None:
            self._show_detail(self._selected_id, None)

    def select_case(self, case_id: int) -> None:
        """Show ``case_id`` (from Today): clear filters that would hide it, select it, load it."""
        self._selected_id = case_id
        row = self.model.row_of(case_id)
        if row >= 0:
            self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0))
        self.load_detail(case_id)

    def load_detail(self, case_id: int) -> None:
        Task(self, cases.case_detail, self.store, case_id).on_done(
            lambda detail: self._show_detail(case_id, detail)).on_error(self._error).start()

    def _show_detail(self, case_id: int, detail: Any) -> None:
        if case_id != self._selected_id:
            return
        if detail is None:
            self.detail.clear(self.tr("This case is no longer on this laptop: the server reassigned or closed it. "
                                      "Anything you logged for it is kept and will still be sent."))
            return
        self.detail.show_detail(detail)

    def refresh(self) -> None:
        """Re-run the query and reload the open case (after a sync or a logged attempt)."""
        self.model.refresh()
        self.load_choices()
        if self._selected_id is not None:
            self.load_detail(self._selected_id)

    def refresh_follow_ups(self) -> None:
        """Plans or promises may have changed (a sync's plan updates): re-read only those facts."""
        self.model.refresh_follow_ups()

    def _follow_ups_changed(self, changed: bool) -> None:
        if changed and self._selected_id is not None:
            self.load_detail(self._selected_id)  # its plan summary shows the new status

    # -- contact attempts
    def log_contact(self) -> None:
        """Open the contact dialog; the rule pack's answer about calling now is shown in it when read."""
        case = self.detail.current_case()
        if case is None:
            return
        dialog = ContactAttemptDialog(self, debtor_name=case["debtor_name"],
                                      tz_name=case.get("timezone") or "Asia/Shanghai",
                                      now=self.day.now(), work_zone=self.day.zone_name)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._save_contact(case["id"], dialog.result_input))
        dialog.open()
        self.contact_dialog = dialog
        Task(dialog, contacts.contact_rules, self.store, case["id"]).on_done(
            lambda result: self._show_contact_rules(dialog, case, *result)).on_error(self._error).start()

    def _show_contact_rules(self, dialog: ContactAttemptDialog, case: dict[str, Any], context: Any,
                            store_clock: Any) -> None:
        """Say in the open dialog whether a call may be made now (CN2, US3 …); audit a refusal."""
        from fieldapp.app.visits import AUDIT_RULE_CHECK, audit, check_detail

        if context is None:
            return
        reading = (self.clock or store_clock).reading()
        verdict = context.pack.check("call", context.facts, context.history, reading.utc)
        if not verdict.allowed:
            Task(self, audit, self.store, AUDIT_RULE_CHECK, check_detail("call", verdict, reading),
                 case_id=case["id"], at=reading.utc).on_error(self._error).start()
            lang = "zh-CN" if self.language.startswith("zh") else "en"
            reason = verdict.reason.get(lang) or verdict.reason.get("en", "")
            if verdict.blocked:
                notice = self.tr("Do not call now ({rule}): {reason} A call logged anyway is flagged for your team "
                                 "lead.").format(rule=verdict.rule_id, reason=reason)
            else:
                notice = self.tr("A call now needs a reason ({rule}): {reason} Write it in the note; the call is "
                                 "flagged for your team lead.").format(rule=verdict.rule_id, reason=reason)
            dialog.rule_notice.setText(notice)
            dialog.rule_notice.show()
        self.contact_dialog_checked.emit(dialog)

    def _save_contact(self, case_id: int, entry: ContactAttemptInput | None) -> None:
        if entry is None:
            return
        Task(self, contacts.log_contact, self.store, case_id, entry, self.username).on_done(
            lambda _id: self.contact_logged.emit(case_id)).on_error(self._error).start()

    def _error(self, exc: BaseException, details: str) -> None:
        report_error(self, describe_error(exc, details)[0], details)


class TodayPage(QWidget):
    """The day's appointments in time order, with addresses; Enter or a double click opens the case."""

    open_case = Signal(int)
    print_notices_requested = Signal()

    def __init__(self, store: Any, day: CollectorDay, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("todayPage")
        self.store = store
        self.day = day
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 8)
        layout.setSpacing(10)
        top = QHBoxLayout()
        top.addWidget(_title(self.tr("Today")))
        self.date_label = QLabel("")
        self.date_label.setObjectName("muted")
        top.addWidget(self.date_label)
        top.addStretch(1)
        layout.addLayout(top)
        self.summary = QLabel("")
        self.summary.setObjectName("muted")
        layout.addWidget(self.summary)
        self.model = TodayModel(self, day=day)
        self.view = _table(self.model)
        self.view.setObjectName("todayTable")
        header = self.view.horizontalHeader()
        for column, width in enumerate((140, 140, 480, 150)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.view, 1)
        self.view.activated.connect(lambda index: self.open_case.emit(index.data(CaseIdRole)))
        self.print_button = QPushButton(self.tr("Print today's notices…"))
        self.print_button.setToolTip(self.tr("All notice letters for today's route in one print job (Ctrl+Shift+T)"))
        self.print_button.clicked.connect(self.print_notices_requested)
        top.addWidget(self.print_button)
        self.rows: list[Any] = []

    def refresh(self) -> None:
        """Read the appointments of the collector's today (a new day begins at their midnight)."""
        Task(self, cases.todays_route, self.store, self.day).on_done(self._show).start()

    def _show(self, rows: list[Any]) -> None:
        today = self.day.today()
        self.date_label.setText(QLocale().toString(today, QLocale.FormatType.LongFormat))
        self.date_label.setToolTip(self.tr("Your working day, in {zone}").format(zone=self.day.zone_name))
        self.rows = rows
        self.print_button.setEnabled(bool(rows))
        self.model.set_rows(rows)
        self.summary.setText(self.tr("{n} appointments today").format(n=len(rows)) if rows
                             else self.tr("No appointments today. Confirm visits by phone from the case list."))


class OutboxPage(QWidget):
    """What waits for the server, and what it refused with its reason."""

    sync_requested = Signal()

    def __init__(self, store: Any, day: CollectorDay, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outboxPage")
        self.store = store
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 8)
        layout.setSpacing(10)
        top = QHBoxLayout()
        top.addWidget(_title(self.tr("Outbox")))
        top.addStretch(1)
        self.sync_button = QPushButton(style.icon("sync"), self.tr("Sync now"))
        self.sync_button.setToolTip(self.tr("Send waiting records and fetch case changes (F5)"))
        self.sync_button.clicked.connect(self.sync_requested)
        top.addWidget(self.sync_button)
        layout.addLayout(top)
        self.summary = QLabel("")
        self.summary.setObjectName("muted")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model = OutboxModel(self, day=day)
        self.view = _table(self.model)
        self.view.setObjectName("outboxTable")
        header = self.view.horizontalHeader()
        for column, width in enumerate((200, 140, 120, 160, 300)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.view, 1)

    def refresh(self) -> None:
        Task(self, cases.outbox, self.store).on_done(self._show).start()

    def _show(self, rows: list[Any]) -> None:
        self.model.set_rows(rows)
        pending = sum(1 for r in rows if r.state == "pending")
        refused = len(rows) - pending
        if not rows:
            self.summary.setText(self.tr("Everything has been sent to the server."))
        else:
            self.summary.setText(self.tr("{pending} waiting to be sent, {rejected} refused by the server. Refused "
                                         "records stay here with the server's reason; tell your team lead.")
                                 .format(pending=pending, rejected=refused))


class RejectedDialog(QDialog):
    """The records the server refused, each with its reason (from the status bar)."""

    def __init__(self, parent: QWidget | None, rows: list[Any], day: CollectorDay) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Records refused by the server"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(820, 360)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        text = QLabel(self.tr("These records were not accepted. They stay on this laptop; your team lead can "
                              "resolve them."))
        text.setWordWrap(True)
        layout.addWidget(text)
        self.model = OutboxModel(self, day=day)
        self.model.set_rows([r for r in rows if r.state != "pending"])
        view = _table(self.model)
        view.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


# -------------------------------------------------------------------------------------- window
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
        """Start (or resume) a visit to the shown case: the rule pack is checked first."""
        if self.current_page() != "cases":
            self.show_page("cases")
        case = self.cases_page.detail.current_case()
        if case is None:
            self.notify(self.tr("Select a case first."), 4000)
            return
        self.visit_launcher.start(int(case["id"]))

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
        self.outbox_page.refresh()
        self.refresh_status()

    def show_rejected(self) -> None:
        Task(self, cases.outbox, self.store).on_done(lambda rows: self._open_rejected(rows)).start()

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
        # The clock learnt the server's time, and the team's zone may have changed: read both (a
        # few settings rows, like the meta read at start-up) before anything shows a day.
        self._store_clock, zone = device.day_source(self.store)
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
