"""The Cases page: search and filters on top, the case list on the left, the selected case on the right."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QItemSelection, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from fieldapp.app import cases, contacts
from fieldapp.app.cases import DPD_BANDS, FOLLOW_UP_STATES, CaseFilter
from fieldapp.app.contacts import ContactAttemptInput
from fieldapp.core.clock import CollectorDay
from fieldapp.ui.detail import CaseDetailPane
from fieldapp.ui.dialogs import ContactAttemptDialog, report_error
from fieldapp.ui.messages import describe_error
from fieldapp.ui.models import CaseListModel, state_label
from fieldapp.ui.tasks import Task
from fieldapp.ui.widgets import page_title, table_view

# Typing pauses this long before the case list is queried again.
SEARCH_DEBOUNCE_MS = 150


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
        top.addWidget(page_title(self.tr("Cases")))
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
        for key in ("new", "contacted", "visited", "appointment", "flagged", *FOLLOW_UP_STATES):
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
        self.view = table_view(self.model)
        self.view.setObjectName("caseTable")
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(3, Qt.SortOrder.DescendingOrder)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(56)
        # narrow fixed columns, so the Address (the one that stretches) keeps a dozen characters at 1366 px
        for column, width in enumerate((84, 200, 108, 60, 104, 92, 112, 88)):
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
        self._to_first_result = False
        self._filter_changed = False
        self.search.installEventFilter(self)

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
        self._filter_changed = True
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

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """From the search box, Down goes to the results and Enter opens the first one."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key == Qt.Key.Key_Down:
                self.go_to_results()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._debounce.isActive():  # typed faster than the search: open the first of the new list
                    self._to_first_result = True
                    self.apply_filter()
                else:
                    self.go_to_results()
                return True
        return super().eventFilter(watched, event)

    def go_to_results(self) -> None:
        """Focus the case list on its first row (selecting it shows the case), unless one is selected."""
        self.view.setFocus()
        if self.model.rowCount() and not self.view.selectionModel().hasSelection():
            self.view.selectRow(0)

    def _loaded(self, count: int) -> None:
        if self._filter_changed and not self.model.partial:
            self._filter_changed = False
            if self._selected_id is not None and self.model.row_of(self._selected_id) < 0:
                # the open case is not among the results: the detail pane does not keep showing it
                self._selected_id = None
                self.detail.clear(self.tr("No case matches the search and filters.") if count == 0 else "")
        if self._to_first_result:
            self._to_first_result = False
            self.view.clearSelection()
            self.go_to_results()
        if self.model.partial:
            self.count_label.setText(self.tr("Loading all cases…"))
        else:
            self.count_label.setText(self.tr("1 case") if count == 1 else self.tr("{n} cases").format(n=count))

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
    def log_contact(self, entry: ContactAttemptInput | None = None) -> None:
        """Open the contact dialog (filled with ``entry`` when asked again); the rule pack's answer about
        calling now, and about the entered time, is shown in it when read."""
        case = self.detail.current_case()
        if case is None:
            return
        dialog = ContactAttemptDialog(self, debtor_name=case["debtor_name"],
                                      tz_name=case.get("timezone") or "Asia/Shanghai",
                                      now=self.day.now(), work_zone=self.day.zone_name)
        if entry is not None:
            dialog.fill(entry)
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
        lang = "zh-CN" if self.language.startswith("zh") else "en"

        def review(entry: ContactAttemptInput) -> tuple[str, str] | None:
            verdict = contacts.review_attempt(context, entry)
            if verdict.allowed:
                return None
            return verdict.rule_id or "", verdict.reason.get(lang) or verdict.reason.get("en", "")

        dialog.set_reviewer(review)
        reading = (self.clock or store_clock).reading()
        verdict = context.pack.check("call", context.facts, context.history, reading.utc)
        if not verdict.allowed:
            Task(self, audit, self.store, AUDIT_RULE_CHECK, check_detail("call", verdict, reading),
                 case_id=case["id"], at=reading.utc).on_error(self._error).start()
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
            lambda _id: self.contact_logged.emit(case_id)).on_error(
            lambda exc, details: self._contact_not_saved(case_id, entry, exc, details)).start()

    def _contact_not_saved(self, case_id: int, entry: ContactAttemptInput, exc: BaseException, details: str) -> None:
        """Saved before the rule check reached the dialog, the attempt broke a rule: ask again, with what was typed."""
        if isinstance(exc, contacts.JustificationRequired) and self.detail.current_case() is not None \
                and self.detail.current_case()["id"] == case_id:
            self.log_contact(entry)
            return
        self._error(exc, details)

    def _error(self, exc: BaseException, details: str) -> None:
        report_error(self, describe_error(exc, details)[0], details)
