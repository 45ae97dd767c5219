"""Table model of « Récépissés à remettre »: one row per complete dossier, overdue ones red."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from ..services.core import fr_date, local
from ..services.recepisse import RecepisseRow
from .table_model import ColumnTableModel, Index

COLUMNS = ("Dossier", "Demandeur", "Motif", "Déposé le", "À remettre au plus tard le", "État",
           "Récépissé", "Validité", "Mention", "Remis par")
OVERDUE_COLOUR = "#f9d6d6"
HANDED_COLOUR = "#d5f0f5"


def _cell(row: RecepisseRow, column: int, today: date) -> str:
    validity = (f"{fr_date(row.valid_from)} – {fr_date(row.valid_until)}"
                if row.valid_from and row.valid_until else "")
    return (
        row.dossier_number, row.applicant, row.motif_label,
        fr_date(local(row.deposited_at).date()), fr_date(row.due_on), row.state_text(today),
        row.recepisse_number or "", validity, row.work_label, row.handed_by,
    )[column]


class RecepisseModel(ColumnTableModel):
    columns = COLUMNS

    def __init__(self, today: date) -> None:
        super().__init__()
        self.today = today
        self.rows: list[RecepisseRow] = []

    def row_total(self) -> int:
        return len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell(row, index.column(), self.today)
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.overdue(self.today):
                return QColor(OVERDUE_COLOUR)
            if row.handed:
                return QColor(HANDED_COLOUR)
        return None

    def set_rows(self, rows: list[RecepisseRow], today: date) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.today = today
        self.endResetModel()

    def replace_row(self, changed: RecepisseRow) -> None:
        """Update one dossier's row in place (a hand-over or a cancellation)."""
        for i, row in enumerate(self.rows):
            if row.dossier_id == changed.dossier_id:
                self.rows[i] = changed
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))

    def row_at(self, position: int) -> RecepisseRow | None:
        return self.rows[position] if 0 <= position < len(self.rows) else None
