"""Table model of the review list: one row per registered dossier."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from ..services.core import fr_datetime
from ..services.office import ReviewRow

COLUMNS = ("Déposé le", "Numéro", "Demandeur", "Motif", "Agent", "Guichet", "Issue",
           "Contrôle", "Commentaire")
STATE_COLOURS = {"checked": "#e8f5e9", "to_redo": "#fff3e0"}
SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # a value that sorts right (dates, numbers)
Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()


def _cell(row: ReviewRow, column: int) -> str:
    return (
        fr_datetime(row.deposited_at), row.number or "—", row.applicant, row.motif_label,
        row.agent_name, str(row.counter_number or ""),
        "complet" if row.complete else f"incomplet ({row.missing_count} pièce(s))",
        row.review_label, row.review_comment or "",
    )[column]


class ReviewModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[ReviewRow] = []

    def rowCount(self, parent: Index = ROOT) -> int:  # Qt's name
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = ROOT) -> int:  # Qt's name
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell(row, index.column())
        if role == Qt.ItemDataRole.BackgroundRole and row.review_state in STATE_COLOURS:
            return QColor(STATE_COLOURS[row.review_state])
        if role == Qt.ItemDataRole.UserRole:
            return row.dossier_id
        if role == SORT_ROLE:
            if index.column() == 0:
                return row.deposited_at.isoformat()
            if index.column() == 5:
                return row.counter_number or 0
            return _cell(row, index.column())
        return None

    def set_rows(self, rows: list[ReviewRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def update_rows(self, changed: list[ReviewRow]) -> None:
        """Replace the marked rows in place (row by row, the list keeps its order)."""
        by_id = {r.dossier_id: r for r in changed}
        for i, row in enumerate(self.rows):
            if row.dossier_id in by_id:
                self.rows[i] = by_id[row.dossier_id]
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))
