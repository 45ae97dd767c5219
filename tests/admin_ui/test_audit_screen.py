"""The audit-log viewer: filters run in the service, the table shows exactly what matched, and
scrolling to the end loads the following pages until every matching row is shown."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton

from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.core.clock import local_today
from rdv_desktop.services.office.admin import AUDIT_PAGE, AuditFilter
from rdv_desktop.services.setup import Services
from rdv_desktop.ui.audit_log_panel import AuditLogPanel, number
from tests.admin_ui.conftest import by_name
from tests.audit_rows import matching_ids, seed_audit
from tests.conftest import make_actor

pytestmark = pytest.mark.gui


@pytest.fixture
def panel(qtbot, services: Services, manager: Actor) -> AuditLogPanel:
    widget = AuditLogPanel(services, manager)
    qtbot.addWidget(widget)
    return widget


def show(qtbot, panel: AuditLogPanel) -> str:
    count = by_name(panel, QLabel, "Nombre de lignes du journal")
    by_name(panel, QPushButton, "Afficher le journal").click()
    qtbot.waitUntil(lambda: count.text() not in ("", "Recherche…"), timeout=10_000)
    return count.text()


def test_filter_by_action(qtbot, qtmodeltester, panel: AuditLogPanel, services: Services,
                          manager: Actor, admin: Actor) -> None:
    for login in ("alice", "bruno"):
        make_actor(services, login, {"agent"})
    services.users.set_active(admin, "bruno", False)
    show(qtbot, panel)
    qtmodeltester.check(panel.model)
    assert {"user_created", "login", "user_deactivated"} <= {e.action for e in
                                                            panel.model.entries}

    action = by_name(panel, QComboBox, "Action")
    action.setCurrentIndex(action.findData("user_created"))
    assert show(qtbot, panel) == "3 événements."  # chef (fixture), alice, bruno
    assert {e.action for e in panel.model.entries} == {"user_created"}
    assert panel.model.index(0, 3).data() == "Compte créé"
    assert "Après" in panel.detail.toHtml()

    by_name(panel, QLineEdit, "Utilisateur").setText("system")
    action.setCurrentIndex(action.findData("user_deactivated"))
    assert show(qtbot, panel) == "1 événement."
    assert panel.model.entries[0].entity_id is not None


def test_inverted_period_is_explained(qtbot, panel: AuditLogPanel) -> None:
    panel.start.setDate(panel.end.date().addDays(1))
    assert "Période inversée" in show(qtbot, panel)
    assert panel.model.rowCount() == 0


def scroll_to_the_end(qtbot, panel: AuditLogPanel) -> int:
    """Scroll down as a reader would until nothing more comes; the number of scrolls."""
    scrolls = 0
    while panel.model.has_more:
        rows = panel.model.rowCount()
        panel.view.scrollToBottom()
        qtbot.waitUntil(lambda rows=rows: panel.model.rowCount() > rows or not panel.model.has_more,
                        timeout=10_000)
        scrolls += 1
    return scrolls


def test_scrolling_reaches_every_row(qtbot, qtmodeltester, panel: AuditLogPanel,
                                     services: Services, manager: Actor) -> None:
    today = local_today(services.ctx.clock)
    seed_audit(services, 130, today, 1)
    expected = matching_ids(services, AuditFilter(today, today))
    assert panel.page_size == AUDIT_PAGE
    panel.page_size = 40
    panel.start.setDate(panel.end.date())
    panel.resize(1000, 400)
    panel.show()  # its first look loads too: the click below makes that answer stale
    assert show(qtbot, panel) == (f"{number(len(expected))} événements, 40 affichés (les plus "
                                  "récents) : faites défiler pour voir les suivants.")
    assert [e.id for e in panel.model.entries] == expected[:40]
    qtmodeltester.check(panel.model)  # stays attached: checks every page inserted below

    assert scroll_to_the_end(qtbot, panel) >= (len(expected) - 40) // 40
    assert [e.id for e in panel.model.entries] == expected
    count = by_name(panel, QLabel, "Nombre de lignes du journal")
    assert count.text() == f"{number(len(expected))} événements."
    assert not panel.model.canFetchMore(QModelIndex())


def test_a_new_search_starts_again_from_the_first_page(qtbot, panel: AuditLogPanel,
                                                       services: Services) -> None:
    today = local_today(services.ctx.clock)
    seed_audit(services, 200, today, 1)
    panel.page_size = 30
    panel.start.setDate(panel.end.date())
    panel.show()
    show(qtbot, panel)
    scroll_to_the_end(qtbot, panel)
    assert [e.id for e in panel.model.entries] == matching_ids(services, AuditFilter(today, today))

    action = by_name(panel, QComboBox, "Action")
    action.setCurrentIndex(action.findData("call"))
    calls = matching_ids(services, AuditFilter(today, today, action="call"))
    panel.model.fetchMore(QModelIndex())  # no more pages: nothing is asked
    assert not panel.model.fetching
    assert show(qtbot, panel).startswith(f"{len(calls)} événements, 30 affichés")
    assert [e.id for e in panel.model.entries] == calls[:30]

    panel.model.fetchMore(QModelIndex())  # a page of « call » rows on its way…
    by_name(panel, QLineEdit, "Utilisateur").setText("bruno")
    # …made stale by a new search, which resets the table: the stale page, whenever it comes,
    # must not be inserted
    with qtbot.assertNotEmitted(panel.model.rowsInserted, wait=300):
        by_name(panel, QPushButton, "Afficher le journal").click()
        qtbot.waitUntil(lambda: panel.search.isEnabled(), timeout=10_000)
    bruno = matching_ids(services, AuditFilter(today, today, login="bruno", action="call"))
    assert [e.id for e in panel.model.entries] == bruno[:30]
    scroll_to_the_end(qtbot, panel)
    assert [e.id for e in panel.model.entries] == bruno


def test_first_look_loads_the_last_week(qtbot, panel: AuditLogPanel) -> None:
    count = by_name(panel, QLabel, "Nombre de lignes du journal")
    assert panel.model.rowCount() == 0
    panel.show()
    qtbot.waitUntil(lambda: count.text().endswith("événements."), timeout=10_000)
    assert panel.model.rowCount() > 0
    assert all(e.at.date() >= panel.start.date().toPython() for e in panel.model.entries)


def test_an_incomplete_dossier_is_not_shown_with_a_number(qtbot, panel: AuditLogPanel,
                                                          services: Services, accueil: Actor,
                                                          agent: Actor) -> None:
    from datetime import time

    from tests.flows import at_counter, deposit

    complete = deposit(services, agent, at_counter(services, accueil, agent))
    incomplete = deposit(services, agent, at_counter(services, accueil, agent, name="Diallo",
                                                     hour=time(11, 0)),
                         missing=frozenset({"IDENTITE"}))  # blocking: not registered
    action = by_name(panel, QComboBox, "Action")
    action.setCurrentIndex(action.findData("dossier_registered"))
    assert show(qtbot, panel) == "2 événements."
    shown = {panel.model.index(r, 5).data() for r in range(panel.model.rowCount())}
    assert incomplete.number is None
    assert shown == {complete.number, f"sans numéro (incomplet, fiche {incomplete.id})"}
