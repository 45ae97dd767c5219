"""An agent who signed in at « aucun » guichet (or the wrong one) changes guichet without
signing out: checked (an open guichet; the one left holds nobody) and audited."""

from __future__ import annotations

from datetime import time

import pytest
from PySide6.QtWidgets import QPushButton
from sqlalchemy import select

from rdv_desktop.errors import InvalidTransition, ValidationError
from rdv_desktop.models import AuditEvent
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.counter.booking import NewAppointment
from rdv_desktop.services.setup import Services
from rdv_desktop.ui.counter_dialog import CounterDialog
from rdv_desktop.ui.main_window import MainWindow
from tests.conftest import TEST_NOW, make_actor
from tests.gui.conftest import settle


def waiting(services: Services, accueil: Actor, name: str, hour: time) -> int:
    view = services.booking.create(accueil, NewAppointment(
        name, "Test", TEST_NOW.date(), hour, None, source="walk_in"))
    services.checkin.scan(accueil, view.reference, accept_timing=True)
    return view.id


def changes(services: Services) -> list[tuple[object, object]]:
    with services.ctx.db.read() as s:
        return [((e.before or {}).get("counter"), (e.after or {}).get("counter"))
                for e in s.scalars(select(AuditEvent)
                                   .where(AuditEvent.action == "counter_changed"))]


def test_change_counter_checks_and_audits(services: Services, accueil: Actor) -> None:
    nowhere = make_actor(services, "agent9", {"agent"}, counter=None)
    with pytest.raises(ValidationError, match="Guichet 9 inconnu ou fermé"):
        services.counter.change_counter(nowhere, 9)
    at_two = services.counter.change_counter(nowhere, 2)
    assert at_two.counter_number == 2 and at_two.login == "agent9"
    called = waiting(services, accueil, "Diallo", time(10, 0))
    services.appointments.call_next(at_two)
    with pytest.raises(InvalidTransition, match="Le guichet 2 reçoit encore le ticket A001"):
        services.counter.change_counter(at_two, 3)
    services.appointments.send_back(at_two, called)
    assert services.counter.change_counter(at_two, None).counter_number is None
    assert changes(services) == [(None, 2), (2, None)]
    with pytest.raises(Exception, match="non autorisée"):
        services.counter.change_counter(accueil, 1)


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_agent_signed_in_at_no_guichet_takes_one_from_the_menu(
        qtbot, services: Services, accueil: Actor) -> None:
    nowhere = make_actor(services, "agent8", {"agent"}, counter=None)
    waiting(services, accueil, "Diallo", time(10, 0))
    window = MainWindow(services, nowhere, "base de test")
    qtbot.addWidget(window)
    window.queue.timer.stop()
    window.show()
    settle(qtbot, window)
    assert window.status_station.text().endswith("sans guichet")
    window.queue.call_next()  # refused: no guichet yet
    settle(qtbot, window)
    assert "aucun guichet" in window.queue.message.text()

    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Guichet")
    action = next(a for a in menu.actions() if a.text() == "Changer de &guichet…")
    action.trigger()
    dialog = window.findChildren(CounterDialog)[-1]
    assert dialog.number.text() == "aucun (accueil, bureau)"
    dialog.number.setValue(3)
    assert dialog.note.text() == "Guichet actuel : aucun."
    ok = next(b for b in dialog.findChildren(QPushButton)
              if b.accessibleName() == "Changer de guichet")
    ok.click()
    settle(qtbot, window)
    assert window.actor.counter_number == 3 and window.queue.actor.counter_number == 3
    assert window.status_station.text().endswith("guichet 3")
    assert "au guichet 3" in window.queue.message.text()
    window.queue.call_next()
    settle(qtbot, window)
    assert window.queue.current_label.text().startswith("Guichet 3 : ticket A001")
    assert changes(services) == [(None, 3)]
