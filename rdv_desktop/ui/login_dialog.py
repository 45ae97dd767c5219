"""Sign-in: login and password; every failure gets the same message, with no hint."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
)

from ..errors import RdvError
from ..services.core import Actor

Authenticate = Callable[[str, str, int | None], Actor]


class LoginDialog(QDialog):
    def __init__(self, authenticate: Authenticate, station: str, site: str,
                 counter: int | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("rdv-desktop — Connexion")
        self._authenticate = authenticate
        self.actor: Actor | None = None

        title = QLabel(f"<b>{site}</b> — poste {station}")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.login = QLineEdit()
        self.login.setAccessibleName("Identifiant")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Mot de passe")
        self.counter = QSpinBox()
        self.counter.setRange(0, 99)
        self.counter.setSpecialValueText("aucun (accueil, bureau)")
        self.counter.setValue(counter or 0)
        self.counter.setAccessibleName("Guichet")
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020; font-weight: bold")
        self.error.setAccessibleName("Message de connexion")
        self.error.setWordWrap(True)

        form = QFormLayout()
        form.addRow("&Identifiant", self.login)
        form.addRow("&Mot de passe", self.password)
        form.addRow("&Guichet", self.counter)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Se connecter")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Quitter")
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.login.setFocus()

    def try_login(self) -> None:
        counter = self.counter.value() or None
        try:
            self.actor = self._authenticate(self.login.text(), self.password.text(), counter)
        except RdvError as exc:
            self.error.setText(exc.message)
            self.password.clear()
            self.password.setFocus()
            return
        self.accept()
