"""The day's queue as a table model, updated row by row so views keep selection and scroll.

Rows stand in the fair order of « Appeler le suivant » (`AppointmentView.queue_key`): people
waiting with a priority first, by arrival, then everyone by slot. A row whose place changes
(a priority set, a priority person called) moves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from PySide6.QtCore import QModelIndex, Qt

from ..services.core import fr_date, fr_time
from ..services.counter import AppointmentView
from .plain_text import shown_name
from .stage_style import stage_colour, stage_text
from .table_model import ColumnTableModel, Index

COLUMNS = ("Heure", "Ticket", "Nom", "Motif", "Étape", "Attente", "Guichet", "Agent",
           "Priorité, accompagnants")
PRIORITY_MARK = "★ "
ViewRole = Qt.ItemDataRole.UserRole + 1
StageRole = Qt.ItemDataRole.UserRole + 2
SearchRole = Qt.ItemDataRole.UserRole + 3




class QueueModel(ColumnTableModel):
    columns = COLUMNS

    def __init__(self, now: Callable[[], datetime], parent=None) -> None:
        super().__init__(parent)
        self._rows: list[AppointmentView] = []
        self._row_of: dict[int, int] = {}
        self._now = now

    # -- Qt model interface ------------------------------------------------------------------

    def row_total(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        v = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(v, col)
        if role == Qt.ItemDataRole.BackgroundRole:
            return stage_colour(v.stage)
        if role == Qt.ItemDataRole.ToolTipRole and col == 3:
            if v.motif_to_confirm:
                return f"Motif à confirmer (source : {v.motif_label or 'inconnu'})"
            return v.motif_label or None
        if role == Qt.ItemDataRole.ToolTipRole and col in (2, 8) and v.assistance:
            return v.assistance
        if role == ViewRole:
            return v
        if role == StageRole:
            return v.stage.value
        if role == SearchRole:
            birth = fr_date(v.birth_date) if v.birth_date else ""
            return f"{v.family_name} {v.given_names} {birth} {v.reference} {v.ticket or ''}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._display(v, col)
        return None

    def _display(self, v: AppointmentView, col: int) -> str:
        if col == 0:
            return fr_time(v.slot_time)
        if col == 1:
            return v.ticket or ""
        if col == 2:
            return (PRIORITY_MARK if v.priority else "") + shown_name(v.full_name)
        if col == 3:
            return ("⚠ " if v.motif_to_confirm else "") + (v.motif_shown or "motif à confirmer")
        if col == 4:
            return stage_text(v.stage)
        if col == 5:
            wait = v.waiting_minutes(self._now())
            return "" if wait is None else f"{wait} min"
        if col == 6:
            return "" if v.counter_number is None else str(v.counter_number)
        if col == 7:
            return v.agent_name
        return v.assistance

    # -- updates -----------------------------------------------------------------------------

    def reset_rows(self, views: Iterable[AppointmentView]) -> None:
        self.beginResetModel()
        self._rows = sorted(views, key=lambda v: v.queue_key)
        self._row_of = {v.id: i for i, v in enumerate(self._rows)}
        self.endResetModel()

    def upsert(self, views: Iterable[AppointmentView]) -> list[int]:
        """Replace known rows in place (moving one whose place in the fair order changed),
        insert new ones at their place; returns the rows changed."""
        touched = []
        for view in views:
            row = self._row_of.get(view.id)
            if row is not None:
                old = self._rows[row]
                if old == view:
                    continue
                if old.queue_key == view.queue_key:
                    self._rows[row] = view
                    self.dataChanged.emit(self.index(row, 0),
                                          self.index(row, len(COLUMNS) - 1))
                    touched.append(row)
                    continue
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self._row_of = {v.id: i for i, v in enumerate(self._rows)}
                self.endRemoveRows()
            key = view.queue_key
            row = next((i for i, v in enumerate(self._rows) if v.queue_key > key),
                       len(self._rows))
            self.beginInsertRows(QModelIndex(), row, row)
            self._rows.insert(row, view)
            self._row_of = {v.id: i for i, v in enumerate(self._rows)}
            self.endInsertRows()
            touched.append(row)
        return touched

    def refresh_times(self) -> None:
        """Waiting times and late stages move with the clock: repaint those cells only."""
        if self._rows:
            self.dataChanged.emit(self.index(0, 4), self.index(len(self._rows) - 1, 5),
                                  [Qt.ItemDataRole.DisplayRole])

    def view_at(self, row: int) -> AppointmentView:
        return self._rows[row]

    def row_of(self, appointment_id: int) -> int | None:
        return self._row_of.get(appointment_id)

    def views(self) -> list[AppointmentView]:
        return list(self._rows)
