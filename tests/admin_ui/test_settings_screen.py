"""The site settings screen: identity, guichets, tunables and dated fees, all audited."""

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
    return widget


def message(panel: SettingsPanel) -> str:
    return by_name(panel, QLabel, "Message des réglages").text()


def test_site_counters_and_tunables(panel: SettingsPanel, services: Services,
                                    adm: Actor) -> None:
    assert by_name(panel, QLineEdit, "Nom du site").text() == "Préfecture du Cantal"
    by_name(panel, QLineEdit, "Nom du site").setText("Préfecture du Cantal — Aurillac")
    by_name(panel, QPushButton, "Enregistrer le site").click()
    assert services.office.admin.site(adm).name == "Préfecture du Cantal — Aurillac"

    by_name(panel, QLineEdit, "Libellé du nouveau guichet").setText("Guichet PMR")
    by_name(panel, QPushButton, "Ajouter un guichet").click()
    assert message(panel) == "Guichet 5 ajouté."
    counters = by_name(panel, QTableView, "Guichets")
    counters.selectRow(1)
    by_name(panel, QPushButton, "Ouvrir ou fermer le guichet").click()
    assert services.office.admin.site(adm).counters[1] == (2, "Guichet 2", False)
    assert services.office.admin.site(adm).counters[4] == (5, "Guichet PMR", True)
    assert counters.model().text(1, 2) == "non — fermé"

    by_name(panel, QSpinBox, "Retard toléré (minutes)").setValue(20)
    by_name(panel, QPushButton, "Enregistrer les réglages").click()
    assert message(panel) == "Réglages enregistrés."
    assert services.ctx.read_settings().late_after_minutes == 20


def test_dated_fee_and_refused_fee(panel: SettingsPanel, services: Services) -> None:
    by_name(panel, QLineEdit, "Code du tarif").setText("titre")
    by_name(panel, QLineEdit, "Libellé du tarif").setText("Taxe de délivrance")
    by_name(panel, QDoubleSpinBox, "Montant du tarif").setValue(225.5)
    by_name(panel, QDateEdit, "Tarif applicable à partir du").setDate(QDate(2027, 1, 1))
    by_name(panel, QPushButton, "Ajouter le tarif").click()
    assert "225,50 €" in message(panel)
    assert services.catalogue.fee_on("TITRE", date(2027, 1, 1)) == 22550
    assert services.catalogue.fee_on("TITRE", date(2026, 12, 31)) is None
    fees = by_name(panel, QTableView, "Tarifs")
    rows = fees.model().rowCount()

    by_name(panel, QLineEdit, "Code du tarif").setText("TITRE")
    by_name(panel, QLineEdit, "Libellé du tarif").setText("Taxe de délivrance")
    by_name(panel, QPushButton, "Ajouter le tarif").click()
    assert "commence déjà le 01/01/2027" in message(panel)
    assert fees.model().rowCount() == rows
