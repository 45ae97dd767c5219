"""The dashboard and review screens on real widgets, filled from a month of demo history."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QTableView

from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.setup import Services
from rdv_desktop.ui.dashboard_panel import DashboardPanel
from rdv_desktop.ui.office_screens import add_office_screens
from rdv_desktop.ui.review_panel import ReviewPanel
from tests.conftest import settle

pytestmark = pytest.mark.gui


def by_name(widget, cls, name):
    found = [w for w in widget.findChildren(cls) if w.accessibleName() == name]
    assert len(found) == 1, name
    return found[0]


def test_dashboard_shows_the_report(qtbot, history: Services, manager: Actor) -> None:
    panel = DashboardPanel(history, manager)
    qtbot.addWidget(panel)
    settle(qtbot)  # any load started by building the panel would have come back by now
    assert panel.report is None, "nothing is computed before the tab is opened"
    panel.show()
    qtbot.waitUntil(lambda: panel.report is not None, timeout=10_000)
    expected = history.office.stats.report(manager, panel.report.start, panel.report.end)
    assert by_name(panel, QLabel, "Rendez-vous").text() == str(expected.totals.appointments)
    assert panel.table.model().rowCount() > 0
    assert panel.days_chart.labels and panel.motifs_chart.labels


def test_dashboard_detail_by_dimension_with_90th_percentiles(qtbot, history: Services,
                                                             manager: Actor) -> None:
    panel = DashboardPanel(history, manager)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.report is not None, timeout=10_000)
    model = panel.table.model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    wait_p90 = headers.index("Attente 90 %")
    choice = by_name(panel, QComboBox, "Détail par")
    absence = headers.index("Absence")
    for label, breakdown in (("Guichet", [b for b in panel.report.by_counter if b.key]),
                             ("Agent", [b for b in panel.report.by_agent if b.key]),
                             ("Motif", panel.report.by_motif),
                             ("Heure du créneau", panel.report.by_hour)):
        choice.setCurrentText(label)
        assert [model.index(r, 0).data() for r in range(model.rowCount())] == [
            b.label for b in breakdown]
        assert panel.table.isColumnHidden(absence) == (label in ("Guichet", "Agent"))
        assert [model.index(r, wait_p90).data() for r in range(model.rowCount())] == [
            b.wait_p90.label() if b.wait_p90 else "—" for b in breakdown]
    assert any(model.index(r, wait_p90).data().startswith("< ")
               for r in range(model.rowCount()))


def test_review_marks_a_selection(qtbot, qtmodeltester, history: Services,
                                  manager: Actor) -> None:
    panel = ReviewPanel(history, manager)
    qtbot.addWidget(panel)
    motifs = by_name(panel, QComboBox, "Motif")
    assert motifs.count() == 1  # nothing is read before the first search
    with qtbot.waitSignals([panel.loaded, panel.detail_loaded], timeout=10_000):
        by_name(panel, QPushButton, "Afficher les dossiers").click()
    assert panel.model.rowCount() > 0
    qtbot.waitUntil(lambda: motifs.count() > 1, timeout=10_000)
    qtmodeltester.check(panel.model)
    view = by_name(panel, QTableView, "Dossiers à contrôler")
    view.selectRow(0)
    assert "Liste de contrôle" in panel.detail.toHtml()
    mark = by_name(panel, QPushButton, "Marquer contrôlé")
    with (qtbot.waitSignal(panel.detail_loaded, timeout=10_000),  # the detail is read again
          qtbot.waitSignal(panel.changed, timeout=10_000) as change):
        mark.click()
        assert not mark.isEnabled()  # the selection is not marked twice
    done, text = change.args
    assert done and text == "1 dossier(s) marqué(s) « contrôlé »."
    assert by_name(panel, QLabel, "Message du contrôle").text() == text
    assert mark.isEnabled()
    assert [r.review_state for r in panel.model.rows].count("checked") == 1
    assert "Contrôle : contrôlé" in panel.detail.toPlainText()  # the detail was read again


def test_refused_mark_changes_nothing(qtbot, history: Services, manager: Actor) -> None:
    panel = ReviewPanel(history, manager)
    qtbot.addWidget(panel)
    with qtbot.waitSignals([panel.loaded, panel.detail_loaded], timeout=10_000):
        panel.show()  # the first opening searches
    view = by_name(panel, QTableView, "Dossiers à contrôler")
    view.clearSelection()
    before = list(panel.model.rows)
    with qtbot.waitSignal(panel.changed, timeout=10_000) as change:
        by_name(panel, QPushButton, "Marquer contrôlé").click()
    assert change.args == [False, "Sélectionnez au moins un dossier."]
    assert by_name(panel, QLabel, "Message du contrôle").text() == change.args[1]
    assert panel.model.rows == before


def test_counter_roles_get_no_office_screens(qtbot, services: Services, agent: Actor,
                                             manager: Actor) -> None:
    added: list[str] = []

    class Host:
        def add_screen(self, widget, title: str) -> None:
            qtbot.addWidget(widget)
            added.append(title)

    add_office_screens(Host(), services, agent)
    assert added == ["Pièces attendues"]  # pieces handed in later are recorded at the counter
    added.clear()
    add_office_screens(Host(), services, manager)
    assert added == ["Tableau de bord", "Contrôle des dépôts", "Récépissés à remettre",
                     "Pièces attendues"]
