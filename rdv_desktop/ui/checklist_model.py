"""The checklist of one dossier: each piece with its status and note, switched by situations."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from ..services.catalogue import MotifInfo
from ..services.counter import ChecklistLine, PieceCheck, checklist
from .table_model import ColumnTableModel, Index

STATUS_TEXT = {
    None: "○ à contrôler",
    "received": "✔ reçu",
    "missing": "✖ manquant",
    "not_applicable": "— non concerné",
}
STATUS_WORDS = {None: "à contrôler", "received": "reçu", "missing": "manquant",
                "not_applicable": "non concerné"}  # what a screen reader says, without symbols
STATUS_COLOUR = {None: "#ffffff", "received": "#d5f5d5", "missing": "#f9d6d6",
                 "not_applicable": "#eeeeee"}
COLUMNS = ("Pièce", "Statut", "Note")
PIECE, STATUS, NOTE = 0, 1, 2



@dataclass
class _Row:
    line: ChecklistLine
    status: str | None
    note: str = ""
    auto: bool = True  # status set by the situation switches, not by the agent


class ChecklistModel(ColumnTableModel):
    columns = COLUMNS

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[_Row] = []
        self.motif: MotifInfo | None = None
        self.situations: frozenset[str] = frozenset()

    def load(self, motif: MotifInfo, situations: frozenset[str]) -> None:
        self.beginResetModel()
        self.motif, self.situations = motif, situations
        self.rows = [_Row(line, None if line.applies else "not_applicable")
                     for line in checklist(motif, situations)]
        self.endResetModel()

    def set_situations(self, situations: frozenset[str]) -> None:
        """Switch conditional pieces without losing what the agent already marked."""
        if self.motif is None:
            return
        self.situations = situations
        for i, line in enumerate(checklist(self.motif, situations)):
            row = self.rows[i]
            was = row.line.applies
            row.line = line
            if row.auto and was != line.applies:
                row.status = None if line.applies else "not_applicable"
            self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))

    # -- Qt interface --------------------------------------------------------------------

    def row_total(self) -> int:
        return len(self.rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():  # the table's root: no item there to enable or edit
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == NOTE else base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        piece = row.line.piece
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if index.column() == 0:
                tag = {"optional": " (facultatif)", "conditional": " (selon la situation)"}
                lock = " — bloquante" if row.line.blocking else ""
                return piece.label + tag.get(piece.requirement, "") + lock
            if index.column() == 1:
                return STATUS_TEXT[row.status]
            return row.note
        if role == Qt.ItemDataRole.AccessibleTextRole and index.column() == 1:
            return STATUS_WORDS[row.status]
        if role == Qt.ItemDataRole.BackgroundRole:
            return QColor(STATUS_COLOUR[row.status])
        if role == Qt.ItemDataRole.ForegroundRole and not row.line.applies:
            return QColor("#777777")
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == PIECE:
            return f"{piece.label}\n{piece.code} — {piece.category}"
        return None

    def setData(self, index: Index, value: object,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if index.column() != NOTE or role != Qt.ItemDataRole.EditRole:
            return False
        self.rows[index.row()].note = str(value).strip()
        self.dataChanged.emit(index, index)
        return True

    # -- the agent's marks ---------------------------------------------------------------

    def mark(self, row: int, status: str) -> None:
        self.rows[row].status = status
        self.rows[row].auto = False
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def mark_all_received(self) -> None:
        for i, row in enumerate(self.rows):
            if row.line.applies and row.status in (None, "missing"):
                self.mark(i, "received")

    def touched(self) -> bool:
        """Has the agent marked a piece or written a note (something a close would lose)?"""
        return any(not r.auto or r.note for r in self.rows)

    def progress_words(self) -> str:
        done, total = self.progress()
        return f"{done} sur {total} pièces requises reçues"

    def spoken_mark(self, row: int) -> str:
        """What the agent hears after marking a piece: « Passeport : reçu. 1 sur 9 … reçues. »"""
        marked = self.rows[row]
        return (f"{marked.line.piece.label} : {STATUS_WORDS[marked.status]}. "
                f"{self.progress_words()}.")

    def checks(self) -> tuple[PieceCheck, ...]:
        """Unchecked applicable pieces count as missing: nothing is assumed received."""
        return tuple(
            PieceCheck(r.line.piece.code,
                       r.status or ("missing" if r.line.applies else "not_applicable"), r.note)
            for r in self.rows)

    def blocking_missing(self) -> list[str]:
        """Missing, the dossier cannot be registered."""
        return [r.line.piece.label for r in self.rows
                if r.line.blocking and r.status != "received"]

    def to_complete(self) -> list[str]:
        """Missing, the dossier is registered and they are asked for by a dated letter."""
        return [r.line.piece.label for r in self.rows
                if r.line.mandatory and not r.line.blocking and r.status != "received"]

    def progress(self) -> tuple[int, int]:
        counted = [r for r in self.rows if r.line.mandatory]
        return sum(r.status == "received" for r in counted), len(counted)
