"""Arrival-desk fixtures: today's appointments with real signed convocation codes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time

import pytest
from sqlalchemy import func, select

from rdv_desktop.models import Appointment, AuditEvent
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.counter.appointment_views import AppointmentView
from rdv_desktop.services.counter.booking import NewAppointment
from rdv_desktop.services.setup import Services
from rdv_desktop.ui.checkin_panel import CheckInPanel
from tests.ui_thread_guard import ui_thread_guard  # noqa: F401 (autouse: UI code never opens a session on the main thread)

TODAY = date(2026, 11, 26)

Book = Callable[..., AppointmentView]


@pytest.fixture
def book(services: Services, accueil: Actor) -> Book:
    """Create an appointment the real way (the booking service)."""

    def make(name: str = "Diallo", given: str = "Aïssatou", *, hour: time = time(10, 0),
             day: date = TODAY, birth: date | None = date(1990, 5, 17),
             motif: str | None = "AES_SALARIE", source: str = "manual") -> AppointmentView:
        return services.booking.create(accueil, NewAppointment(
            name, given, day, hour, motif, birth, "Conakry", "guinéenne", source=source))

    return make


@pytest.fixture
def code_of(services: Services) -> Callable[[AppointmentView], str]:
    """The signed check-in code printed on the convocation of an appointment."""
    signer = services.keys.signer(create_if_missing=True)
    return lambda view: services.documents.checkin_code(view, signer)  # type: ignore[arg-type]


@pytest.fixture
def panel(qtbot, services: Services, accueil: Actor) -> CheckInPanel:
    """The arrival desk alone, shown, signed in as the accueil."""
    desk = CheckInPanel(services, accueil)
    qtbot.addWidget(desk)
    desk.show()
    qtbot.waitExposed(desk)
    return desk


def audit_count(services: Services, action: str | None = None) -> int:
    """Audit rows (of one action); without one, every row but the audit of refused scans
    themselves (a refusal changes nothing, and says so in the audit)."""
    query = select(func.count(AuditEvent.id))
    if action is not None:
        query = query.where(AuditEvent.action == action)
    else:
        query = query.where(AuditEvent.action != "scan_refused")
    with services.ctx.db.read() as s:
        return s.scalar(query) or 0


def arrivals(services: Services) -> int:
    with services.ctx.db.read() as s:
        return s.scalar(select(func.count(Appointment.id))
                        .where(Appointment.arrived_at.is_not(None))) or 0


def shown_window(qtbot, services: Services, actor: Actor):
    """A real main window on screen for `actor` (tests/gui/conftest.py's)."""
    from tests.gui.conftest import shown_window as shown

    return shown(qtbot, services, actor)
