"""Timbres fiscaux dématérialisés: 16-digit numbers and amounts, the amount from dated fees."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..errors import ValidationError
from ..french import fr_euros
from ..services.counter import TimbreEntry, validate_timbres


def euros(cents: int) -> str:
    return fr_euros(cents)


class TimbreBox(QGroupBox):
    error = Signal(str)

    def __init__(self, default_cents: int | None, parent: QWidget | None = None) -> None:
        super().__init__("Timbres fiscaux", parent)
        self.entries: list[TimbreEntry] = []
        self.number = QLineEdit()
        self.number.setAccessibleName("Numéro de timbre")
        self.number.setPlaceholderText("16 chiffres")
        self.number.setMaxLength(19)
        self.amount = QDoubleSpinBox()
        self.amount.setAccessibleName("Montant du timbre")
        self.amount.setRange(0, 10000)
        self.amount.setDecimals(2)
        self.amount.setSuffix(" €")
        self.amount.setValue((default_cents or 0) / 100)
        add = QPushButton("Ajouter")
        add.setAccessibleName("Ajouter le timbre")
        remove = QPushButton("Retirer")
        remove.setAccessibleName("Retirer le timbre")
        self.list = QListWidget()
        self.list.setAccessibleName("Timbres saisis")
        self.list.setMaximumHeight(70)
        self.hint = QLabel(f"Montant en vigueur : {euros(default_cents)}" if default_cents
                           else "Aucun montant configuré pour aujourd'hui.")
        row = QHBoxLayout()
        row.addWidget(self.number, 2)
        row.addWidget(self.amount, 1)
        row.addWidget(add)
        row.addWidget(remove)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.list)
        layout.addWidget(self.hint)
        add.clicked.connect(self.add_current)
        self.number.returnPressed.connect(self.add_current)
        remove.clicked.connect(self.remove_selected)

    def add_current(self) -> bool:
        entry = TimbreEntry(self.number.text().replace(" ", ""), round(self.amount.value() * 100))
        try:
            validate_timbres((*self.entries, entry))
        except ValidationError as exc:
            self.error.emit(exc.message)
            return False
        self.entries.append(entry)
        n = entry.number
        self.list.addItem(f"{n[:4]} {n[4:8]} {n[8:12]} {n[12:]} — {euros(entry.amount_cents)}")
        self.number.clear()
        return True

    def remove_selected(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)
            del self.entries[row]
