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

RED, ORANGE, GREEN = "#b00020", "#e65100", "#1b5e20"
COLOURS = {
    VerificationStatus.AUTHENTIC: GREEN,
    VerificationStatus.REVOKED: RED,
    VerificationStatus.NO_RECORD: RED,
    VerificationStatus.RETIRED_KEY: RED,
    VerificationStatus.COMPROMISED_KEY: RED,
    VerificationStatus.FORGED: RED,
    VerificationStatus.UNKNOWN_KEY: ORANGE,
    VerificationStatus.NOT_OURS: RED,
}


def colour_of(outcome: Verification) -> str:
    """Green only for a code checked against its record; a signature alone is orange."""
    if outcome.ok and not outcome.record_checked:
        return ORANGE
    return COLOURS[outcome.status]


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
        self.verdict.setTextFormat(Qt.TextFormat.PlainText)
        # Whose paper it is, from the record: names come from public booking, never markup.
        self.holder = SpokenLabel("Titulaire selon le dossier")
        self.holder.setTextFormat(Qt.TextFormat.PlainText)
        self.holder.setWordWrap(True)
        self.holder.setStyleSheet("font-size: 13pt; padding: 4px;")
        close = QPushButton("Fermer")
        close.setAutoDefault(False)  # the scanner's Enter must verify, not close
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.field)
        layout.addWidget(self.verdict, 1)
        layout.addWidget(self.holder)
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
        self.holder.clear()
        run_in_background(lambda: self.verify(text), self._verified, self._failed, owner=self)

    def _failed(self, exc: Exception) -> None:
        self.verdict.setStyleSheet("font-size: 18pt; padding: 10px; color: white;"
                                  f" background: {ORANGE};")
        self.verdict.setText(exc.message if isinstance(exc, RdvError)
                             else f"Vérification impossible : {exc}")
        self.verified.emit()

    def _verified(self, outcome: Verification) -> None:
        self.last = outcome
        self.verdict.setStyleSheet("font-size: 18pt; padding: 10px; color: white;"
                                  f" background: {colour_of(outcome)};")
        self.verdict.setText(outcome.message)
        self.holder.setText("\n".join(outcome.details))
        self.verified.emit()
