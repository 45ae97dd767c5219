"""Who gets the « Administration » tab, and which screens inside; the services refuse anyway."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QTabWidget

from rdv_desktop.errors import PermissionDenied
from rdv_desktop.services.catalogue.motif_editing import (
    MotifDraft,
    editable_catalogue,
    save_motif,
)
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.setup import Services
from rdv_desktop.ui.main_window import MainWindow
from tests.conftest import make_actor

pytestmark = pytest.mark.gui


def window_tabs(qtbot, services: Services, actor: Actor) -> tuple[list[str], list[str]]:
    win = MainWindow(services, actor, "base de test")
    qtbot.addWidget(win)
    win.queue.timer.stop()
    # Office and administration screens load their data when first shown: the hidden window
    # starts no worker (and, the guard checks, reads nothing on the UI thread either).
    assert all(getattr(screen, "report", None) is None for screen in win.office_screens)
    assert QThreadPool.globalInstance().activeThreadCount() == 0
    tabs = [win.tabs.tabText(i) for i in range(win.tabs.count())]
    inner: QTabWidget | None = win.admin_screen
    return tabs, [inner.tabText(i) for i in range(inner.count())] if inner else []


def test_counter_roles_get_no_administration(qtbot, services: Services, agent: Actor,
                                             accueil: Actor) -> None:
    for actor in (agent, accueil):
        tabs, inner = window_tabs(qtbot, services, actor)
        assert "Administration" not in tabs and inner == []


def test_manager_and_admin_screens(qtbot, services: Services, manager: Actor) -> None:
    tabs, inner = window_tabs(qtbot, services, manager)
    assert tabs[-1] == "Administration"
    assert inner == ["Catalogue des motifs", "Journal d'audit"]
    adm = make_actor(services, "adm", {"admin"})
    tabs, inner = window_tabs(qtbot, services, adm)
    assert "Administration" in tabs
    assert inner == ["Utilisateurs", "Catalogue des motifs", "Site et réglages",
                     "Journal d'audit"]


def test_the_service_refuses_counter_roles(services: Services, agent: Actor) -> None:
    with pytest.raises(PermissionDenied):
        editable_catalogue(services.office.catalogue_editor, agent)
    with pytest.raises(PermissionDenied):
        save_motif(services.office.catalogue_editor, agent,
                   MotifDraft("AES_SALARIE", "x", "", ()))
