"""The schedule preview's table model: one row per instalment (number, due date, amount)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from fieldapp.core.money import format_amount, to_minor
from fieldapp.core.plans import Instalment

Index = QModelIndex | QPersistentModelIndex


def date_format() -> str:
    """A date pattern a person reads without doubt: 2026年12月31日 or 31 Dec 2026 (never 12/31/26)."""
    return "yyyy年M月d日" if QLocale().language() == QLocale.Language.Chinese else "d MMM yyyy"


def display_date(day: dt.date) -> str:
    return QLocale().toString(QDate(day.year, day.month, day.day), date_format())


class ScheduleModel(QAbstractTableModel):
    """A plan's instalments, replaced as a whole on every change of the editor's inputs."""

    COLUMNS = ("number", "due_on", "amount")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[Instalment] = []
        self._currency = "CNY"
        self._moved: dict[int, dt.date] = {}

    def set_instalments(self, items: list[Instalment] | tuple[Instalment, ...], currency: str,
                        moved: dict[int, dt.date] | None = None) -> None:
        """Show ``items``; ``moved`` maps an instalment number to the date it would have fallen on
        before the holiday calendar moved it (shown with a mark and a tooltip)."""
        self.beginResetModel()
        self._items = list(items)
        self._currency = currency
        self._moved = dict(moved or {})
        self.endResetModel()

    def instalments(self) -> list[Instalment]:
        return list(self._items)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's API
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("No."), self.tr("Due on"), self.tr("Amount"))[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return self.tr("Down payment") if item.number == 0 else str(item.number)
            if column == 1:
                return display_date(item.due_on) + (" *" if item.number in self._moved else "")
            return format_amount(to_minor(item.amount, self._currency), self._currency)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == 2:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == 1 and item.number in self._moved:
            return self.tr("Moved from %1: no payment falls due on a public holiday").replace(
                "%1", display_date(self._moved[item.number]))
        if role == Qt.ItemDataRole.UserRole:
            return item.number
        return None


__all__ = ("ScheduleModel",)
