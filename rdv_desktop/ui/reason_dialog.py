"""Ask for the reason of an undo, a cancellation or a revocation (required, audited)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QVBoxLayout, QWidget

from ..services.core import REASON_MAX
from .accessibility import caption


class ReasonDialog(QDialog):
    reason_given = Signal(str)

    def __init__(self, title: str, question: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.edit = QLineEdit()
        self.edit.setMaxLength(REASON_MAX)  # the services' cap: typing stops there
        self.edit.setAccessibleName("Raison")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Valider")
        ok.setEnabled(False)
        self.edit.textChanged.connect(lambda t: ok.setEnabled(bool(t.strip())))
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(caption(question, self.edit))  # the question labels the reason field
        layout.addWidget(self.edit)
        layout.addWidget(self.buttons)

    def _accept(self) -> None:
        if self.edit.text().strip():
            self.accept()
            self.reason_given.emit(self.edit.text().strip())
