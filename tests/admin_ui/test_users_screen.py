"""The users screen on real widgets: accounts created, deactivated and changed are real."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QPushButton

from rdv_desktop.errors import AuthenticationFailed
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.setup import Services
from rdv_desktop.ui.admin_users import UsersPanel
from tests.admin_ui.conftest import by_name

pytestmark = pytest.mark.gui


@pytest.fixture
def panel(qtbot, services: Services, adm: Actor) -> UsersPanel:
    widget = UsersPanel(services, adm)
    qtbot.addWidget(widget)
    return widget


def fill_new_user(dialog, login: str, password: str, confirm: str | None = None) -> None:
    by_name(dialog, QLineEdit, "Identifiant").setText(login)
    by_name(dialog, QLineEdit, "Nom affiché").setText("Marie Dupont")
    by_name(dialog, QCheckBox, "Rôle Agent de guichet").setChecked(True)
    by_name(dialog, QLineEdit, "Mot de passe").setText(password)
    by_name(dialog, QLineEdit, "Confirmation du mot de passe").setText(confirm or password)


def test_created_user_can_sign_in(qtbot, panel: UsersPanel, services: Services) -> None:
    by_name(panel, QPushButton, "Nouvel utilisateur").click()
    dialog = panel.dialog
    fill_new_user(dialog, "mdupont", "secret-guichet")
    by_name(dialog, QPushButton, "Créer le compte").click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    assert "mdupont" in [u.login for u in panel.model.users]
    assert panel.selected().login == "mdupont"
    assert by_name(panel, QLabel, "Message des utilisateurs").text() == "Compte mdupont créé."
    actor = services.users.authenticate("mdupont", "secret-guichet", "TEST-1", 3)
    assert actor.roles == {"agent"} and actor.display_name == "Marie Dupont"


def test_mismatched_passwords_create_nothing(qtbot, panel: UsersPanel,
                                             services: Services, adm: Actor) -> None:
    before = services.users.list_users(adm)
    panel.open_create()
    dialog = panel.dialog
    fill_new_user(dialog, "mdupont", "secret-guichet", "secret-guichee")
    by_name(dialog, QPushButton, "Créer le compte").click()
    assert dialog.isVisible()
    assert "pas identiques" in by_name(dialog, QLabel, "Message du formulaire").text()
    fill_new_user(dialog, "mdupont", "court")
    by_name(dialog, QPushButton, "Créer le compte").click()
    message = by_name(dialog, QLabel, "Message du formulaire")
    qtbot.waitUntil(lambda: "au moins 8 caractères" in message.text(), timeout=10_000)
    assert dialog.isVisible()
    assert services.users.list_users(adm) == before


def test_deactivation_blocks_sign_in(qtbot, panel: UsersPanel, services: Services,
                                     agent: Actor) -> None:
    panel.reload()
    panel.select_login("agent1")
    toggle = by_name(panel, QPushButton, "Activer ou désactiver")
    assert toggle.text() == "Désactiver"
    toggle.click()
    qtbot.waitUntil(lambda: not panel.selected().active, timeout=10_000)
    assert "ne peut plus se connecter" in by_name(panel, QLabel, "Message des utilisateurs").text()
    with pytest.raises(AuthenticationFailed):
        services.users.authenticate("agent1", "motdepasse-agent1", "TEST-1", 1)
    assert toggle.text() == "Réactiver"


def test_own_account_cannot_be_deactivated(panel: UsersPanel, services: Services,
                                           adm: Actor) -> None:
    panel.select_login("adm")
    by_name(panel, QPushButton, "Activer ou désactiver").click()
    assert "propre compte" in by_name(panel, QLabel, "Message des utilisateurs").text()
    assert next(u for u in services.users.list_users(adm) if u.login == "adm").active


def test_roles_and_password_reset(qtbot, panel: UsersPanel, services: Services,
                                  agent: Actor) -> None:
    panel.reload()
    panel.select_login("agent1")
    dialog = panel.open_roles()
    by_name(dialog, QCheckBox, "Rôle Encadrement").setChecked(True)
    by_name(dialog, QPushButton, "Enregistrer les rôles").click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    assert panel.selected().roles == {"agent", "manager"}

    dialog = panel.open_password()
    by_name(dialog, QLineEdit, "Nouveau mot de passe").setText("nouveau-secret")
    by_name(dialog, QLineEdit, "Confirmation du mot de passe").setText("nouveau-secret")
    by_name(dialog, QPushButton, "Changer le mot de passe").click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    actor = services.users.authenticate("agent1", "nouveau-secret", "TEST-1", 1)
    assert actor.roles == {"agent", "manager"}
