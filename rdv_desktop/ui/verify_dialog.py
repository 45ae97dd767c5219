"""« Vérifier une attestation »: scan or type a code, read the verdict from a metre away."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ..errors import RdvError
from ..services.signing import Verification, VerificationStatus
from .accessibility import SpokenLabel
from .worker import run_in_background

COLOURS = {
    VerificationStatus.AUTHENTIC: "#1b5e20",
    VerificationStatus.REVOKED: "#b00020",
    VerificationStatus.FORGED: "#b00020",
    VerificationStatus.UNKNOWN_KEY: "#e65100",
    VerificationStatus.NOT_OURS: "#b00020",
}


class VerifyDialog(QDialog):
    verified = Signal()  # a verdict (or a refusal) is on screen
    def __init__(self, verify: Callable[[str], Verification],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.verify = verify
        self.setWindowTitle("Vérifier une attestation")
        self.resize(640, 260)
        self.field = QLineEdit()
        self.field.setAccessibleName("Code à vérifier")
        self.field.setPlaceholderText("Scannez le QR code de l'attestation ou tapez son texte")
        self.verdict = SpokenLabel("Résultat de la vérification", "En attente d'un code.",
                                   live=True)
        self.verdict.setWordWrap(True)
        self.verdict.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.verdict.setMinimumHeight(110)
        self.verdict.setStyleSheet("font-size: 18pt; padding: 10px;")
        close = QPushButton("Fermer")
        close.setAutoDefault(False)  # the scanner's Enter must verify, not close
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.field)
        layout.addWidget(self.verdict, 1)
        layout.addWidget(close)
        self.field.returnPressed.connect(self.check)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return  # a scan ends with Enter: never let it close the dialog
        super().keyPressEvent(event)

    def check(self) -> None:
        """Verify off the UI thread (the key ring and the dossier come from the database)."""
        text = self.field.text()
        self.field.clear()
        self.verdict.setStyleSheet("font-size: 18pt; padding: 10px;")
        self.verdict.setText("Vérification…")
        run_in_background(lambda: self.verify(text), self._verified, self._failed, owner=self)

    def _failed(self, exc: Exception) -> None:
        self.verdict.setStyleSheet("font-size: 18pt; padding: 10px; color: white;"
                                  " background: #e65100;")
        self.verdict.setText(exc.message if isinstance(exc, RdvError)
                             else f"Vérification impossible : {exc}")
        self.verified.emit()

    def _verified(self, outcome: Verification) -> None:
        self.last = outcome
        self.verdict.setStyleSheet("font-size: 18pt; padding: 10px; color: white;"
                                  f" background: {COLOURS[outcome.status]};")
        self.verdict.setText(outcome.message)
        self.verified.emit()
