"""Sign-in: login and password; every failure gets the same message, with no hint.

The check runs off the UI thread: password hashing is deliberately slow, and at start-up the
callable may still be opening the database. The dialog says « Connexion… » meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
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
from .accessibility import SecretField, SpokenLabel, announce
from .worker import run_in_background

# Called in a worker thread: it must not touch Qt (plain Python and the database are fine).
Authenticate = Callable[[str, str, int | None], Actor]
ERROR_STYLE = "color: #b00020; font-weight: bold"


class LoginDialog(QDialog):
    answered = Signal(bool)  # an attempt has ended: True signed in (accepted), False refused

    def __init__(self, authenticate: Authenticate, station: str, site: str,
                 counter: int | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("rdv-desktop — Connexion")
        self._authenticate = authenticate
        self.actor: Actor | None = None
        self.attempt = 0  # numbers the attempts: an answer to an abandoned one is dropped
        self.checking = False

        title = QLabel(f"<b>{site}</b> — poste {station}")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.login = QLineEdit()
        self.login.setAccessibleName("Identifiant")
        # Its accessible interface reports a length only: a screen reader never reads it out.
        self.password = SecretField()
        self.password.setAccessibleName("Mot de passe")
        self.counter = QSpinBox()
        self.counter.setRange(0, 99)
        self.counter.setSpecialValueText("aucun (accueil, bureau)")
        self.counter.setValue(counter or 0)
        self.counter.setAccessibleName("Guichet")
        self.error = SpokenLabel("Message de connexion")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)

        form = QFormLayout()
        form.addRow("&Identifiant", self.login)
        form.addRow("&Mot de passe", self.password)
        form.addRow("&Guichet", self.counter)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Se connecter")
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
        """Check in the background; « Se connecter » stays disabled until the answer."""
        if self.checking:
            return
        login, password = self.login.text(), self.password.text()
        counter = self.counter.value() or None
        self.attempt += 1
        attempt = self.attempt
        self._busy(True)
        run_in_background(lambda: self._authenticate(login, password, counter),
                          lambda actor: self._signed_in(attempt, actor),
                          lambda exc: self._refused(attempt, exc), owner=self)

    def reject(self) -> None:  # Qt's name: « Quitter », Escape, the window's close button
        self.attempt += 1  # a check still on its way no longer signs anyone in
        self._busy(False)
        super().reject()

    def _busy(self, checking: bool) -> None:
        self.checking = checking
        self.ok.setEnabled(not checking)
        self.error.setStyleSheet("" if checking else ERROR_STYLE)
        self.error.setText("Connexion…" if checking else "")

    def _signed_in(self, attempt: int, actor: Actor) -> None:
        if attempt != self.attempt:
            return
        self.checking = False
        self.actor = actor
        self.accept()
        self.answered.emit(True)

    def _refused(self, attempt: int, exc: Exception) -> None:
        if attempt != self.attempt:
            return
        self._busy(False)
        message = exc.message if isinstance(exc, RdvError) else f"Erreur inattendue : {exc}"
        self.error.setText(message)
        self.password.clear()
        self.password.setFocus()
        announce(self.error, message, assertive=True)  # the focus is back in the password
        self.answered.emit(False)
