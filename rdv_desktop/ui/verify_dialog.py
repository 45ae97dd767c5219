"""« Vérifier une attestation »: scan or type a code, read the verdict from a metre away."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ..errors import RdvError
from ..services.verifier import Verification, VerificationStatus

COLOURS = {
    VerificationStatus.AUTHENTIC: "#1b5e20",
    VerificationStatus.REVOKED: "#b00020",
    VerificationStatus.FORGED: "#b00020",
    VerificationStatus.UNKNOWN_KEY: "#e65100",
    VerificationStatus.NOT_OURS: "#b00020",
}


class VerifyDialog(QDialog):
    def __init__(self, verify: Callable[[str], Verification],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.verify = verify
        self.setWindowTitle("Vérifier une attestation")
        self.resize(640, 260)
        self.field = QLineEdit()
        self.field.setAccessibleName("Code à vérifier")
        self.field.setPlaceholderText("Scannez le QR code de l'attestation ou tapez son texte")
        self.result = QLabel("En attente d'un code.")
        self.result.setAccessibleName("Résultat de la vérification")
        self.result.setWordWrap(True)
        self.result.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.result.setMinimumHeight(110)
        self.result.setStyleSheet("font-size: 18pt; padding: 10px;")
        close = QPushButton("Fermer")
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.field)
        layout.addWidget(self.result, 1)
        layout.addWidget(close)
        self.field.returnPressed.connect(self.check)

    def check(self) -> None:
        text = self.field.text()
        self.field.clear()
        try:
            outcome = self.verify(text)
        except RdvError as exc:
            self.result.setStyleSheet("font-size: 18pt; padding: 10px; color: white;"
                                      " background: #e65100;")
            self.result.setText(exc.message)
            return
        self.last = outcome
        self.result.setStyleSheet("font-size: 18pt; padding: 10px; color: white;"
                                  f" background: {COLOURS[outcome.status]};")
        self.result.setText(outcome.message)
