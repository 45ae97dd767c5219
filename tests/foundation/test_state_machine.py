"""The appointment state machine: allowed steps, refused steps, time rules, undo, audit."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from rdv_desktop.errors import InvalidTransition, PermissionDenied, ValidationError
from rdv_desktop.models import Appointment, AuditEvent
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.core.clock import FixedClock
from rdv_desktop.services.counter.appointments import TimingWarning
from rdv_desktop.services.counter.booking import NewAppointment
from rdv_desktop.services.counter.stage import Stage
from rdv_desktop.services.setup import Services

TODAY = date(2026, 11, 26)


def book(services: Services, actor: Actor, hour: time = time(10, 0), day: date = TODAY,
         name: str = "Diallo") -> int:
    new = NewAppointment(name, "Aïssatou", day, hour, "AES_SALARIE", date(1990, 5, 4))
    return services.booking.create(actor, new).id


def audit_actions(services: Services, appointment_id: int) -> list[str]:
    with services.ctx.db.read() as s:
        return list(s.scalars(select(AuditEvent.action).where(
            AuditEvent.appointment_id == appointment_id).order_by(AuditEvent.id)))


def test_full_path_to_counter(services: Services, accueil: Actor, agent: Actor) -> None:
    aid = book(services, accueil)
    view = services.appointments.check_in(accueil, aid)
    assert view.stage is Stage.WAITING and view.ticket == "A001"
    view = services.appointments.call_next(agent)
    assert view is not None and view.id == aid and view.stage is Stage.CALLED
    assert view.counter_number == 1
    view = services.appointments.start_service(agent, aid)
    assert view.stage is Stage.AT_COUNTER
    view = services.appointments.set_outcome(agent, aid, "redirected")
    assert view.stage is Stage.REDIRECTED and view.finished_at is not None
    assert audit_actions(services, aid) == [
        "appointment_created", "checkin", "call", "start_service", "outcome"]


def test_tickets_are_sequential(services: Services, accueil: Actor) -> None:
    ids = [book(services, accueil, time(10, i)) for i in range(3)]
    assert [services.appointments.check_in(accueil, i).ticket for i in ids] == [
        "A001", "A002", "A003"]


@pytest.mark.parametrize(
    "step", ["call", "start_service", "no_show_after_arrival", "second_checkin"]
)
def test_forbidden_transitions_change_nothing(services: Services, accueil: Actor, agent: Actor,
                                              clock: FixedClock, step: str) -> None:
    aid = book(services, accueil)
    if step in ("no_show_after_arrival", "second_checkin"):
        services.appointments.check_in(accueil, aid)
    clock.advance(hours=3)
    before = services.appointments.get(aid)
    with pytest.raises(InvalidTransition):
        if step == "call":
            services.appointments.call(agent, aid)
        elif step == "start_service":
            services.appointments.start_service(agent, aid)
        elif step == "no_show_after_arrival":
            services.appointments.mark_no_show(agent, aid)
        else:
            services.appointments.check_in(accueil, aid)
    assert services.appointments.get(aid) == before


def test_closed_appointment_refuses_every_step(services: Services, accueil: Actor,
                                               agent: Actor) -> None:
    aid = book(services, accueil)
    services.appointments.cancel(accueil, aid, "demande de l'usager")
    for attempt in (lambda: services.appointments.check_in(accueil, aid),
                    lambda: services.appointments.cancel(accueil, aid, "encore")):
        with pytest.raises(InvalidTransition, match="déjà clôturé"):
            attempt()


def test_arrival_time_rules(services: Services, accueil: Actor, clock: FixedClock) -> None:
    early = book(services, accueil, time(11, 30))
    with pytest.raises(TimingWarning, match="En avance de 90 min"):
        services.appointments.check_in(accueil, early)
    late = book(services, accueil, time(9, 0))
    with pytest.raises(TimingWarning, match="En retard de 60 min") as info:
        services.appointments.check_in(accueil, late)
    assert info.value.minutes == 60
    assert services.appointments.check_in(accueil, late, accept_timing=True).arrived_at
    tomorrow = book(services, accueil, time(10, 0), TODAY + timedelta(days=1))
    with pytest.raises(InvalidTransition, match="prévu le 27/11/2026"):
        services.appointments.check_in(accueil, tomorrow, accept_timing=True)


def test_no_show_only_after_slot_and_grace(services: Services, accueil: Actor, agent: Actor,
                                           clock: FixedClock) -> None:
    aid = book(services, accueil, time(10, 0))
    with pytest.raises(InvalidTransition, match="Trop tôt"):
        services.appointments.mark_no_show(agent, aid)
    clock.advance(minutes=31)
    assert services.appointments.mark_no_show(agent, aid).stage is Stage.NO_SHOW


def test_close_day_marks_only_eligible(services: Services, accueil: Actor, agent: Actor,
                                       clock: FixedClock) -> None:
    gone = book(services, accueil, time(9, 0), name="Absent")
    later = book(services, accueil, time(17, 0), name="Plus-Tard")
    came = book(services, accueil, time(10, 0), name="Venu")
    services.appointments.check_in(accueil, came)
    assert services.appointments.close_day(agent, TODAY) == 1
    assert services.appointments.get(gone).outcome == "no_show"
    assert services.appointments.get(later).outcome == "pending"
    assert services.appointments.get(came).outcome == "pending"


def test_undo_restores_previous_state_with_audit(services: Services, accueil: Actor,
                                                 agent: Actor) -> None:
    aid = book(services, accueil)
    services.appointments.check_in(accueil, aid)
    services.appointments.call(agent, aid)
    with pytest.raises(ValidationError):
        services.appointments.undo(agent, aid, "  ")
    view = services.appointments.undo(agent, aid, "mauvaise personne appelée")
    assert view.stage is Stage.WAITING and view.called_at is None and view.ticket == "A001"
    view = services.appointments.undo(accueil, aid, "arrivée enregistrée par erreur")
    assert view.stage is Stage.EXPECTED and view.arrived_at is None
    with services.ctx.db.read() as s:
        undos = s.scalars(select(AuditEvent).where(AuditEvent.action == "undo")).all()
        assert [u.reason for u in undos] == ["mauvaise personne appelée",
                                            "arrivée enregistrée par erreur"]
        assert [u.after["undone_action"] for u in undos] == ["call", "checkin"]
    with pytest.raises(InvalidTransition, match="Aucune étape"):
        services.appointments.undo(accueil, aid, "rien")


def test_undo_needs_the_role_of_the_step(services: Services, accueil: Actor,
                                         agent: Actor) -> None:
    aid = book(services, accueil)
    services.appointments.check_in(accueil, aid)
    services.appointments.call(agent, aid)
    with pytest.raises(PermissionDenied):
        services.appointments.undo(accueil, aid, "pas mon rôle")
    assert services.appointments.get(aid).stage is Stage.CALLED


@pytest.mark.parametrize("use_case", ["call_next", "close_day", "create_user", "load_catalogue"])
def test_role_restrictions_are_enforced_and_audited(services: Services, accueil: Actor,
                                                    use_case: str) -> None:
    calls = {
        "call_next": lambda: services.appointments.call_next(accueil, 1),
        "close_day": lambda: services.appointments.close_day(accueil, TODAY),
        "create_user": lambda: services.users.create_user(accueil, "x", "X", {"admin"},
                                                          "motdepasse"),
        "load_catalogue": lambda: services.catalogue.load_file(accueil),
    }
    with pytest.raises(PermissionDenied, match="non autorisée"):
        calls[use_case]()
    with services.ctx.db.read() as s:
        denied = s.scalars(select(AuditEvent).where(AuditEvent.action == "permission_denied")
                           ).all()
    assert [(d.user_login, d.station) for d in denied] == [("accueil1", "TEST-1")]


def test_call_next_fair_order(services: Services, accueil: Actor, agent: Actor,
                              manager: Actor, clock: FixedClock) -> None:
    first_slot_late_arrival = book(services, accueil, time(9, 50), name="Premier")
    second_slot = book(services, accueil, time(10, 0), name="Second")
    services.appointments.check_in(accueil, second_slot)
    clock.advance(minutes=2)
    services.appointments.check_in(accueil, first_slot_late_arrival)
    assert services.appointments.call_next(agent).id == first_slot_late_arrival
    assert services.appointments.call_next(manager).id == second_slot
    assert services.appointments.call_next(agent, 3) is None  # a free counter: nobody waits


def test_views_hide_orm_objects(services: Services, accueil: Actor) -> None:
    aid = book(services, accueil)
    with services.ctx.db.read() as s:
        assert s.get(Appointment, aid).family_name == "Diallo"
    view = services.appointments.get(aid)
    assert view.full_name == "DIALLO Aïssatou"
    assert view.motif_label.startswith("Admission exceptionnelle au séjour – salarié")
