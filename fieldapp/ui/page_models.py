"""Table models of the Today and Outbox pages: small lists of plain rows, replaced as a whole."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from fieldapp.app import outbox, route
from fieldapp.app.outbox import OutboxItem
from fieldapp.app.route import RouteStop
from fieldapp.core.clock import CollectorDay
from fieldapp.ui.labels import Labels
from fieldapp.ui.models import CaseIdRole, format_date, format_local_time

_Index = QModelIndex | QPersistentModelIndex


class _ListModel(QAbstractTableModel):
    """A small table over a list of plain rows, replaced as a whole; times in the collector's day."""

    def __init__(self, parent: QObject | None = None, *, day: CollectorDay) -> None:
        super().__init__(parent)
        self.day = day
        self._rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers())

    def headers(self) -> list[str]:
        raise NotImplementedError

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            headers = self.headers()
            if 0 <= section < len(headers):
                return headers[section]
        return None


class TodayModel(_ListModel):
    """Today's route in time order: time (debtor-local), where the stop stands, name, address, phone.

    Rows are ``app.route.RouteStop``; the next stop is drawn bold on a highlighted background.
    """

    STATE_COLOURS = {route.DONE: "#1e6b3a", route.MISSED: "#a11d12", route.IN_PROGRESS: "#0b5cad"}

    def headers(self) -> list[str]:
        return [self.tr("Time"), self.tr("Status"), self.tr("Name"), self.tr("Address"), self.tr("Phone")]

    def state_text(self, stop: RouteStop) -> str:
        if stop.state == route.DONE:
            return self.tr("Done: {outcome}").format(outcome=Labels().outcome(stop.outcome))
        text = {route.IN_PROGRESS: self.tr("In progress"), route.MISSED: self.tr("Missed"),
                route.TO_DO: self.tr("To do")}.get(stop.state, stop.state)
        return self.tr("Next: {state}").format(state=text) if stop.is_next else text

    def next_row(self) -> int:
        """The row of the next stop, or -1 when the day has none left."""
        return next((i for i, stop in enumerate(self._rows) if stop.is_next), -1)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        stop: RouteStop = self._rows[index.row()]
        item = stop.appointment
        if role == CaseIdRole:
            return item.case_id
        if role == Qt.ItemDataRole.FontRole and (index.column() in (0, 2) or stop.is_next):
            font = QFont()
            font.setWeight(QFont.Weight.Bold if stop.is_next else QFont.Weight.DemiBold)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and stop.is_next:
            return QColor("#fff4cc")
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1 and stop.state in self.STATE_COLOURS:
            return QColor(self.STATE_COLOURS[stop.state])
        if role == Qt.ItemDataRole.ForegroundRole and stop.state == route.DONE:
            return QColor("#55656e")
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 3:
            return item.address
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return [
            format_local_time(item.at, item.timezone, day=self.day, with_date=False),
            self.state_text(stop),
            item.debtor_name,
            item.address,
            item.phone,
        ][index.column()]


class OutboxModel(_ListModel):
    """What waits for the server, as a person did it (``app.outbox.OutboxItem``: audit events folded in),
    and what it refused with its reason."""

    def headers(self) -> list[str]:
        return [self.tr("State"), self.tr("What"), self.tr("Case"), self.tr("Made at"), self.tr("Server's reason")]

    def kind_label(self, kind: str) -> str:
        return {
            "contact_attempt": self.tr("Contact attempt"), "visit": self.tr("Visit"),
            "plan": self.tr("Repayment plan"), "promise": self.tr("Promise to pay"),
            "notice": self.tr("Notice letter printed"), "notice_delivery": self.tr("Notice letter delivery"),
            "audit_event": self.tr("Audit trail"),
        }.get(kind, self.tr("Other record"))

    def what(self, item: OutboxItem) -> str:
        if item.kind == outbox.AUDIT:
            return self.tr("Audit trail ({n} entries)").format(n=item.audit_events) if item.audit_events > 1 \
                else self.tr("Audit trail (1 entry)")
        if item.audit_events:
            return self.tr("{what}, with {n} audit entries").format(what=self.kind_label(item.kind),
                                                                    n=item.audit_events)
        return self.kind_label(item.kind)

    def state_label(self, state: str) -> str:
        return {"pending": self.tr("Waiting to sync"), "rejected": self.tr("Refused by the server"),
                "conflict": self.tr("Conflict (kept for your lead)")}.get(state, state)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        item: OutboxItem = self._rows[index.row()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 0 and item.state != "pending":
            return QColor("#a11d12")
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 4 and item.reason:
            return item.reason
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        created = self.day.local(item.created_at) if item.created_at else None
        return [
            self.state_label(item.state),
            self.what(item),
            item.debtor_name or (str(item.case_id) if item.case_id is not None else ""),
            f"{format_date(created.date())} {created:%H:%M}" if created else "",
            item.reason,
        ][index.column()]
