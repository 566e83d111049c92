"""The Today and Outbox pages, and the list of records the server refused."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QLocale, Qt, Signal
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

from fieldapp.app import cases
from fieldapp.core.clock import CollectorDay
from fieldapp.ui import style
from fieldapp.ui.models import CaseIdRole, OutboxModel, TodayModel
from fieldapp.ui.tasks import Task
from fieldapp.ui.widgets import page_title, table_view


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
        top.addWidget(page_title(self.tr("Today")))
        self.date_label = QLabel("")
        self.date_label.setObjectName("muted")
        top.addWidget(self.date_label)
        top.addStretch(1)
        layout.addLayout(top)
        self.summary = QLabel("")
        self.summary.setObjectName("muted")
        layout.addWidget(self.summary)
        self.model = TodayModel(self, day=day)
        self.view = table_view(self.model)
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
        view = table_view(self.model)
        view.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


# -------------------------------------------------------------------------------------- window
