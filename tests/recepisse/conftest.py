"""Récépissé follow-up fixtures: a site with its signing key, and deposits made the real way
(booked, checked in, called, received, registered complete) on the day the clock says."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.core.clock import PARIS, FixedClock
from rdv_desktop.services.counter.booking import NewAppointment
from rdv_desktop.services.counter.dossiers import DossierView
from rdv_desktop.services.setup import Services
from tests.flows import deposit
from tests.ui_thread_guard import ui_thread_guard  # noqa: F401 (autouse: no session on the UI thread)


@pytest.fixture(autouse=True)
def site_key(services: Services) -> None:
    services.keys.signer(create_if_missing=True)


def deposit_on(services: Services, clock: FixedClock, accueil: Actor, agent: Actor, day: date,
               name: str = "Diallo") -> DossierView:
    """A complete dossier deposited on `day` at 10:00 (the clock is left there)."""
    clock.set(datetime.combine(day, time(10, 0), PARIS))
    view = services.booking.create(accueil, NewAppointment(
        name, "Awa", day, time(10, 0), "AES_SALARIE", date(1990, 5, 1), "Dakar", "sénégalaise"))
    services.appointments.check_in(accueil, view.id, accept_timing=True)
    services.appointments.call(agent, view.id)
    services.appointments.start_service(agent, view.id)
    dossier = deposit(services, agent, view.id)
    assert dossier.complete and dossier.number
    return dossier
