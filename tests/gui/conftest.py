"""GUI fixtures: a real main window on a real database, signed in as a real agent."""

from __future__ import annotations

import pytest

from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.core.clock import local_today
from rdv_desktop.services.counter import ChecklistSetup
from rdv_desktop.services.setup import Services
from rdv_desktop.ui.main_window import MainWindow
from tests.ui_thread_guard import ui_thread_guard  # noqa: F401 (autouse: UI code never opens a session on the main thread)


@pytest.fixture
def window(qtbot, services: Services, agent: Actor) -> MainWindow:
    return shown_window(qtbot, services, agent)


def shown_window(qtbot, services: Services, actor: Actor, *, closed_by_qtbot: bool = True
                 ) -> MainWindow:
    """A real main window on screen for `actor`; the test drives the queue's polls. A window
    the test signs out of deletes itself: not qtbot's to close (`closed_by_qtbot=False`)."""
    win = MainWindow(services, actor, "base de test")
    if closed_by_qtbot:
        qtbot.addWidget(win)
    win.queue.timer.stop()  # tests drive polling explicitly
    win.show()
    qtbot.waitExposed(win)
    settle(qtbot, win)
    return win


def checklist_setup(services: Services, fee_cents: int | None = None) -> ChecklistSetup:
    """What the window fetches before opening a checklist, for any actor (tests open it
    directly): the current catalogue, a fee, the services' day."""
    return ChecklistSetup(services.catalogue.current(), fee_cents,
                          local_today(services.ctx.clock))


def settle(qtbot, win: MainWindow, timeout: int = 10000) -> None:
    """Wait until every database call and render the window started has answered."""
    qtbot.waitUntil(win.executor.is_idle, timeout=timeout)
