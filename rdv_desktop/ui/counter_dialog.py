"""« Guichet › Changer de guichet… »: an agent signed in at « aucun » guichet (or the wrong one)
takes another without signing out or restarting; the service checks and audits it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QSpinBox, QVBoxLayout, QWidget

from .accessibility import SpokenLabel
from .dialog_buttons import ok_cancel


class CounterDialog(QDialog):
    chosen = Signal(object)  # int | None: the guichet asked for (None: no guichet)

    def __init__(self, current: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Changer de guichet")
        self.number = QSpinBox()
        self.number.setRange(0, 99)
        self.number.setSpecialValueText("aucun (accueil, bureau)")  # as at sign-in
        self.number.setValue(current or 0)
        self.number.setAccessibleName("Guichet")
        self.note = SpokenLabel("Guichet actuel", f"Guichet actuel : {current or 'aucun'}.")
        form = QFormLayout()
        form.addRow("&Guichet", self.number)
        buttons, _ok = ok_cancel(self, "Changer", "Changer de guichet", self._chosen)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _chosen(self) -> None:
        self.chosen.emit(self.number.value() or None)
        self.accept()
