"""The demo looks like a real préfecture's day: slots within opening hours, today included,
and dossier numbers that follow their deposit times."""

from __future__ import annotations

from datetime import time

from sqlalchemy import select

from rdv_desktop.models import Appointment, Dossier
from rdv_desktop.services.core.actor import system_actor
from rdv_desktop.services.core.clock import local
from rdv_desktop.services.demo import CLOSING, OPENING, DemoOptions, generate_demo
from rdv_desktop.services.setup import Services
from tests.conftest import TEST_NOW


def test_demo_days_are_within_opening_hours_and_numbers_follow_time(services: Services) -> None:
    today = local(TEST_NOW).date()
    summary = generate_demo(services, system_actor("TEST-1"),
                            DemoOptions(today, per_day=30, days_back=6, seed=3))
    assert summary.today == 30 and summary.deposits > 10
    with services.ctx.db.read() as s:
        slots = s.execute(select(Appointment.slot_date, Appointment.slot_time)).all()
        numbered = s.execute(select(Dossier.number, Dossier.deposited_at)
                             .where(Dossier.number.is_not(None))
                             .order_by(Dossier.number)).all()
    assert {day for day, _ in slots} >= {today}
    assert all(OPENING <= slot < CLOSING for _, slot in slots), sorted({t for _, t in slots})
    assert min(slot for _, slot in slots) >= time(8, 30)
    times = [deposited for _, deposited in numbered]
    assert times == sorted(times)  # CANTAL-2026-000002 was deposited after 000001
