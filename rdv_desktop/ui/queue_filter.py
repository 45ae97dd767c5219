"""Filtering the queue by stage, motif and a free search (name, birth date, reference, ticket)."""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel

from .queue_model import SearchRole, StageRole, ViewRole


def fold(text: str) -> str:
    """Case- and accent-insensitive form, so « celik » finds « Çelik »."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class QueueFilter(QSortFilterProxyModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._stage = ""
        self._motif = ""
        self._terms: list[str] = []

    def set_stage(self, stage: str) -> None:
        self.beginFilterChange()
        self._stage = stage
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_motif(self, motif_code: str) -> None:
        self.beginFilterChange()
        self._motif = motif_code
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self._terms = fold(text).split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not (self._stage or self._motif or self._terms):
            return True  # no filter: skip making an index (a load asks once per row)
        index = self.sourceModel().index(row, 0, parent)
        if self._stage and index.data(StageRole) != self._stage:
            return False
        if self._motif and (index.data(ViewRole).motif_code or "") != self._motif:
            return False
        if self._terms:
            haystack = fold(index.data(SearchRole) or "")
            return all(term in haystack for term in self._terms)
        return True
