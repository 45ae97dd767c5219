"""« Utilisateurs »: the accounts list; create, activate/deactivate, change roles, reset password.

Every change goes through `UserService` (which checks `users.manage` and audits); refusals come
back as the service's French sentence, shown in the screen or in the open form. The list and
every change run off the UI thread (password hashing is deliberately slow, a server may not
answer); the list is read when the tab is first opened.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..errors import RdvError
from ..french import elide
from ..services.core import ROLE_LABELS, ROLES, Actor, UserInfo
from ..services.setup import Services
from .accessibility import SpokenLabel, leave_on_tab
from .admin_user_dialogs import NewUserDialog, PasswordDialog, RolesDialog
from .first_show import LoadsOnFirstShow
from .table_model import ColumnTableModel, Index
from .worker import LatestOnly, run_in_background

ERROR_STYLE = "color: #b00020; font-weight: bold"


def roles_text(roles: frozenset[str]) -> str:
    return ", ".join(ROLE_LABELS[r] for r in ROLES if r in roles)


class UserModel(ColumnTableModel):
    columns = ("Identifiant", "Nom", "Rôles", "Actif")

    def __init__(self) -> None:
        super().__init__()
        self.users: list[UserInfo] = []

    def row_total(self) -> int:
        return len(self.users)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        user = self.users[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (user.login, user.display_name, roles_text(user.roles),
                    "oui" if user.active else "non — désactivé")[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and not user.active:
            return QColor("#757575")
        return None

    def set_users(self, users: list[UserInfo]) -> None:
        self.beginResetModel()
        self.users = list(users)
        self.endResetModel()

    def replace(self, user: UserInfo) -> None:
        for i, old in enumerate(self.users):
            if old.login == user.login:
                self.users[i] = user
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.columns) - 1))
                return


class UsersPanel(LoadsOnFirstShow, QWidget):
    loaded = Signal()  # a read of the list has answered: the accounts or the refusal are shown
    changed = Signal(bool, str)  # a change has ended: done or refused, and the sentence shown

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.users = services.users
        self.actor = actor
        self.reads = LatestOnly()
        self.running: QPushButton | None = None  # the button whose change is on its way
        self.model = UserModel()
        self.view = QTableView()
        leave_on_tab(self.view)
        self.view.setAccessibleName("Liste des utilisateurs")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)

        self.create_button = QPushButton("Nouvel utilisateur…")
        self.toggle = QPushButton("Désactiver")
        self.roles = QPushButton("Rôles…")
        self.password = QPushButton("Nouveau mot de passe…")
        for button, name in ((self.create_button, "Nouvel utilisateur"),
                             (self.toggle, "Activer ou désactiver"),
                             (self.roles, "Modifier les rôles"),
                             (self.password, "Réinitialiser le mot de passe")):
            button.setAccessibleName(name)
        self.message = SpokenLabel("Message des utilisateurs", live=True)
        self.message.setWordWrap(True)
        bar = QHBoxLayout()
        for button in (self.create_button, self.toggle, self.roles, self.password):
            bar.addWidget(button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)

        self.create_button.clicked.connect(self.open_create)
        self.toggle.clicked.connect(self.toggle_active)
        self.roles.clicked.connect(self.open_roles)
        self.password.clicked.connect(self.open_password)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.dialog: NewUserDialog | RolesDialog | PasswordDialog | None = None
        self._update_buttons()

    # -- list ----------------------------------------------------------------------------------

    def load(self) -> None:
        self.reload()

    def reload(self, select: str | None = None) -> None:
        """Read the accounts in the background; `loaded` says when they are on screen."""
        ticket = self.reads.ticket()

        def done(users: list[UserInfo]) -> None:
            self._show_users(ticket, users, select)
            self.loaded.emit()

        def failed(exc: Exception) -> None:
            self.say(_sentence(exc), error=True)
            self.loaded.emit()

        run_in_background(lambda: self.users.list_users(self.actor), done, failed, owner=self)

    def _show_users(self, ticket: int, users: list[UserInfo], select: str | None) -> None:
        if not self.reads.fresh(ticket):
            return  # a later read is already on screen
        self.model.set_users(users)
        self.view.resizeColumnsToContents()
        logins = [u.login for u in users]
        if users:
            self.view.selectRow(logins.index(select) if select in logins else 0)
        self._update_buttons()

    def selected(self) -> UserInfo | None:
        index = self.view.currentIndex()
        return self.model.users[index.row()] if index.isValid() else None

    def select_login(self, login: str) -> None:
        logins = [u.login for u in self.model.users]
        self.view.selectRow(logins.index(login))

    def _update_buttons(self) -> None:
        user = self.selected()
        for button in (self.toggle, self.roles, self.password):
            button.setEnabled(user is not None and button is not self.running)
        self.toggle.setText("Réactiver" if user is not None and not user.active
                            else "Désactiver")

    def say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)

    # -- actions -------------------------------------------------------------------------------

    def _run(self, call: Callable[[], UserInfo], done: str,
             dialog: NewUserDialog | RolesDialog | PasswordDialog | None = None,
             button: QPushButton | None = None) -> None:
        """Run a change, then read the list again, off the UI thread; `button` (or the form's
        own, see `busy`) stays disabled meanwhile so a second click cannot send it twice."""
        ticket = self.reads.ticket()
        if button is not None:
            self.running = button
            button.setEnabled(False)

        def change() -> tuple[UserInfo, list[UserInfo] | None]:
            user = call()
            try:
                return user, self.users.list_users(self.actor)
            except RdvError:  # the change is made: the list shown stays as it was
                return user, None

        def ok(result: tuple[UserInfo, list[UserInfo] | None]) -> None:
            user, users = result
            self.running = None
            if dialog is not None:
                dialog.accept()
            if users is not None:
                self._show_users(ticket, users, user.login)
            self._update_buttons()
            text = done.format(login=user.login, de_login=elide(user.login))
            self.say(text)
            self.changed.emit(True, text)

        def failed(exc: Exception) -> None:
            self.running = None
            self._update_buttons()
            text = _sentence(exc)
            if dialog is not None and dialog.isVisible():
                dialog.show_error(text)
            else:
                self.say(text, error=True)
            self.changed.emit(False, text)

        run_in_background(change, ok, failed, owner=self)

    def open_create(self) -> NewUserDialog:
        dialog = NewUserDialog(self)
        dialog.submitted.connect(lambda login, name, roles, password: self._run(
            lambda: self.users.create_user(self.actor, login, name, roles, password),
            "Compte {login} créé.", dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def toggle_active(self) -> None:
        user = self.selected()
        if user is None or self.running is not None:
            return
        if user.active and user.login == self.actor.login:
            self.say("Vous ne pouvez pas désactiver votre propre compte.", error=True)
            return
        self._run(lambda: self.users.set_active(self.actor, user.login, not user.active),
                  "Compte {login} réactivé." if not user.active else
                  "Compte {login} désactivé : il ne peut plus se connecter.",
                  button=self.toggle)

    def open_roles(self) -> RolesDialog | None:
        user = self.selected()
        if user is None:
            return None
        dialog = RolesDialog(user.login, user.roles, self)

        def submit(roles: set[str]) -> None:
            if user.login == self.actor.login and "admin" not in roles:
                dialog.show_error("Vous ne pouvez pas retirer votre propre rôle "
                                  "Administrateur.")
                return
            self._run(lambda: self.users.set_roles(self.actor, user.login, roles),
                      "Rôles {de_login} enregistrés.", dialog)

        dialog.submitted.connect(submit)
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_password(self) -> PasswordDialog | None:
        user = self.selected()
        if user is None:
            return None
        dialog = PasswordDialog(user.login, self)
        dialog.submitted.connect(lambda password: self._run(
            lambda: self.users.reset_password(self.actor, user.login, password),
            "Mot de passe {de_login} changé.", dialog))
        self.dialog = dialog
        dialog.open()
        return dialog


def _sentence(exc: Exception) -> str:
    return exc.message if isinstance(exc, RdvError) else f"Erreur inattendue : {exc}"
