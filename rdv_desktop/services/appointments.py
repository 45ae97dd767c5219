"""The appointment state machine: reading, arrival, call, service, outcome; see DESIGN.md.

Each step checks the current state (and the time) inside one write transaction that locks the
row, changes it and writes the audit row; a refused step changes nothing. The engine and the
audited state are in `appointment_state.py`, absence and cancellation in
`appointment_absence.py`, undo (which works from the audit rows) in `appointment_undo.py`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import InvalidTransition, NotFound, ValidationError
from ..models import Appointment, Counter, Site
from .actor import Actor
from .appointment_absence import AbsenceSteps
from .appointment_state import audited, locked, state_of
from .appointment_undo import StepUndo
from .appointment_views import AppointmentView
from .clock import at_paris, fr_date, fr_time, local
from .context import ServiceContext
from .numbering import ticket_number

# state_of lives in appointment_state; it stays importable from here for the import service.
__all__ = ["FINAL_OUTCOMES", "AppointmentService", "TimingWarning", "state_of"]

FINAL_OUTCOMES = ("deposited", "incomplete", "redirected")


class TimingWarning(InvalidTransition):
    """Early or late arrival: allowed only once the clerk accepts it."""

    def __init__(self, message: str, minutes: int) -> None:
        super().__init__(message)
        self.minutes = minutes


def _minutes(delta: timedelta) -> int:
    return int(abs(delta.total_seconds()) // 60)


class AppointmentService(AbsenceSteps):
    """The whole state machine; absence and cancellation steps come from `AbsenceSteps`."""

    def __init__(self, ctx: ServiceContext) -> None:
        super().__init__(ctx)
        self.step_undo = StepUndo(ctx, self.builder)

    # -- reading -----------------------------------------------------------------------------

    def get(self, appointment_id: int) -> AppointmentView:
        with self.ctx.db.read() as s:
            a = s.get(Appointment, appointment_id)
            if a is None:
                raise NotFound("Rendez-vous introuvable.")
            return self.builder(s).view(a)

    def day(self, actor: Actor, day: date) -> list[AppointmentView]:
        self.ctx.require(actor, "queue.view")
        with self.ctx.db.read() as s:
            rows = s.scalars(
                select(Appointment)
                .where(Appointment.slot_date == day)
                .order_by(Appointment.slot_time, Appointment.id)
            ).all()
            build = self.builder(s)
            return [build.view(a) for a in rows]

    def site_id(self, s: Session) -> int:
        site_id = s.scalar(select(Site.id).where(Site.code == self.ctx.site_code))
        if site_id is None:
            raise NotFound(f"Site {self.ctx.site_code} absent de la base (rdv-admin init-db).")
        return site_id

    # -- arrival -----------------------------------------------------------------------------

    def check_in(self, actor: Actor, appointment_id: int, *, accept_timing: bool = False
                 ) -> AppointmentView:
        settings = self.ctx.settings()
        early = timedelta(minutes=int(settings["arrival_early_minutes"]))  # type: ignore[arg-type]
        late = timedelta(minutes=int(settings["late_after_minutes"]))  # type: ignore[arg-type]

        def change(s: Session, a: Appointment, now: datetime) -> None:
            if a.arrived_at is not None:
                raise InvalidTransition(
                    f"Déjà enregistré à {fr_time(a.arrived_at)} (poste {a.arrival_station}, "
                    f"ticket {a.ticket})."
                )
            self.require_pending(a)
            today = local(now).date()
            if a.slot_date != today:
                raise InvalidTransition(
                    f"Ce rendez-vous est prévu le {fr_date(a.slot_date)} à {fr_time(a.slot_time)}"
                    ", pas aujourd'hui."
                )
            slot = at_paris(a.slot_date, a.slot_time)
            if not accept_timing and now < slot - early:
                ahead = _minutes(slot - now)
                raise TimingWarning(
                    f"En avance de {ahead} min (rendez-vous à {fr_time(a.slot_time)}).", ahead
                )
            if not accept_timing and now > slot + late:
                behind = _minutes(now - slot)
                raise TimingWarning(
                    f"En retard de {behind} min (rendez-vous à {fr_time(a.slot_time)}).", behind
                )
            a.arrived_at = now
            a.arrival_station = actor.station
            a.ticket = ticket_number(s, self.ctx.site_code, today.isoformat())

        return self.step(actor, "checkin", appointment_id, "checkin", change)

    # -- the counter -------------------------------------------------------------------------

    def _counter_id(self, s: Session, number: int | None) -> int:
        if number is None:
            raise ValidationError("Ce poste n'est rattaché à aucun guichet (configuration).")
        counter_id = s.scalar(
            select(Counter.id).where(Counter.number == number, Counter.active.is_(True))
        )
        if counter_id is None:
            raise ValidationError(f"Guichet {number} inconnu ou fermé.")
        return counter_id

    def call(self, actor: Actor, appointment_id: int, counter_number: int | None = None
             ) -> AppointmentView:
        number = counter_number if counter_number is not None else actor.counter_number

        def change(s: Session, a: Appointment, now: datetime) -> None:
            self.require_pending(a)
            if a.arrived_at is None:
                raise InvalidTransition("Cette personne n'est pas encore arrivée.")
            if a.service_started_at is not None:
                raise InvalidTransition("Cette personne est déjà au guichet.")
            counter_id = self._counter_id(s, number)
            if a.called_at is not None and a.counter_id != counter_id:
                raise InvalidTransition("Cette personne est déjà appelée à un autre guichet.")
            a.called_at, a.counter_id, a.agent_id = now, counter_id, actor.user_id

        with self.ctx.db.read() as s:
            recall = s.scalar(select(Appointment.called_at).where(Appointment.id == appointment_id))
        action = "recall" if recall is not None else "call"
        return self.step(actor, "counter.serve", appointment_id, action, change)

    def call_next(self, actor: Actor, counter_number: int | None = None) -> AppointmentView | None:
        """The longest-waiting arrival: earliest slot first, then earliest arrival."""
        self.ctx.require(actor, "counter.serve")
        number = counter_number if counter_number is not None else actor.counter_number
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            counter_id = self._counter_id(s, number)
            query = (
                select(Appointment)
                .where(
                    Appointment.slot_date == local(now).date(),
                    Appointment.outcome == "pending",
                    Appointment.arrived_at.is_not(None),
                    Appointment.called_at.is_(None),
                )
                .order_by(Appointment.slot_time, Appointment.arrived_at, Appointment.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            )
            a = s.scalar(query)
            if a is None:
                return None
            with audited(s, actor, now, "call", a):
                a.called_at, a.counter_id, a.agent_id = now, counter_id, actor.user_id
            s.flush()
            return self.builder(s).view(a)

    def send_back(self, actor: Actor, appointment_id: int) -> AppointmentView:
        def change(s: Session, a: Appointment, now: datetime) -> None:
            self.require_pending(a)
            if a.called_at is None or a.service_started_at is not None:
                raise InvalidTransition("Seule une personne appelée peut retourner en attente.")
            a.called_at = a.counter_id = a.agent_id = None

        return self.step(actor, "counter.serve", appointment_id, "send_back", change)

    def start_service(self, actor: Actor, appointment_id: int) -> AppointmentView:
        def change(s: Session, a: Appointment, now: datetime) -> None:
            self.require_pending(a)
            if a.called_at is None:
                raise InvalidTransition("Appelez d'abord la personne.")
            if a.service_started_at is not None:
                raise InvalidTransition("Cette personne est déjà au guichet.")
            a.service_started_at, a.agent_id = now, actor.user_id

        return self.step(actor, "counter.serve", appointment_id, "start_service", change)

    def finish(self, s: Session, actor: Actor, a: Appointment, outcome: str, now: datetime,
               extra: dict[str, Any] | None = None) -> None:
        """Close a served appointment inside the caller's transaction (deposit, redirect)."""
        if outcome not in FINAL_OUTCOMES:
            raise ValidationError(f"Issue inconnue : {outcome}")
        self.require_pending(a)
        if a.service_started_at is None:
            raise InvalidTransition("La personne n'est pas au guichet.")
        with audited(s, actor, now, "outcome", a) as after:
            a.outcome, a.finished_at, a.agent_id = outcome, now, actor.user_id
            after.update(extra or {})

    def set_outcome(self, actor: Actor, appointment_id: int, outcome: str) -> AppointmentView:
        """An outcome without a dossier of its own (redirect to ANEF)."""
        self.ctx.require(actor, "dossier.deposit")
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            a = locked(s, appointment_id)
            self.finish(s, actor, a, outcome, now)
            s.flush()
            return self.builder(s).view(a)

    # -- undo --------------------------------------------------------------------------------

    def last_undoable(self, appointment_id: int) -> tuple[int, str] | None:
        return self.step_undo.last_undoable(appointment_id)

    def undo(self, actor: Actor, appointment_id: int, reason: str) -> AppointmentView:
        """Put back the state before the latest step (see `appointment_undo.StepUndo`)."""
        return self.step_undo.undo(actor, appointment_id, reason)

