"""The site settings screen: identity, guichets, tunables and dated fees, all audited.

Reads and changes run in the background: the tests wait for `loaded` and `changed`.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
)

from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.setup import Services
from rdv_desktop.ui.admin_settings import SettingsPanel
from tests.admin_ui.conftest import by_name

pytestmark = pytest.mark.gui


@pytest.fixture
def panel(qtbot, services: Services, adm: Actor) -> SettingsPanel:
    widget = SettingsPanel(services, adm)
    qtbot.addWidget(widget)
    assert by_name(widget, QLineEdit, "Nom du site").text() == ""  # not read before shown
    with qtbot.waitSignal(widget.loaded, timeout=10_000):
        widget.show()
    return widget


def message(panel: SettingsPanel) -> str:
    return by_name(panel, QLabel, "Message des réglages").text()


def click_and_wait(qtbot, panel: SettingsPanel, name: str) -> bool:
    """Click a block's button, wait for its answer; True when the change was made. The button
    is disabled while the change runs, and the sentence shown is the one signalled."""
    button = by_name(panel, QPushButton, name)
    with qtbot.waitSignal(panel.changed, timeout=10_000) as change:
        button.click()
        assert not button.isEnabled()
    assert button.isEnabled() and message(panel) == change.args[1]
    return bool(change.args[0])


def test_site_counters_and_tunables(qtbot, panel: SettingsPanel, services: Services,
                                    adm: Actor) -> None:
    assert by_name(panel, QLineEdit, "Nom du site").text() == "Préfecture du Cantal"
    by_name(panel, QLineEdit, "Nom du site").setText("Préfecture du Cantal — Aurillac")
    assert click_and_wait(qtbot, panel, "Enregistrer le site")
    assert message(panel) == "Site enregistré."
    assert services.office.admin.site(adm).name == "Préfecture du Cantal — Aurillac"

    by_name(panel, QLineEdit, "Libellé du nouveau guichet").setText("Guichet PMR")
    assert click_and_wait(qtbot, panel, "Ajouter un guichet")
    assert message(panel) == "Guichet 5 ajouté."
    assert by_name(panel, QLineEdit, "Libellé du nouveau guichet").text() == ""
    counters = by_name(panel, QTableView, "Guichets")
    counters.selectRow(1)
    assert click_and_wait(qtbot, panel, "Ouvrir ou fermer le guichet")
    assert message(panel) == "Guichet 2 fermé."
    assert services.office.admin.site(adm).counters[1] == (2, "Guichet 2", False)
    assert services.office.admin.site(adm).counters[4] == (5, "Guichet PMR", True)
    assert counters.model().text(1, 2) == "non — fermé"
    assert counters.currentIndex().row() == 1

    by_name(panel, QSpinBox, "Retard toléré (minutes)").setValue(20)
    assert click_and_wait(qtbot, panel, "Enregistrer les réglages")
    assert message(panel) == "Réglages enregistrés."
    assert services.ctx.read_settings().late_after_minutes == 20


def test_refused_site_name_changes_nothing(qtbot, panel: SettingsPanel, services: Services,
                                           adm: Actor) -> None:
    by_name(panel, QLineEdit, "Nom du site").setText("   ")
    assert not click_and_wait(qtbot, panel, "Enregistrer le site")
    assert message(panel) == "Le nom du site est obligatoire."
    assert by_name(panel, QLineEdit, "Nom du site").text() == "   "  # left for correction
    assert services.office.admin.site(adm).name == "Préfecture du Cantal"


def test_dated_fee_and_refused_fee(qtbot, panel: SettingsPanel, services: Services) -> None:
    by_name(panel, QLineEdit, "Code du tarif").setText("titre")
    by_name(panel, QLineEdit, "Libellé du tarif").setText("Taxe de délivrance")
    by_name(panel, QDoubleSpinBox, "Montant du tarif").setValue(225.5)
    by_name(panel, QDateEdit, "Tarif applicable à partir du").setDate(QDate(2027, 1, 1))
    assert click_and_wait(qtbot, panel, "Ajouter le tarif")
    assert message(panel) == "Tarif ajouté : 225,50\u00a0€ à partir du 01/01/2027."
    assert by_name(panel, QLineEdit, "Code du tarif").text() == ""
    assert services.catalogue.fee_on("TITRE", date(2027, 1, 1)) == 22550
    assert services.catalogue.fee_on("TITRE", date(2026, 12, 31)) is None
    fees = by_name(panel, QTableView, "Tarifs")
    rows = fees.model().rowCount()

    by_name(panel, QLineEdit, "Code du tarif").setText("TITRE")
    by_name(panel, QLineEdit, "Libellé du tarif").setText("Taxe de délivrance")
    assert not click_and_wait(qtbot, panel, "Ajouter le tarif")
    assert "commence déjà le 01/01/2027" in message(panel)
    assert fees.model().rowCount() == rows
    assert by_name(panel, QLineEdit, "Code du tarif").text() == "TITRE"  # kept to be corrected
