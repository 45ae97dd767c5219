"""The « Administration » tab: one inner tab per screen the actor's roles allow.

Counter roles (accueil, agent) get no tab at all; a manager sees the catalogue and the audit log,
an administrator everything. The services refuse the others anyway: this is comfort.
"""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget

from ..services.core import Actor
from ..services.setup import Services
from .office_screens import ScreenHost

TITLE = "Administration"


def admin_screens(services: Services, actor: Actor) -> list[tuple[QWidget, str]]:
    screens: list[tuple[QWidget, str]] = []
    if actor.may("users.manage"):
        from .admin_users import UsersPanel

        screens.append((UsersPanel(services, actor), "Utilisateurs"))
    if actor.may("catalogue.edit"):
        from .admin_catalogue import CataloguePanel

        screens.append((CataloguePanel(services, actor), "Catalogue des motifs"))
    if actor.may("settings.manage"):
        from .admin_settings import SettingsPanel

        screens.append((SettingsPanel(services, actor), "Site et réglages"))
    if actor.may("audit.view"):
        from .audit_log_panel import AuditLogPanel

        screens.append((AuditLogPanel(services, actor), "Journal d'audit"))
    return screens


def add_admin_screen(host: ScreenHost, services: Services, actor: Actor) -> QTabWidget | None:
    screens = admin_screens(services, actor)
    if not screens:
        return None
    tabs = QTabWidget()
    tabs.setAccessibleName(TITLE)
    for widget, title in screens:
        tabs.addTab(widget, title)
    host.add_screen(tabs, TITLE)
    return tabs
