"""The waiting-room screen follows calls made at any counter, from any station."""

from __future__ import annotations

from datetime import time

import pytest
from PySide6.QtWidgets import QLabel

from rdv_desktop.models.db import Database
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.core.clock import FixedClock
from rdv_desktop.services.core.context import ServiceContext
from rdv_desktop.services.setup import Services
from rdv_desktop.ui.main_window import MainWindow
from rdv_desktop.ui.waiting_display import WaitingDisplay
from tests.arrival.conftest import Book
from tests.conftest import TEST_NOW, make_actor
from tests.gui.conftest import settle


def by_name(widget, name):
    found = [w for w in widget.findChildren(QLabel) if w.accessibleName() == name]
    assert len(found) == 1, name
    return found[0]


def other_station(db_url: str, tmp_path) -> Services:
    """A second station: its own engine, its own services, the same database."""
    ctx = ServiceContext.create(Database(db_url), "CANTAL", FixedClock(TEST_NOW), "GUICHET-3",
                                tmp_path / "keys-3", tmp_path / "pdf-3")
    return Services.build(ctx)


def open_display(qtbot, services: Services, actor: Actor, chime: bool = False
                 ) -> tuple[MainWindow, WaitingDisplay]:
    """The display as a station opens it: from the main window, fed by its broadcast."""
    window = MainWindow(services, actor, "base de test")
    qtbot.addWidget(window)
    window.queue.timer.stop()  # the test drives the polls
    display = window.open_waiting_display()
    display.chime_on = chime
    settle(qtbot, window)
    return window, display


def poll(qtbot, window: MainWindow) -> None:
    window.queue.poll()
    settle(qtbot, window)


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen has no stacking
def test_display_shows_a_call_made_from_another_session(qtbot, services: Services,
                                                        accueil: Actor, agent: Actor,
                                                        book: Book, db_url: str,
                                                        tmp_path) -> None:
    first, second = book(), book("Petrov", "Ivan", hour=time(10, 15))
    for view in (first, second):
        services.checkin.scan(accueil, view.reference, accept_timing=True)
    services.appointments.call(agent, first.id)
    window, display = open_display(qtbot, services, accueil)
    poll(qtbot, window)  # the feed's first look: from now on
    current = by_name(display, "Dernier appel")
    assert current.text() == "Ticket A001  →  Guichet 1"

    remote = other_station(db_url, tmp_path)
    agent3 = make_actor(remote, "agent3", {"agent"}, counter=3)
    remote.appointments.call(agent3, second.id)
    poll(qtbot, window)
    assert current.text() == "Ticket A002  →  Guichet 3"
    assert by_name(display, "Appel précédent 1").text() == "Ticket A001  →  Guichet 1"
    assert "#ffd54f" in current.styleSheet()  # the new call flashes

    remote.appointments.send_back(agent3, second.id)  # called by mistake: off the screen
    poll(qtbot, window)
    assert current.text() == "Ticket A001  →  Guichet 1"
    remote.ctx.db.dispose()


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_recall_moves_to_the_top_and_chimes(qtbot, services: Services, accueil: Actor,
                                            agent: Actor, book: Book,
                                            clock: FixedClock) -> None:
    first, second = book(), book("Petrov", "Ivan", hour=time(10, 15))
    for view in (first, second):
        services.checkin.scan(accueil, view.reference, accept_timing=True)
    window, display = open_display(qtbot, services, accueil, chime=True)
    poll(qtbot, window)
    assert by_name(display, "Dernier appel").text() == "—"
    services.appointments.call(agent, first.id)
    clock.advance(seconds=20)
    services.appointments.call(agent, second.id, counter_number=2)
    poll(qtbot, window)
    assert display.last_ring in ("son", "bip")
    assert [c.ticket for c in display.calls] == ["A002", "A001"]
    clock.advance(minutes=2)
    services.appointments.call(agent, first.id)  # recall at the same guichet
    poll(qtbot, window)
    assert [c.ticket for c in display.calls] == ["A001", "A002"]
    display.toggle_chime()
    assert "carillon coupé" in display.windowTitle()  # staff's, not on the public screen


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen has no stacking
def test_menu_opens_one_display_window(qtbot, services: Services, accueil: Actor) -> None:
    window, display = open_display(qtbot, services, accueil)
    titles = [a.text() for a in window.view_menu.actions()]
    assert "Écran de la salle d'&attente" in titles
    assert window.open_waiting_display() is display and display.isWindow()
    assert display.isFullScreen()  # it opens full screen
    display.toggle_full_screen()
    assert not display.isFullScreen()
    display.toggle_full_screen()
    assert display.isFullScreen()
