"""Priority and companions (issue 12, item 6), on SQLite and PostgreSQL: the fair order of
« Appeler le suivant », as seen by another station after a reload; companions shown with the
person; refusals change nothing; the audit names roles, never the companions' names."""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rdv_desktop.errors import ValidationError
from rdv_desktop.models import AuditEvent, Companion
from rdv_desktop.models.db import Database
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.core.clock import FixedClock
from rdv_desktop.services.core.context import ServiceContext
from rdv_desktop.services.counter import CompanionEntry, NewAppointment
from rdv_desktop.services.setup import Services
from tests.flows import TODAY

INTERPRETER = CompanionEntry("interpreter", "Hamid Rezaï", "dari")
MOTHER = CompanionEntry("legal_rep", "Aïcha Traoré")


def arrive(services: Services, accueil: Actor, clock: FixedClock, name: str, slot: time,
           arrival: time, priority: str | None = None,
           companions: tuple[CompanionEntry, ...] = ()) -> int:
    view = services.booking.create(accueil, NewAppointment(
        name, "Test", TODAY, slot, "AES_SALARIE", date(1990, 1, 1), priority=priority,
        companions=companions))
    clock.set(clock.now().replace(hour=arrival.hour, minute=arrival.minute))
    services.appointments.check_in(accueil, view.id, accept_timing=True)
    return view.id


def other_station(db_url: str, clock: FixedClock, tmp_path: Path) -> Services:
    """A second PC on the same database: its own engine, its own services."""
    ctx = ServiceContext.create(Database(db_url), "CANTAL", clock, "TEST-2", tmp_path / "keys",
                                tmp_path / "pdf")
    return Services.build(ctx)


def test_priority_people_are_called_first_by_arrival(
        services: Services, accueil: Actor, agent: Actor, clock: FixedClock, db_url: str,
        tmp_path: Path) -> None:
    early = arrive(services, accueil, clock, "Premier", time(9, 0), time(8, 55))
    plain = arrive(services, accueil, clock, "Second", time(9, 30), time(9, 0))
    booked = arrive(services, accueil, clock, "Carte", time(10, 30), time(9, 20), "cmi")
    told = arrive(services, accueil, clock, "Enceinte", time(10, 0), time(9, 10))
    services.desk.set_assistance(accueil, told, "pregnancy", (INTERPRETER,))

    # Another station, after a reload, sees the same priorities and companions, and its
    # « Appeler le suivant » follows the same fair order.
    station = other_station(db_url, clock, tmp_path)
    try:
        agent2 = station.users.authenticate("agent1", "motdepasse-agent1", "TEST-2", 2)
        seen = {v.id: v for v in station.appointments.day(agent2, TODAY)}
        assert seen[told].priority == "pregnancy" and seen[told].companions == (INTERPRETER,)
        assert seen[told].assistance == ("priorité : grossesse — accompagné(e) de : Hamid Rezaï "
                                         "(interprète, dari)")
        assert sorted(seen.values(), key=lambda v: v.queue_key)[0].id == told
        first = station.counter.call_next(agent2).view
    finally:
        station.ctx.db.dispose()
    assert first is not None and first.id == told  # priority, arrived 9:10
    order = [services.counter.call_next(agent).view]
    services.counter.receive(agent)
    assert order[0] is not None and order[0].id == booked  # priority, arrived 9:20
    finished = [early, plain]  # then by slot: 9:00, 9:30
    for expected, counter in zip(finished, (3, 4), strict=True):
        got = services.appointments.call_next(agent, counter)
        assert got is not None and got.id == expected


def test_a_called_priority_person_goes_back_to_slot_order(services: Services, accueil: Actor,
                                                          agent: Actor,
                                                          clock: FixedClock) -> None:
    late_slot = arrive(services, accueil, clock, "Tard", time(11, 0), time(9, 0), "young_child")
    services.counter.call_next(agent)
    view = services.appointments.get(late_slot)
    assert view.called_at is not None
    assert view.queue_key[0] == 1  # no longer waiting: ordered by its slot again


def test_companions_are_checked_and_audited_without_names(services: Services, accueil: Actor,
                                                           clock: FixedClock) -> None:
    person = arrive(services, accueil, clock, "Mineur", time(9, 0), time(8, 50))
    with services.ctx.db.read() as s:
        before = s.scalar(select(func.max(AuditEvent.id)))
    for priority, companions, message in (
            ("vip", (), "Priorité inconnue"),
            (None, (CompanionEntry("interpreter", "Hamid"),), "langue"),
            (None, (CompanionEntry("legal_rep", "  "),), "nom"),
            (None, (CompanionEntry("cousin", "Ali"),), "rôle"),
            (None, (CompanionEntry("legal_rep", "A" * 201),), "caractères"),
            (None, (MOTHER,) * 5, "4 accompagnants")):
        with pytest.raises(ValidationError, match=message):
            services.desk.set_assistance(accueil, person, priority, companions)
    with services.ctx.db.read() as s:
        assert s.scalar(select(func.max(AuditEvent.id))) == before
    result = services.desk.set_assistance(accueil, person, None, (MOTHER, INTERPRETER))
    assert result.view is not None and result.view.companions == (MOTHER, INTERPRETER)
    cleared = services.desk.set_assistance(accueil, person, None, ())
    assert cleared.view is not None and cleared.view.companions == ()
    assert "sans priorité ni accompagnant" in cleared.message
    with services.ctx.db.read() as s:
        rows = s.scalars(select(AuditEvent).where(AuditEvent.action == "assistance")
                         .order_by(AuditEvent.id)).all()
        assert s.scalar(select(func.count(Companion.id))) == 0  # replaced, then cleared
    assert [r.after for r in rows] == [
        {"priority": None, "companions": [{"role": "legal_rep", "language": ""},
                                          {"role": "interpreter", "language": "dari"}]},
        {"priority": None, "companions": []}]
    assert "Traoré" not in str([(r.before, r.after) for r in rows])


def test_the_purge_removes_companions_with_the_identity(services: Services, accueil: Actor,
                                                        admin: Actor, clock: FixedClock) -> None:
    old = arrive(services, accueil, clock, "Ancien", time(9, 0), time(8, 50),
                 companions=(MOTHER,))
    reference = services.appointments.get(old).reference
    seen = services.office.retention.export_person(admin, reference=reference)
    assert seen["appointments"][0]["companions"] == [
        {"role": "legal_rep", "name": "Aïcha Traoré", "language": ""}]
    clock.set(clock.now() + timedelta(days=800))
    report = services.office.retention.purge(admin, 24, confirmed=True)
    assert report.count == 1
    with services.ctx.db.read() as s:
        assert s.scalar(select(func.count(Companion.id))) == 0
