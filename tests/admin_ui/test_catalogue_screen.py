"""The catalogue screen: a save is one new version, a refused edit changes nothing.

Reads and saves run in the background: the tests wait for `loaded` and `changed`.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton

from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.setup import Services
from rdv_desktop.ui.admin_catalogue import CataloguePanel
from tests.admin_ui.conftest import by_name
from tests.flows import at_counter, deposit

pytestmark = pytest.mark.gui
MOTIF = "AES_SALARIE"


@pytest.fixture
def panel(qtbot, services: Services, manager: Actor) -> CataloguePanel:
    widget = CataloguePanel(services, manager)
    qtbot.addWidget(widget)
    assert widget.spec is None  # nothing is read before the tab is opened
    with qtbot.waitSignal(widget.loaded, timeout=10_000):
        widget.show()
    combo = by_name(widget, QComboBox, "Motif à modifier")
    combo.setCurrentIndex(combo.findData(MOTIF))
    return widget


def save_and_wait(qtbot, panel: CataloguePanel) -> str:
    """Click « Enregistrer », wait for the answer; the sentence shown (saved or refused)."""
    message = by_name(panel, QLabel, "Message du catalogue")
    save = by_name(panel, QPushButton, "Enregistrer le motif")
    with qtbot.waitSignal(panel.changed, timeout=10_000) as change:
        save.click()
        assert not save.isEnabled() and message.text() == "Enregistrement…"
    assert save.isEnabled()
    assert message.text() == change.args[1]
    return message.text()


def test_edit_is_a_new_version_and_dossiers_keep_their_snapshot(
        qtbot, panel: CataloguePanel, services: Services, accueil: Actor, agent: Actor,
        manager: Actor) -> None:
    old = services.catalogue.current()
    old_motif = old.motif(MOTIF)
    dossier = deposit(services, agent, at_counter(services, accueil, agent))

    by_name(panel, QLineEdit, "Libellé du motif").setText("Admission exceptionnelle — salarié")
    by_name(panel, QLineEdit, "Référence CESEDA").setText("L. 435-1 (modifié)")
    panel.pieces.setData(panel.pieces.index(0, 1), "Formulaire de demande signé")
    panel.table.selectRow(0)
    by_name(panel, QPushButton, "Descendre la pièce").click()
    text = save_and_wait(qtbot, panel)

    new = services.catalogue.current()
    assert new.version == f"{old.version}+e1"
    assert new.version in text and "gardent leur liste" in text
    assert new.version in by_name(panel, QLabel, "Version du catalogue").text()
    motif = new.motif(MOTIF)
    assert motif.label == "Admission exceptionnelle — salarié"
    assert motif.ceseda_ref == "L. 435-1 (modifié)"
    codes = [p.code for p in motif.pieces]
    old_codes = [p.code for p in old_motif.pieces]
    assert codes == [old_codes[1], old_codes[0], *old_codes[2:]]
    assert motif.pieces[1].label == "Formulaire de demande signé"

    detail = services.office.review.detail(manager, dossier.id)
    assert detail.catalogue_version == old.version
    assert detail.row.motif_label == old_motif.label
    assert [p.label for p in detail.pieces] == [p.label for p in old_motif.pieces]


def test_motif_left_without_pieces_changes_nothing(qtbot, panel: CataloguePanel,
                                                   services: Services) -> None:
    before = services.catalogue.current()
    while panel.pieces.rowCount():
        panel.table.selectRow(0)
        by_name(panel, QPushButton, "Retirer la pièce").click()
    text = save_and_wait(qtbot, panel)
    assert "au moins une pièce" in text and "Rien n'a été enregistré" in text
    assert services.catalogue.current() == before
    assert panel.pieces.rowCount() == 0  # the draft stays on screen to be corrected


def test_bad_condition_changes_nothing(qtbot, panel: CataloguePanel,
                                       services: Services) -> None:
    before = services.catalogue.current()
    by_name(panel, QComboBox, "Exigence de la pièce 1").setCurrentIndex(1)  # si condition
    panel.pieces.setData(panel.pieces.index(0, 3), "renouvellement and")
    assert "Condition invalide" in save_and_wait(qtbot, panel)
    panel.pieces.setData(panel.pieces.index(0, 3), "martien")
    assert "Situation inconnue" in save_and_wait(qtbot, panel)
    assert services.catalogue.current() == before


def test_added_and_new_pieces_are_saved(qtbot, panel: CataloguePanel,
                                        services: Services) -> None:
    rows = panel.pieces.rowCount()
    existing = by_name(panel, QComboBox, "Pièce du catalogue à ajouter")
    added = existing.currentData()
    by_name(panel, QPushButton, "Ajouter la pièce choisie").click()
    by_name(panel, QPushButton, "Nouvelle pièce").click()
    panel.pieces.setData(panel.pieces.index(rows + 1, 1), "Attestation de formation")
    by_name(panel, QComboBox, f"Exigence de la pièce {rows + 2}").setCurrentIndex(1)
    panel.pieces.setData(panel.pieces.index(rows + 1, 3),
                         "renouvellement and not entree_irreguliere")
    save_and_wait(qtbot, panel)
    pieces = services.catalogue.current().motif(MOTIF).pieces
    assert len(pieces) == rows + 2
    assert pieces[-2].code == added
    assert (pieces[-1].code, pieces[-1].label, pieces[-1].requirement, pieces[-1].condition) == (
        f"{MOTIF}_P1", "Attestation de formation", "conditional",
        "renouvellement and not entree_irreguliere")


def test_revert_restores_the_saved_motif(panel: CataloguePanel, services: Services) -> None:
    saved = services.catalogue.current().motif(MOTIF)
    by_name(panel, QLineEdit, "Libellé du motif").setText("brouillon")
    panel.table.selectRow(0)
    by_name(panel, QPushButton, "Retirer la pièce").click()
    by_name(panel, QPushButton, "Annuler les modifications").click()
    assert by_name(panel, QLineEdit, "Libellé du motif").text() == saved.label
    assert panel.pieces.rowCount() == len(saved.pieces)
