"""The small forms of the users screen: a new account, its roles, a new password.

Each dialog only collects and pre-checks what was typed; the service decides and audits. A
dialog stays open on a refusal so the administrator can correct it: `show_error` puts the
service's French sentence under the form.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ..french import elide
from ..services.core import ROLE_LABELS, ROLES
from .accessibility import SpokenLabel

ERROR_STYLE = "color: #b00020; font-weight: bold"


class RoleBoxes(QWidget):
    """One check box per role, named after the role's French label."""

    def __init__(self, checked: frozenset[str] = frozenset(),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for role in ROLES:
            box = QCheckBox(ROLE_LABELS[role])
            box.setAccessibleName(f"Rôle {ROLE_LABELS[role]}")
            box.setChecked(role in checked)
            layout.addWidget(box)
            self.boxes[role] = box

    def roles(self) -> set[str]:
        return {role for role, box in self.boxes.items() if box.isChecked()}


class _FormDialog(QDialog):
    """OK/Cancel in French, an error line, and `submitted` emitted instead of closing."""

    def __init__(self, title: str, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = SpokenLabel("Message du formulaire", live=True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(ok_text)
        self.ok.setAccessibleName(ok_text)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText("Annuler")
        cancel.setAccessibleName("Annuler")
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _submit(self) -> None:
        raise NotImplementedError

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.ok.setEnabled(True)

    def busy(self) -> None:
        self.error.setText("Enregistrement…")
        self.ok.setEnabled(False)


def _password_edit(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(name)
    return edit


def _passwords_match(first: QLineEdit, second: QLineEdit) -> str | None:
    if first.text() != second.text():
        return "Les deux mots de passe ne sont pas identiques."
    return None


class NewUserDialog(_FormDialog):
    # login, display name, roles, password
    submitted = Signal(str, str, set, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Nouvel utilisateur", "Créer le compte", parent)
        self.login = QLineEdit()
        self.login.setAccessibleName("Identifiant")
        self.name = QLineEdit()
        self.name.setAccessibleName("Nom affiché")
        self.roles = RoleBoxes()
        self.password = _password_edit("Mot de passe")
        self.confirm = _password_edit("Confirmation du mot de passe")
        self.form.addRow("&Identifiant", self.login)
        self.form.addRow("&Nom affiché", self.name)
        self.form.addRow("Rôles", self.roles)
        self.form.addRow("&Mot de passe", self.password)
        self.form.addRow("&Confirmation", self.confirm)

    def _submit(self) -> None:
        problem = _passwords_match(self.password, self.confirm)
        if problem is None and not self.roles.roles():
            problem = "Cochez au moins un rôle."
        if problem is not None:
            self.show_error(problem)
            return
        self.busy()
        self.submitted.emit(self.login.text(), self.name.text(), self.roles.roles(),
                            self.password.text())


class RolesDialog(_FormDialog):
    submitted = Signal(set)

    def __init__(self, login: str, roles: frozenset[str], parent: QWidget | None = None) -> None:
        super().__init__(f"Rôles {elide(login)}", "Enregistrer les rôles", parent)
        self.roles = RoleBoxes(roles)
        self.form.addRow("Rôles", self.roles)

    def _submit(self) -> None:
        if not self.roles.roles():
            self.show_error("Cochez au moins un rôle.")
            return
        self.busy()
        self.submitted.emit(self.roles.roles())


class PasswordDialog(_FormDialog):
    submitted = Signal(str)

    def __init__(self, login: str, parent: QWidget | None = None) -> None:
        super().__init__(f"Nouveau mot de passe pour {login}", "Changer le mot de passe", parent)
        self.password = _password_edit("Nouveau mot de passe")
        self.confirm = _password_edit("Confirmation du mot de passe")
        self.form.addRow("&Nouveau mot de passe", self.password)
        self.form.addRow("&Confirmation", self.confirm)
        self.form.addRow(QLabel("L'utilisateur pourra se connecter aussitôt ; "
                                "un compte verrouillé est débloqué."))

    def _submit(self) -> None:
        problem = _passwords_match(self.password, self.confirm)
        if problem is not None:
            self.show_error(problem)
            return
        self.busy()
        self.submitted.emit(self.password.text())
