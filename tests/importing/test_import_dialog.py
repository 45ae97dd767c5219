"""The import dialog on real widgets: worker, progress, report tables, errors, cancelling, the
menu entry."""

from __future__ import annotations

from pathlib import Path

import pytest
from import_helpers import assert_taken_back, big_csv, counts, sample
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QWidget,
)

from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.setup import Services
from rdv_desktop.ui.import_dialog import ImportDialog
from rdv_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def named(parent: QWidget, cls: type, name: str):
    found = [w for w in parent.findChildren(cls) if w.accessibleName() == name]
    assert len(found) == 1, name
    return found[0]


def table_rows(view: QTableView) -> list[list[str]]:
    model = view.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def run(qtbot, dialog: ImportDialog, path: Path, dry_run: bool = False) -> None:
    named(dialog, QLineEdit, "Fichier à importer").setText(str(path))
    named(dialog, QCheckBox, "Simulation").setChecked(dry_run)
    button = named(dialog, QPushButton, "Importer")
    dialog.report = None
    before = named(dialog, QLabel, "Résultat de l'import").text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: button.isEnabled()
                    and named(dialog, QLabel, "Résultat de l'import").text() != before,
                    timeout=15000)


@pytest.fixture
def dialog(qtbot, services: Services, manager: Actor) -> ImportDialog:
    dlg = ImportDialog(services, manager)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def test_import_shows_report_then_reimport_changes_nothing(qtbot, dialog: ImportDialog,
                                                           services: Services) -> None:
    with qtbot.waitSignal(dialog.imported, timeout=15000):
        run(qtbot, dialog, sample("rendez-vous.csv"))
    status = named(dialog, QLabel, "Résultat de l'import").text()
    assert "5 créés, 0 mis à jour, 0 inchangé, 4 rejetés" in status
    problems = named(dialog, QTableView, "Lignes rejetées ou non modifiées")
    assert problems.isVisible()
    assert table_rows(problems) == [
        ["6", "Rejetée", "date de naissance impossible « 31/02/1991 »"],
        ["7", "Rejetée", "nom absent"],
        ["8", "Rejetée", "heure impossible « 25:00 »"],
        ["9", "Rejetée", "doublon de la ligne 4 (même référence CAN-2026-0003)"],
    ]
    assert table_rows(named(dialog, QTableView, "Motifs à confirmer")) == [
        ["5", "HADDAD Karim", "26/11/2026 10:00", "Regroupement familial (demande papier)"],
        ["10", "KAYA Emre", "27/11/2026 11:00", "(vide)"],
    ]
    assert not named(dialog, QWidget, "Progression de l'import").isVisible()
    before = counts(services)
    run(qtbot, dialog, sample("rendez-vous.csv"))
    assert "0 créé, 0 mis à jour, 5 inchangés, 4 rejetés" in dialog.status.text()
    assert counts(services)[0] == before[0]


def test_dry_run_and_error_are_shown_without_changes(qtbot, dialog: ImportDialog,
                                                     services: Services,
                                                     tmp_path: Path) -> None:
    before = counts(services)
    run(qtbot, dialog, sample("export-rdv-service-public.xlsx"), dry_run=True)
    assert dialog.status.text().startswith("Simulation de l'import")
    assert "Aucune modification enregistrée" in dialog.status.text()
    assert counts(services) == before
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"Nom;Heure\nDoe;10:00\n")
    run(qtbot, dialog, bad)
    assert dialog.status.text().startswith("Colonnes obligatoires absentes : date")
    assert not dialog.problems_view.isVisible() and dialog.report is None
    assert counts(services) == before


