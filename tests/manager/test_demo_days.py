"""The demo's history looks like a préfecture's weeks: nobody booked on a Saturday or a Sunday,
and every deposit registered on its appointment's day, during the working day."""

from __future__ import annotations

from datetime import time

from sqlalchemy import select

from rdv_desktop.models import Appointment, Dossier
from rdv_desktop.services.core.actor import system_actor
from rdv_desktop.services.core.clock import local
from rdv_desktop.services.demo import DemoOptions, generate_demo
from rdv_desktop.services.setup import Services
from tests.conftest import TEST_NOW


def test_demo_weeks_skip_weekends_and_deposits_stay_in_the_day(services: Services) -> None:
    today = local(TEST_NOW).date()  # a Thursday: 9 days back cross a weekend
    generate_demo(services, system_actor("TEST-1"),
                  DemoOptions(today, per_day=12, days_back=9, seed=5))
    with services.ctx.db.read() as s:
        days = set(s.scalars(select(Appointment.slot_date)))
        deposits = s.execute(select(Appointment.slot_date, Dossier.deposited_at)
                             .join(Dossier, Dossier.appointment_id == Appointment.id)).all()
    assert len(days) == 8 and all(day.weekday() < 5 for day in days), sorted(days)
    assert deposits
    for slot_day, deposited in deposits:
        at = local(deposited)
        assert at.date() == slot_day and time(8, 30) <= at.time() <= time(18, 0), at
