"""The Today and Outbox pages, and the list of records the server refused."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldapp.app import outbox, route
from fieldapp.core.clock import CollectorDay
from fieldapp.ui import style
from fieldapp.ui.models import CaseIdRole
from fieldapp.ui.page_models import OutboxModel, TodayModel
from fieldapp.ui.tasks import Task
from fieldapp.ui.widgets import page_title, table_view


class TodayPage(QWidget):
    """Today's route: each appointment in time order with where it stands (to do, in progress, done with
    its outcome, missed), the next one highlighted and selected. Enter or a double click opens the case;
    "Start visit" (or Ctrl+Enter) starts the visit of the selected stop."""

    open_case = Signal(int)
    start_visit = Signal(int)
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
        top.addWidget(page_title(self.tr("Today")))
        self.date_label = QLabel("")
        self.date_label.setObjectName("muted")
        top.addWidget(self.date_label)
        top.addStretch(1)
        layout.addLayout(top)
        self.summary = QLabel("")
        self.summary.setObjectName("muted")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model = TodayModel(self, day=day)
        self.view = table_view(self.model)
        self.view.setObjectName("todayTable")
        header = self.view.horizontalHeader()
        for column, width in enumerate((90, 230, 130, 420, 140)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.view, 1)
        self.view.activated.connect(lambda index: self.open_case.emit(index.data(CaseIdRole)))
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.visit_button = QPushButton(self.tr("Start visit"))
        self.visit_button.setObjectName("primary")
        self.visit_button.setToolTip(self.tr("Start the visit of the selected stop (Ctrl+Enter)"))
        self.visit_button.clicked.connect(lambda: self._start_selected())
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self._start_selected,
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.print_button = QPushButton(self.tr("Print today's notices…"))
        self.print_button.setToolTip(self.tr("All notice letters for today's route in one print job (Ctrl+Shift+T)"))
        self.print_button.clicked.connect(lambda: self.print_notices_requested.emit())
        top.addWidget(self.print_button)
        top.addWidget(self.visit_button)
        self.rows: list[Any] = []
        self._update_buttons()

    def refresh(self) -> None:
        """Read the route of the collector's today (a new day begins at their midnight)."""
        Task(self, route.todays_route, self.store, self.day).on_done(self._show).start()

    def selected_stop(self) -> Any:
        index = self.view.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _start_selected(self) -> None:
        stop = self.selected_stop()
        if stop is not None and stop.state != route.DONE:
            self.start_visit.emit(stop.case_id)

    def _update_buttons(self) -> None:
        stop = self.selected_stop()
        self.visit_button.setEnabled(stop is not None and stop.state != route.DONE)

    def _show(self, rows: list[Any]) -> None:
        today = self.day.today()
        self.date_label.setText(QLocale().toString(today, QLocale.FormatType.LongFormat))
        self.date_label.setToolTip(self.tr("Your working day, in {zone}").format(zone=self.day.zone_name))
        previous = self.selected_stop()
        self.rows = rows
        self.print_button.setEnabled(bool(rows))
        self.model.set_rows(rows)
        keep = next((i for i, stop in enumerate(rows) if previous is not None and stop.case_id == previous.case_id
                     and stop.state != route.DONE), -1)
        row = self.model.next_row() if keep < 0 else keep
        if row >= 0:
            self.view.setCurrentIndex(self.model.index(row, 0))
            self.view.scrollTo(self.model.index(row, 0))
        self._update_buttons()
        if not rows:
            self.summary.setText(self.tr("No appointments today. Confirm visits by phone from the case list."))
            return
        done = route.progress(rows)
        text = self.tr("{n} appointments today: {done} done, {doing} in progress, {missed} missed, {left} to do.").format(
            n=len(rows), done=done.done, doing=done.in_progress, missed=done.missed, left=done.to_do)
        if self.model.next_row() < 0:
            text += " " + self.tr("Nothing left on today's route.")
        self.summary.setText(text)


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
        top.addWidget(page_title(self.tr("Outbox")))
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
        self.view = table_view(self.model)
        self.view.setObjectName("outboxTable")
        header = self.view.horizontalHeader()
        for column, width in enumerate((200, 140, 120, 160, 300)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.view, 1)

    def refresh(self) -> None:
        Task(self, outbox.outbox_items, self.store).on_done(self._show).start()

    def _show(self, rows: list[Any]) -> None:
        self.model.set_rows(rows)
        pending = [r for r in rows if r.state == "pending"]
        refused = len(rows) - len(pending)
        audit = sum(r.audit_events for r in pending)
        if not rows:
            self.summary.setText(self.tr("Everything has been sent to the server."))
            return
        text = self.tr("{pending} waiting to be sent, {rejected} refused by the server.").format(
            pending=len(pending), rejected=refused)
        if audit:
            text += " " + self.tr("Their {n} audit entries (every rule check and step, for your team lead) go with "
                                  "them.").format(n=audit)
        if refused:
            text += " " + self.tr("Refused records stay here with the server's reason; tell your team lead.")
        self.summary.setText(text)


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
        view = table_view(self.model)
        view.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


# -------------------------------------------------------------------------------------- window
