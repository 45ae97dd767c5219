"""Manager-office fixtures: a month of demo history generated through the real dossier path."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from rdv_desktop.models import Appointment
from rdv_desktop.services.actor import Actor
from rdv_desktop.services.demo import DemoOptions, generate_demo
from rdv_desktop.services.setup import Services
from tests.conftest import make_actor

TODAY = date(2026, 11, 26)


@pytest.fixture
def manager(services: Services) -> Actor:
    """A manager whose login does not collide with the demo's « chef »."""
    return make_actor(services, "direction", {"manager"}, counter=2)


@pytest.fixture
def history(services: Services, admin: Actor) -> Services:
    generate_demo(services, admin, DemoOptions(TODAY, per_day=16, days_back=30, seed=7))
    return services


def appointment_rows(services: Services, start: date, end: date) -> list[Appointment]:
    """The appointments of [start, end] read straight from the table, for expected values."""
    with services.ctx.db.read() as s:
        return list(s.scalars(select(Appointment).where(
            Appointment.slot_date.between(start, end))))
