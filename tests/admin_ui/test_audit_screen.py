"""The audit-log viewer: filters run in the service, the table shows exactly what matched."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton

from rdv_desktop.services.actor import Actor
from rdv_desktop.services.admin import AUDIT_LIMIT, AuditFilter
from rdv_desktop.services.clock import local_today
from rdv_desktop.services.setup import Services
from rdv_desktop.ui.audit_log_panel import AuditLogPanel
from tests.admin_ui.conftest import by_name
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
    assert show(qtbot, panel) == "3 ligne(s)."  # chef (fixture), alice, bruno
    assert {e.action for e in panel.model.entries} == {"user_created"}
    assert panel.model.index(0, 3).data() == "Compte créé"
    assert "Après" in panel.detail.toHtml()

    by_name(panel, QLineEdit, "Utilisateur").setText("system")
    action.setCurrentIndex(action.findData("user_deactivated"))
    assert show(qtbot, panel) == "1 ligne(s)."
    assert panel.model.entries[0].entity_id is not None


def test_inverted_period_is_explained(qtbot, panel: AuditLogPanel) -> None:
    panel.start.setDate(panel.end.date().addDays(1))
    assert "Période inversée" in show(qtbot, panel)
    assert panel.model.rowCount() == 0


def test_the_limit_is_said(qtbot, panel: AuditLogPanel, services: Services,
                           manager: Actor) -> None:
    today = local_today(services.ctx.clock)
    total = len(services.office.admin.audit_log(manager, AuditFilter(today, today)))
    assert total > 2 and panel.limit == AUDIT_LIMIT
    panel.limit = 2
    assert show(qtbot, panel).startswith("2 premières lignes (les plus récentes)")
    assert panel.model.rowCount() == 2


def test_first_look_loads_the_last_week(qtbot, panel: AuditLogPanel) -> None:
    count = by_name(panel, QLabel, "Nombre de lignes du journal")
    assert panel.model.rowCount() == 0
    panel.show()
    qtbot.waitUntil(lambda: count.text().endswith("ligne(s)."), timeout=10_000)
    assert panel.model.rowCount() > 0
    assert all(e.at.date() >= panel.start.date().toPython() for e in panel.model.entries)
