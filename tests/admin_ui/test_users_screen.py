"""The users screen on real widgets: accounts created, deactivated and changed are real.

The list and every change run in the background: each test waits for the screen's `loaded` or
`changed` signal, never for a fixed time.
"""

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
    assert widget.model.users == []  # nothing is read before the tab is opened
    with qtbot.waitSignal(widget.loaded, timeout=10_000):
        widget.show()
    return widget


def reload(qtbot, panel: UsersPanel) -> None:
    """Read the list again (accounts made by fixtures after the panel was opened)."""
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        panel.reload()


def fill_new_user(dialog, login: str, password: str, confirm: str | None = None) -> None:
    by_name(dialog, QLineEdit, "Identifiant").setText(login)
    by_name(dialog, QLineEdit, "Nom affiché").setText("Marie Dupont")
    by_name(dialog, QCheckBox, "Rôle Agent de guichet").setChecked(True)
    by_name(dialog, QLineEdit, "Mot de passe").setText(password)
    by_name(dialog, QLineEdit, "Confirmation du mot de passe").setText(confirm or password)


def test_created_user_can_sign_in(qtbot, panel: UsersPanel, services: Services) -> None:
    by_name(panel, QPushButton, "Nouvel utilisateur").click()
    dialog = panel.dialog
    fill_new_user(dialog, "mdupont", "Secret-guichet")
    create = by_name(dialog, QPushButton, "Créer le compte")
    with qtbot.waitSignal(panel.changed, timeout=10_000) as change:
        create.click()
        assert not create.isEnabled()  # no second account from a second click
    assert change.args == [True, "Compte mdupont créé."]
    assert not dialog.isVisible()
    assert "mdupont" in [u.login for u in panel.model.users]
    assert panel.selected().login == "mdupont"
    assert by_name(panel, QLabel, "Message des utilisateurs").text() == "Compte mdupont créé."
    actor = services.users.authenticate("mdupont", "Secret-guichet", "TEST-1", 3)
    assert actor.roles == {"agent"} and actor.display_name == "Marie Dupont"


def test_mismatched_passwords_create_nothing(qtbot, panel: UsersPanel,
                                             services: Services, adm: Actor) -> None:
    before = services.users.list_users(adm)
    panel.open_create()
    dialog = panel.dialog
    fill_new_user(dialog, "mdupont", "Secret-guichet", "Secret-guichee")
    by_name(dialog, QPushButton, "Créer le compte").click()
    assert dialog.isVisible()
    assert "pas identiques" in by_name(dialog, QLabel, "Message du formulaire").text()
    fill_new_user(dialog, "mdupont", "court")
    with qtbot.waitSignal(panel.changed, timeout=10_000) as change:
        by_name(dialog, QPushButton, "Créer le compte").click()
    assert change.args[0] is False
    message = by_name(dialog, QLabel, "Message du formulaire").text()
    assert "Mot de passe trop faible" in message and message == change.args[1]
    assert dialog.isVisible() and by_name(dialog, QPushButton, "Créer le compte").isEnabled()
    assert services.users.list_users(adm) == before
    assert panel.model.users == before  # the refusal changed nothing on screen


def test_deactivation_blocks_sign_in(qtbot, panel: UsersPanel, services: Services,
                                     agent: Actor) -> None:
    reload(qtbot, panel)
    panel.select_login("agent1")
    toggle = by_name(panel, QPushButton, "Activer ou désactiver")
    assert toggle.text() == "Désactiver"
    with qtbot.waitSignal(panel.changed, timeout=10_000) as change:
        toggle.click()
        assert not toggle.isEnabled()  # not sent twice
        panel.view.selectRow(0)
        assert not toggle.isEnabled()  # a new selection does not give the button back
        panel.select_login("agent1")
    assert change.args[0] is True
    assert not panel.selected().active
    assert "ne peut plus se connecter" in by_name(panel, QLabel, "Message des utilisateurs").text()
    with pytest.raises(AuthenticationFailed):
        services.users.authenticate("agent1", "motdepasse-agent1", "TEST-1", 1)
    assert toggle.text() == "Réactiver" and toggle.isEnabled()


def test_own_account_cannot_be_deactivated(panel: UsersPanel, services: Services,
                                           adm: Actor) -> None:
    panel.select_login("adm")
    by_name(panel, QPushButton, "Activer ou désactiver").click()
    assert "propre compte" in by_name(panel, QLabel, "Message des utilisateurs").text()
    assert next(u for u in services.users.list_users(adm) if u.login == "adm").active


def test_roles_and_password_reset(qtbot, panel: UsersPanel, services: Services,
                                  agent: Actor) -> None:
    reload(qtbot, panel)
    panel.select_login("agent1")
    dialog = panel.open_roles()
    by_name(dialog, QCheckBox, "Rôle Encadrement").setChecked(True)
    with qtbot.waitSignal(panel.changed, timeout=10_000) as change:
        by_name(dialog, QPushButton, "Enregistrer les rôles").click()
    assert change.args == [True, "Rôles d'agent1 enregistrés."]  # élision
    assert not dialog.isVisible()
    assert panel.selected().roles == {"agent", "manager"}

    dialog = panel.open_password()
    by_name(dialog, QLineEdit, "Nouveau mot de passe").setText("Nouveau-secret")
    by_name(dialog, QLineEdit, "Confirmation du mot de passe").setText("Nouveau-secret")
    with qtbot.waitSignal(panel.changed, timeout=10_000) as change:
        by_name(dialog, QPushButton, "Changer le mot de passe").click()
    assert change.args == [True, "Mot de passe d'agent1 changé."]
    assert not dialog.isVisible()
    actor = services.users.authenticate("agent1", "Nouveau-secret", "TEST-1", 1)
    assert actor.roles == {"agent", "manager"}
