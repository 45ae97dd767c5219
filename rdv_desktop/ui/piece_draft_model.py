"""The pieces of the motif being edited: a small editable table model and its requirement picker."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from ..services.catalogue import PieceDraft
from .table_model import ColumnTableModel, Index

REQUIREMENT_LABELS = (("required", "obligatoire"), ("conditional", "si condition"),
                      ("optional", "facultative"))
COLUMNS = ("Code", "Libellé", "Exigence", "Condition")
LABEL, REQUIREMENT, CONDITION = 1, 2, 3


class PieceDraftModel(ColumnTableModel):
    """Rows are `PieceDraft`s; label, requirement and condition are edited in place."""

    columns = COLUMNS

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.drafts: list[PieceDraft] = []

    def row_total(self) -> int:
        return len(self.drafts)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():  # the table's root: no item there to enable or edit
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if index.column() != 0 else base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        draft = self.drafts[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.EditRole:
            return (draft.code, draft.label, draft.requirement, draft.condition or "")[column]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == REQUIREMENT:
                return dict(REQUIREMENT_LABELS)[draft.requirement]
            return (draft.code or "(nouvelle)", draft.label, "", draft.condition or "")[column]
        return None

    def setData(self, index: Index, value: object,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() == 0:
            return False
        text = str(value)
        draft = self.drafts[index.row()]
        if index.column() == LABEL:
            draft = replace(draft, label=text)
        elif index.column() == REQUIREMENT:
            if text not in dict(REQUIREMENT_LABELS):
                return False
            draft = replace(draft, requirement=text)
        else:
            draft = replace(draft, condition=text.strip() or None)
        self.drafts[index.row()] = draft
        self.dataChanged.emit(index, index)
        return True

    def set_drafts(self, drafts: list[PieceDraft]) -> None:
        self.beginResetModel()
        self.drafts = list(drafts)
        self.endResetModel()

    def append(self, draft: PieceDraft) -> int:
        row = len(self.drafts)
        self.beginInsertRows(QModelIndex(), row, row)
        self.drafts.append(draft)
        self.endInsertRows()
        return row

    def remove(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.drafts[row]
        self.endRemoveRows()

    def swap(self, row: int, other: int) -> None:
        self.drafts[row], self.drafts[other] = self.drafts[other], self.drafts[row]
        for r in (row, other):
            self.dataChanged.emit(self.index(r, 0), self.index(r, len(COLUMNS) - 1))

    def codes(self) -> list[str]:
        return [d.code for d in self.drafts if d.code]


class RequirementDelegate(QStyledItemDelegate):
    """A combo box kept open on every row (persistent editor), named for screen readers."""

    def createEditor(self, parent: QWidget, _option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        combo = QComboBox(parent)
        for value, text in REQUIREMENT_LABELS:
            combo.addItem(text, value)
        combo.setAccessibleName(f"Exigence de la pièce {index.row() + 1}")
        combo.currentIndexChanged.connect(lambda _i: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor: QWidget,
                      index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        position = editor.findData(index.data(Qt.ItemDataRole.EditRole))
        if position != editor.currentIndex():
            editor.blockSignals(True)
            editor.setCurrentIndex(position)
            editor.blockSignals(False)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,
                     index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData())
