"""The manager's screens (and the pieces awaited, which the desk and counter record too),
added to the main window only for actors whose roles allow them (the services refuse the
others anyway: hiding the tabs is comfort, not protection)."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QWidget

from ..services.core import Actor
from ..services.setup import Services
from .executor import DbExecutor


class ScreenHost(Protocol):
    def add_screen(self, widget: QWidget, title: str) -> None: ...


def add_office_screens(host: ScreenHost, services: Services, actor: Actor,
                       executor: DbExecutor | None = None) -> list[QWidget]:
    """The manager's tabs; `executor` is the window's (a host without one gets its own)."""
    screens: list[QWidget] = []
    if actor.may("stats"):
        from .dashboard_panel import DashboardPanel

        screens.append(DashboardPanel(services, actor))
        host.add_screen(screens[-1], "Tableau de bord")
    if actor.may("review"):
        from .review_panel import ReviewPanel

        screens.append(ReviewPanel(services, actor))
        host.add_screen(screens[-1], "Contrôle des dépôts")
    if actor.may("recepisse.follow"):
        from .recepisse_panel import TITLE, RecepissePanel

        panel = RecepissePanel(services, actor, executor or DbExecutor())
        if executor is None:
            panel.executor.setParent(panel)
        screens.append(panel)
        host.add_screen(panel, TITLE)
    if actor.may("dossier.complete"):
        from .pieces_awaited_panel import PiecesAwaitedPanel

        screens.append(PiecesAwaitedPanel(services, actor))
        host.add_screen(screens[-1], "Pièces attendues")
    return screens
