"""A locked desk takes no scan: the scanner's burst lands on the lock screen, checks nobody in."""

from __future__ import annotations

from collections.abc import Callable

from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.counter.appointment_views import AppointmentView
from rdv_desktop.services.setup import Services
from tests.arrival.conftest import Book, arrivals, audit_count
from tests.arrival.test_desk_focus import scanner_burst
from tests.conftest import password_of
from tests.gui.conftest import settle, shown_window
from tests.gui.test_session_lock import unlock_with


def test_a_scan_on_a_locked_desk_checks_nobody_in(
        qtbot, services: Services, accueil: Actor, book: Book,
        code_of: Callable[[AppointmentView], str]) -> None:
    view = book()
    window = shown_window(qtbot, services, accueil)
    desk = window.checkin
    assert desk is not None and window.desk_shown() is desk
    desk.focus_scan()
    qtbot.waitUntil(desk.scan.hasFocus)
    window.session.lock()
    scanner_burst(qtbot, window.session.screen.password, code_of(view))
    scanner_burst(qtbot, desk.scan, code_of(view))  # even sent to the hidden scan field
    settle(qtbot, window)
    assert arrivals(services) == 0
    screen = window.session.screen
    assert screen.password.text() == "" and "Scan ignoré" in screen.message.text()
    assert audit_count(services, "login_failed") == 0  # the burst was no password attempt

    unlock_with(qtbot, window, password_of("accueil1"))
    qtbot.waitUntil(desk.scan.hasFocus)  # the next scan lands where it should
    with qtbot.waitSignal(desk.scan_finished, timeout=10_000):
        scanner_burst(qtbot, desk.scan, code_of(view))
    assert arrivals(services) == 1