def test_progress_reaches_the_bar(qtbot, dialog: ImportDialog, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    dialog._progress.changed.connect(lambda d, t: seen.append((d, t)))
    path = tmp_path / "many.csv"
    path.write_text("\n".join(["Nom;Date;Heure"] + [f"P{i};27/11/2026;{8 + i // 60}:{i % 60:02d}"
                                                     for i in range(150)]), encoding="utf-8")
    run(qtbot, dialog, path)
    qtbot.waitUntil(lambda: (150, 150) in seen, timeout=5000)
    assert seen[0] == (0, 150)


def test_menu_entry_only_for_actors_who_may(qtbot, services: Services, manager: Actor,
                                            agent: Actor) -> None:
    def entries(actor: Actor) -> list[str]:
        win = MainWindow(services, actor, "base de test")
        qtbot.addWidget(win)
        win.queue.timer.stop()
        return [a.text() for a in win.file_menu.actions()]

    assert "&Importer des rendez-vous…" in entries(manager)
    assert "&Importer des rendez-vous…" not in entries(agent)


def start_big_import(qtbot, dialog: ImportDialog, path: Path) -> None:
    """Start the import of `path` and wait until the worker has written its first rows."""
    named(dialog, QLineEdit, "Fichier à importer").setText(str(path))
    qtbot.mouseClick(named(dialog, QPushButton, "Importer"), Qt.MouseButton.LeftButton)
    bar = named(dialog, QProgressBar, "Progression de l'import")
    qtbot.waitUntil(lambda: bar.value() >= 100, timeout=15000)


def assert_cancelled(qtbot, dialog: ImportDialog) -> None:
    import_button = named(dialog, QPushButton, "Importer")
    qtbot.waitUntil(import_button.isEnabled, timeout=15000)
    assert dialog.status.text().startswith("Import annulé : aucun rendez-vous n'a été ")
    assert dialog.isVisible() and dialog.report is None
    assert named(dialog, QPushButton, "Choisir le fichier").isEnabled()
    assert named(dialog, QPushButton, "Fermer").isEnabled()
    assert not named(dialog, QPushButton, "Annuler l'import").isVisible()
    assert not named(dialog, QWidget, "Progression de l'import").isVisible()


def test_cancel_button_stops_a_large_import(qtbot, dialog: ImportDialog, services: Services,
                                            tmp_path: Path) -> None:
    before = counts(services)
    cancel = named(dialog, QPushButton, "Annuler l'import")
    assert not cancel.isVisible()
    start_big_import(qtbot, dialog, big_csv(tmp_path / "mauvais-fichier.csv", 20_000))
    assert cancel.isVisible() and not named(dialog, QPushButton, "Fermer").isEnabled()
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert not cancel.isEnabled()  # pressed once: the worker is stopping
    assert_cancelled(qtbot, dialog)
    assert_taken_back(services, before)
    # The right file can be picked and imported straight away.
    with qtbot.waitSignal(dialog.imported, timeout=15000):
        run(qtbot, dialog, sample("rendez-vous.csv"))
    assert "5 créés" in dialog.status.text()
    assert counts(services)[0] == before[0] + 5


def test_escape_cancels_instead_of_closing(qtbot, dialog: ImportDialog, services: Services,
                                           tmp_path: Path) -> None:
    before = counts(services)
    start_big_import(qtbot, dialog, big_csv(tmp_path / "mauvais-fichier.csv", 20_000))
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert_cancelled(qtbot, dialog)
    assert_taken_back(services, before)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # not running any more: Escape closes
    assert not dialog.isVisible()


def test_cancel_while_the_file_is_read(qtbot, dialog: ImportDialog, services: Services,
                                      tmp_path: Path) -> None:
    """« Annuler » pressed while a large file is still being read: the dialog does not stay on
    « Annulation en cours… »; nothing was written."""
    before = counts(services)
    named(dialog, QLineEdit, "Fichier à importer").setText(
        str(big_csv(tmp_path / "gros.csv", 200_000)))
    qtbot.mouseClick(named(dialog, QPushButton, "Importer"), Qt.MouseButton.LeftButton)
    assert dialog.status.text() == "Lecture de « gros.csv »… (Échap pour annuler)"
    qtbot.mouseClick(named(dialog, QPushButton, "Annuler l'import"), Qt.MouseButton.LeftButton)
    assert dialog.status.text() == "Annulation en cours…"
    assert_cancelled(qtbot, dialog)
    assert dialog.status.text() == "Import annulé : aucun rendez-vous n'a été enregistré."
    assert counts(services) == before
