"""Qt table models: the case list (ids plus a lazy row cache), the Today view and the Outbox.

Every model here passes ``pytestqt``'s model tester. The case list holds only the ordered ids of
the matching cases; the rows it shows are read in blocks of ``BLOCK`` as the view asks for them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QIcon
from PySide6.QtWidgets import QApplication, QStyle

from fieldapp.app import case_index, cases
from fieldapp.app.case_index import CaseIndex, narrows
from fieldapp.app.cases import (
    BROKEN,
    FOLLOW_UP_DUE,
    CaseFilter,
    CaseRow,
    FollowUp,
    zone_label,
)
from fieldapp.core.clock import CollectorDay, known_zone
from fieldapp.core.money import format_amount
from fieldapp.ui.tasks import Task

log = logging.getLogger(__name__)

_Index = QModelIndex | QPersistentModelIndex
CaseIdRole = Qt.ItemDataRole.UserRole + 1

# Rows read from the store at a time when the view scrolls onto rows not yet cached.
BLOCK = 200
# Rows kept in memory at most; older blocks are dropped first.
CACHE_LIMIT = 5000


# ------------------------------------------------------------------------------------ formatting
def format_date(value: dt.date | dt.datetime | None, zone: dt.tzinfo | None = None) -> str:
    """A date in the user's locale (short format); empty for None.

    A plain date (a due date, "overdue since") prints as it is, on any laptop; an instant prints as
    its date in ``zone`` (required for an instant: the collector's working zone, or the debtor's).
    """
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if zone is None:
            raise ValueError("an instant has a date only in a zone: pass the zone it belongs to")
        value = value.astimezone(zone).date()
    return QLocale().toString(value, QLocale.FormatType.ShortFormat)


def compact_day(day: dt.date, today: dt.date) -> str:
    """"Today", "Tomorrow", "Yesterday", else ``MM-dd`` this year or ``yyyy-MM-dd`` (narrow table columns).

    ``today`` is the collector's (CollectorDay.today()), never the laptop's.
    """
    delta = (day - today).days
    if delta == 0:
        return QCoreApplication.translate("Dates", "Today")
    if delta == 1:
        return QCoreApplication.translate("Dates", "Tomorrow")
    if delta == -1:
        return QCoreApplication.translate("Dates", "Yesterday")
    return f"{day:%m-%d}" if day.year == today.year else f"{day:%Y-%m-%d}"


def format_local_time(value: dt.datetime | None, tz_name: str, *, day: CollectorDay, with_date: bool = True,
                      compact: bool = False) -> str:
    """``value`` as the debtor hears it: in their zone ``tz_name``, named when the collector's
    working zone (``day.zone``) shows another time.

    ``compact`` writes the day as "Today"/"Tomorrow"/``MM-dd`` (the debtor's date against the
    debtor's today) for table columns.
    """
    if value is None:
        return ""
    debtor_zone = known_zone(tz_name)
    zone = debtor_zone or day.zone  # an unknown zone: the collector's time, and the label says which
    local = value.astimezone(zone)
    text = local.strftime("%H:%M")
    if with_date:
        if compact:
            shown = compact_day(local.date(), day.now().astimezone(zone).date())
        else:
            shown = QLocale().toString(local.date(), QLocale.FormatType.ShortFormat)
        text = f"{shown} {text}"
    if debtor_zone is None:
        text += f" ({day.zone_name})"
    elif day.shows_other_time(debtor_zone, value):
        text += f" ({zone_label(tz_name, value)})"
    return text


def state_label(state: str) -> str:
    return {
        "new": QCoreApplication.translate("CaseState", "New"),
        "contacted": QCoreApplication.translate("CaseState", "Contacted"),
        "visited": QCoreApplication.translate("CaseState", "Visited"),
        "appointment": QCoreApplication.translate("CaseState", "Visit booked"),
        "closed": QCoreApplication.translate("CaseState", "Closed"),
        "flagged": QCoreApplication.translate("CaseState", "Has flags"),
        BROKEN: QCoreApplication.translate("CaseState", "Broken plans"),
        FOLLOW_UP_DUE: QCoreApplication.translate("CaseState", "Needs follow-up"),
    }.get(state, state)


def follow_up_label(reason: str) -> str:
    """The words of the Follow-up column (shown with an icon: never colour alone)."""
    return {
        "plan_broken": QCoreApplication.translate("FollowUp", "Plan broken"),
        "plan_rejected": QCoreApplication.translate("FollowUp", "Plan rejected"),
        "instalment_overdue": QCoreApplication.translate("FollowUp", "Missed payment"),
        "promise_broken": QCoreApplication.translate("FollowUp", "Promise broken"),
        "promise_due": QCoreApplication.translate("FollowUp", "Promise due"),
        "visit_due": QCoreApplication.translate("FollowUp", "Follow-up due"),
        "promise_ahead": QCoreApplication.translate("FollowUp", "Promise {date}"),
        "visit_ahead": QCoreApplication.translate("FollowUp", "Follow-up {date}"),
    }.get(reason, reason)


def follow_up_tooltip(reason: str, day: dt.date | None) -> str:
    """A sentence about the Follow-up cell, with the date it is about (the debtor's day)."""
    when = QLocale().toString(day, QLocale.FormatType.ShortFormat) if day is not None else ""
    text = {
        "plan_broken": QCoreApplication.translate("FollowUp", "The repayment plan is broken: a payment is overdue."),
        "plan_rejected": QCoreApplication.translate(
            "FollowUp", "Your team lead rejected the plan; agree a new one with the debtor."),
        "instalment_overdue": QCoreApplication.translate("FollowUp", "An instalment due on {date} is not paid."),
        "promise_broken": QCoreApplication.translate("FollowUp", "The promise to pay by {date} was broken."),
        "promise_due": QCoreApplication.translate("FollowUp", "The debtor promised to pay by {date}."),
        "visit_due": QCoreApplication.translate("FollowUp", "A follow-up was scheduled for {date}."),
        "promise_ahead": QCoreApplication.translate("FollowUp", "The debtor promised to pay by {date}."),
        "visit_ahead": QCoreApplication.translate("FollowUp", "A follow-up is scheduled for {date}."),
    }.get(reason, "")
    return text.replace("{date}", when)


def flag_label(flag: str) -> str:
    return {
        "attorney": QCoreApplication.translate("Flags", "Represented by an attorney"),
        "cease_contact": QCoreApplication.translate("Flags", "Asked to cease contact"),
        "dispute_open": QCoreApplication.translate("Flags", "Dispute open"),
        "vulnerable": QCoreApplication.translate("Flags", "Vulnerable person"),
        "bereavement": QCoreApplication.translate("Flags", "Bereavement"),
    }.get(flag, flag)


# ------------------------------------------------------------------------------------ case list
class CaseListModel(QAbstractTableModel):
    """The case list: ordered ids of the matching cases, rows fetched lazily in blocks.

    ``store`` is anything with ``session()`` (a DeviceStore). Filtering runs in Tasks: the first
    time as an SQL query for the first screenful while a CaseIndex of the whole table is built;
    from then on against the index, narrowing the previous answer while the collector types on.
    The block reads in ``data()`` run on the GUI thread on purpose: the view needs the answer now,
    and reading ``BLOCK`` rows by primary key takes a few milliseconds.
    """

    COLUMNS = ("name", "address", "total_due", "dpd", "appointment", "status", "follow_up", "last_contact")
    # Emitted when a query's results are in: the number of matching cases.
    loaded = Signal(int)
    # Emitted when a query failed: (exception, traceback text).
    failed = Signal(object, str)
    # Emitted after refresh_follow_ups(): whether the facts had changed.
    follow_ups_changed = Signal(bool)

    def __init__(self, store: Any, parent: QObject | None = None, *, day: CollectorDay) -> None:
        super().__init__(parent)
        self._store = store
        self.day = day
        self._clock: Callable[[], dt.datetime] = day.now
        self._ids: list[int] = []
        self._cache: OrderedDict[int, CaseRow] = OrderedDict()
        self._gone: set[int] = set()
        self._display: dict[int, tuple[str, ...]] = {}
        # case id → (BROKEN | FOLLOW_UP_DUE | "", reason, day), judged once per row like its texts
        self._judged: dict[int, tuple[str, str, dt.date | None]] = {}
        self._reader = cases.RowReader(store)
        self._filter = CaseFilter(zone=day.zone)
        self._generation = 0
        self._index: CaseIndex | None = None
        self._building = False
        self._stale = False
        # the index, filter and row positions of the last answer (to narrow while typing)
        self._last: tuple[CaseIndex, CaseFilter, list[int]] | None = None
        self.loading = False
        # True while the list shows only the first rows (before the index is ready)
        self.partial = False

    # -- queries
    @property
    def case_filter(self) -> CaseFilter:
        return self._filter

    def set_filter(self, flt: CaseFilter) -> None:
        """Ask for the cases matching ``flt``; the list changes when the answer arrives (``loaded``)."""
        self._filter = flt
        self._query()

    def refresh(self) -> None:
        """The data changed (a sync, a logged attempt): rebuild the index, then filter again."""
        self._build_index(force=True)

    def _build_index(self, force: bool = False) -> None:
        if self._building:
            self._stale = self._stale or force  # changed while being read: read again after
            return
        if self._index is not None and not force:
            return
        self._building = True
        Task(self, case_index.build_index, self._store).on_done(self._index_built).on_error(self._index_failed).start()

    def _index_built(self, index: CaseIndex) -> None:
        self._building = False
        if self._stale:
            self._stale = False
            self._build_index(force=True)
        self._index = index
        self._last = None
        self._cache.clear()  # the data changed (or this is the first index): read rows afresh
        self._gone.clear()
        self._display.clear()
        self._judged.clear()
        self._query()

    def refresh_follow_ups(self) -> None:
        """Re-read the plan, promise and follow-up facts (after a sync brought plan or promise updates,
        a saved plan): if they changed, the list is filtered again and its rows re-drawn. ``follow_ups_changed``
        says whether they did. Cheaper than ``refresh()``: the cases themselves are not read again."""
        Task(self, cases.follow_up_facts, self._store).on_done(self._follow_ups_read).on_error(
            lambda exc, details: self.failed.emit(exc, details)).start()

    def _follow_ups_read(self, follow_ups: dict[int, FollowUp]) -> None:
        index = self._index
        if index is None or self._building:
            return  # the index being built reads them itself
        changed = follow_ups != index.follow_ups
        if changed:
            self._index = index.with_follow_ups(follow_ups)
            self._last = None
            self._display.clear()
            self._judged.clear()
            self._query()
        self.follow_ups_changed.emit(changed)

    def follow_up(self, case_id: int) -> FollowUp | None:
        """The case's plan and follow-up facts as last read (None before the index is ready, or none)."""
        return self._index.follow_up(case_id) if self._index is not None else None

    def judged(self, case_id: int) -> tuple[str, str, dt.date | None]:
        """(BROKEN | FOLLOW_UP_DUE | "", reason, day) for the case, at this model's clock."""
        judged = self._judged.get(case_id)
        if judged is None:
            follow_up = self.follow_up(case_id)
            judged = follow_up.judge(self._clock()) if follow_up is not None else ("", "", None)
            if self._index is not None:
                self._judged[case_id] = judged
        return judged

    def _index_failed(self, exc: BaseException, details: str) -> None:
        self._building = False
        self.failed.emit(exc, details)

    def _query(self) -> None:
        self._generation += 1
        generation = self._generation
        flt = CaseFilter(**{**self._filter.__dict__, "now": self._filter.now or self._clock(),
                            "zone": self.day.zone})
        self.loading = True
        index = self._index
        if index is None:
            # First start: the first screenful straight from SQL, then the index is built (after,
            # not alongside: building holds the interpreter for a moment and would delay the list).
            first = not self._building

            def shown(ids: list[int]) -> None:
                self._apply(generation, ids, partial=first and len(ids) >= BLOCK)
                self._build_index()

            Task(self, cases.query_ids, self._store, flt, BLOCK if first else None).on_done(shown).on_error(
                lambda exc, details: self._query_failed(generation, exc, details)).start()
            return
        within = None
        if self._last is not None and self._last[0] is index and narrows(flt, self._last[1]):
            within = self._last[2]
        Task(self, _filter_index, index, flt, within).on_done(
            lambda answer: self._apply(generation, answer[1], memo=(index, flt, answer[0]))
        ).on_error(lambda exc, details: self._query_failed(generation, exc, details)).start()

    def _apply(self, generation: int, ids: list[int], *, partial: bool = False,
               memo: tuple[CaseIndex, CaseFilter, list[int]] | None = None) -> None:
        if generation != self._generation:
            return  # a newer keystroke's answer is on its way
        self._last = memo
        self.partial = partial
        self.beginResetModel()
        self._ids = ids
        # Cached rows stay: they are keyed by case id and the data has not changed (a refresh,
        # which means it has, clears them). Typing on mostly shows rows already read.
        self.endResetModel()
        self.loading = False
        self.loaded.emit(len(ids))

    def settled(self) -> bool:
        """Whether the list shows the full answer to the current filter from the index (tests, benches)."""
        return self._index is not None and not (self.loading or self._building or self.partial)

    def _query_failed(self, generation: int, exc: BaseException, details: str) -> None:
        if generation == self._generation:
            self.loading = False
            self.failed.emit(exc, details)

    def close(self) -> None:
        """Release the GUI thread's session (before the store is closed)."""
        self._generation += 1
        self._reader.close()

    # -- Qt model
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def case_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, case_id: int) -> int:
        try:
            return self._ids.index(case_id)
        except ValueError:
            return -1

    def case_row(self, row: int) -> CaseRow | None:
        case_id = self.case_id(row)
        if case_id is None:
            return None
        cached = self._cache.get(case_id)
        if cached is None and case_id not in self._gone:
            self._fetch_block(row)
            cached = self._cache.get(case_id)
        return cached

    def _fetch_block(self, row: int) -> None:
        start = (row // BLOCK) * BLOCK
        ids = [i for i in self._ids[start:start + BLOCK] if i not in self._cache]
        rows = self._reader.rows(ids, self._clock())  # a later block sees what a sync changed
        for case_id in ids:
            if case_id in rows:
                self._cache[case_id] = rows[case_id]
            else:
                self._gone.add(case_id)  # left since the query: shown empty, not asked for again
        while len(self._cache) > CACHE_LIMIT:
            dropped, _ = self._cache.popitem(last=False)
            self._display.pop(dropped, None)
            self._judged.pop(dropped, None)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        if role == CaseIdRole:
            return self._ids[index.row()]
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.TextAlignmentRole,
                        Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole,
                        Qt.ItemDataRole.DecorationRole):
            return None
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DecorationRole:
            if column != "follow_up":
                return None
            kind = self.judged(self._ids[index.row()])[0]
            return _attention_icon(kind) if kind else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in ("total_due", "dpd"):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        row = self.case_row(index.row())
        if row is None:
            return "" if role == Qt.ItemDataRole.DisplayRole else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == "dpd" and row.dpd > 90:
                return QColor("#a11d12")
            if column == "name" and row.flags:
                return QColor("#8a1c12")
            if column == "follow_up":
                kind = self.judged(row.id)[0]
                return QColor("#a11d12") if kind == BROKEN else QColor("#7a4f00") if kind else QColor("#55656e")
            return None
        if role == Qt.ItemDataRole.FontRole:
            if column == "name":
                font = QFont()
                font.setWeight(QFont.Weight.DemiBold)
                return font
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == "name" and row.flags:
                return "\n".join(flag_label(f) for f in row.flags)
            if column == "address":
                return row.address
            if column == "follow_up":
                _, reason, day = self.judged(row.id)
                return follow_up_tooltip(reason, day) if reason else None
            return None
        texts = self._display.get(row.id)
        if texts is None:
            _, reason, day = self.judged(row.id)
            texts = self._display[row.id] = self._display_texts(row, self.day, reason, day)
        return texts[index.column()]

    @staticmethod
    def _display_texts(row: CaseRow, day: CollectorDay, follow_up_reason: str = "",
                       follow_up_day: dt.date | None = None) -> tuple[str, ...]:
        """The row's cells as text, formatted once per row (painting asks many times)."""
        follow_up = follow_up_label(follow_up_reason) if follow_up_reason else ""
        if follow_up_day is not None:
            # the debtor's date, written out (not "Tomorrow": the debtor's day may not be the collector's)
            today = day.today()
            follow_up = follow_up.replace("{date}", f"{follow_up_day:%m-%d}" if follow_up_day.year == today.year
                                          else f"{follow_up_day:%Y-%m-%d}")
        return (
            f"{row.debtor_name}  ⚑" if row.flags else row.debtor_name,
            row.address,
            format_amount(row.total_due, row.currency),
            str(row.dpd),
            format_local_time(row.appointment_at, row.timezone, day=day, compact=True),
            state_label(row.state),
            follow_up,
            compact_day(day.date_of(row.last_contact_at), day.today()) if row.last_contact_at else "",
        )

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                "name": self.tr("Name"),
                "address": self.tr("Address"),
                "total_due": self.tr("Total due"),
                "dpd": self.tr("DPD"),
                "appointment": self.tr("Appointment"),
                "status": self.tr("Status"),
                "follow_up": self.tr("Follow-up"),
                "last_contact": self.tr("Last contact"),
            }[self.COLUMNS[section]]
        if role == Qt.ItemDataRole.ToolTipRole and self.COLUMNS[section] == "follow_up":
            return self.tr("Broken plans or promises, overdue instalments, plans the lead rejected, and "
                           "follow-ups or promised payments due today or earlier (the debtor's day)")
        if role == Qt.ItemDataRole.ToolTipRole and self.COLUMNS[section] == "dpd":
            return self.tr("Days past due")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if self.COLUMNS[section] in ("total_due", "dpd"):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is done by the SQL query (the whole list, not only the cached rows)."""
        if not 0 <= column < len(self.COLUMNS):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        key = self.COLUMNS[column]
        if (self._filter.sort_key, self._filter.descending) == (key, descending):
            return
        self.set_filter(CaseFilter(**{**self._filter.__dict__, "sort_key": key, "descending": descending}))



def _filter_index(index: CaseIndex, flt: CaseFilter, within: list[int] | None) -> tuple[list[int], list[int]]:
    """Worker: row positions and ids matching ``flt`` (both built off the GUI thread)."""
    positions = index.positions(flt, within)
    return positions, index.ids_at(positions)



_ICONS: dict[str, QIcon] = {}


def _attention_icon(kind: str) -> QIcon:
    """The Follow-up column's icon: a warning for broken plans, a notice for follow-ups due."""
    icon = _ICONS.get(kind)
    if icon is None:
        pixmap = (QStyle.StandardPixmap.SP_MessageBoxWarning if kind == BROKEN
                  else QStyle.StandardPixmap.SP_MessageBoxInformation)
        icon = _ICONS[kind] = QApplication.style().standardIcon(pixmap)
    return icon
