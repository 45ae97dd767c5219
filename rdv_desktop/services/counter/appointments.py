"""The appointment state machine: reading, arrival, call, service, outcome; see DESIGN.md.

Each step checks the current state (and the time) inside one write transaction that locks the
row, changes it and writes the audit row; a refused step changes nothing. The engine and the
audited state are in `appointment_state.py`, absence and cancellation in
`appointment_absence.py`, undo (which works from the audit rows) in `appointment_undo.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...errors import InvalidTransition, NotFound, ValidationError
from ...models import Appointment, Counter, Site
from ..core.actor import Actor
from ..core.clock import at_paris, fr_date, fr_time, local
from ..core.context import ServiceContext
from ..core.site_settings import SiteSettings
from .appointment_absence import AbsenceSteps
from .appointment_seat import called_by, require_free, seat_of
from .appointment_state import audited, locked, state_of
from .appointment_undo import StepUndo
from .appointment_views import AppointmentView
from .assistance import fair_order
from .numbering import ticket_number
from .stage import Outcome

# state_of lives in appointment_state; it stays importable from here for the import service.
__all__ = ["FINAL_OUTCOMES", "AppointmentService", "TimingWarning", "state_of"]

FINAL_OUTCOMES = (Outcome.DEPOSITED, Outcome.INCOMPLETE, Outcome.REDIRECTED,
                  Outcome.RECEPISSE_HANDED)


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

    def by_reference(self, reference: str) -> AppointmentView:
        """The appointment of a booking reference: as typed (imports keep theirs), else in
        capitals (the app's own references), as the arrival desk reads a typed one."""
        typed = reference.strip()
        with self.ctx.db.read() as s:
            for candidate in dict.fromkeys((typed, typed.upper())):
                a = s.scalar(select(Appointment).where(Appointment.reference == candidate))
                if a is not None:
                    return self.builder(s).view(a)
        raise NotFound(f"Aucun rendez-vous de référence « {typed} ».")

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
        return self.step(actor, "checkin", appointment_id, "checkin",
                         self.arrival(actor, accept_timing=accept_timing))

    def arrival(self, actor: Actor, *, accept_timing: bool = False
                ) -> Callable[[Session, Appointment, datetime], None]:
        """The check-in rule as a step, so a walk-in can run it in its creating transaction."""

        def change(s: Session, a: Appointment, now: datetime) -> None:
            settings = SiteSettings.read(s)
            early = timedelta(minutes=settings.arrival_early_minutes)
            late = timedelta(minutes=settings.late_after_minutes)
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

        return change

    # -- the counter -------------------------------------------------------------------------

    def call(self, actor: Actor, appointment_id: int, counter_number: int | None = None
             ) -> AppointmentView:
        """Call this person to the counter (or call them again): the counter must be free."""
        self.ctx.require(actor, "counter.serve")
        number = counter_number if counter_number is not None else actor.counter_number
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            a = self.seat(s, actor, appointment_id, number, now)
            s.flush()
            return self.builder(s).view(a)

    def seat(self, s: Session, actor: Actor, appointment_id: int, number: int | None,
             now: datetime) -> Appointment:
        """Call `appointment_id` to counter `number` inside the caller's transaction.

        Locks are always taken counter first, then appointment (as « Appeler le suivant » and
        the outcomes do), so two stations acting on one person never deadlock.
        """
        seat = seat_of(s, number, lock=True)
        a = locked(s, appointment_id)
        self.require_pending(a)
        if a.arrived_at is None:
            raise InvalidTransition("Cette personne n'est pas encore arrivée.")
        if a.service_started_at is not None:
            raise InvalidTransition("Cette personne est déjà au guichet.")
        if a.called_at is not None and a.counter_id != seat.counter_id:
            number = s.scalar(select(Counter.number).where(Counter.id == a.counter_id))
            raise InvalidTransition(f"Cette personne est déjà appelée au guichet {number}"
                                    f"{called_by(s, a)} : un autre guichet ne peut pas "
                                    "l'appeler.")
        require_free(s, seat, local(now).date(), coming=a.id)
        action = "recall" if a.called_at is not None else "call"
        with audited(s, actor, now, action, a):
            a.called_at, a.counter_id, a.agent_id = now, seat.counter_id, actor.user_id
        return a

    def call_next(self, actor: Actor, counter_number: int | None = None) -> AppointmentView | None:
        """The next arrival in fair order: priority people first by arrival, then earliest
        slot, then earliest arrival (`assistance.fair_order`)."""
        self.ctx.require(actor, "counter.serve")
        number = counter_number if counter_number is not None else actor.counter_number
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            seat = seat_of(s, number, lock=True)
            require_free(s, seat, local(now).date())
            query = (
                select(Appointment)
                .where(
                    Appointment.slot_date == local(now).date(),
                    Appointment.outcome == Outcome.PENDING,
                    Appointment.arrived_at.is_not(None),
                    Appointment.called_at.is_(None),
                )
                .order_by(*fair_order())
                .limit(1)
                .with_for_update(skip_locked=True)
            )
            a = s.scalar(query)
            if a is None:
                return None
            with audited(s, actor, now, "call", a):
                a.called_at, a.counter_id, a.agent_id = now, seat.counter_id, actor.user_id
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

