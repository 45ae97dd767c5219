"""The appointment state machine: arrival, call, service, outcome, absence, cancellation, undo.

Each step checks the current state (and the time) inside one write transaction that locks the
row, changes it and writes the audit row; a refused step changes nothing. See DESIGN.md.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import InvalidTransition, NotFound, ValidationError
from ..models import Appointment, AuditEvent, Counter, Dossier, Site
from .actor import Actor
from .appointment_views import AppointmentView, ViewBuilder
from .audit import jsonable, record
from .clock import at_paris, fr_date, fr_time, local
from .context import ServiceContext
from .numbering import ticket_number
from .stage import OUTCOME_LABELS

STATE_FIELDS = (
    "outcome", "arrived_at", "ticket", "arrival_station", "called_at", "counter_id",
    "service_started_at", "finished_at", "agent_id",
)
DATETIME_FIELDS = {"arrived_at", "called_at", "service_started_at", "finished_at"}
FINAL_OUTCOMES = ("deposited", "incomplete", "redirected")
# Audited step → the permission needed to do it, and so to undo it.
UNDOABLE = {
    "checkin": "checkin",
    "call": "counter.serve",
    "recall": "counter.serve",
    "send_back": "counter.serve",
    "start_service": "counter.serve",
    "outcome": "dossier.deposit",
    "no_show": "day.close",
    "cancel": "appointment.cancel",
}


class TimingWarning(InvalidTransition):
    """Early or late arrival: allowed only once the clerk accepts it."""

    def __init__(self, message: str, minutes: int) -> None:
        super().__init__(message)
        self.minutes = minutes


def state_of(a: Appointment) -> dict[str, Any]:
    return {f: getattr(a, f) for f in STATE_FIELDS}


def _restore(a: Appointment, state: dict[str, Any]) -> None:
    for key in STATE_FIELDS:
        value = state.get(key)
        if key in DATETIME_FIELDS and isinstance(value, str):
            value = datetime.fromisoformat(value)
        setattr(a, key, value)


def _minutes(delta: timedelta) -> int:
    return int(abs(delta.total_seconds()) // 60)


class AppointmentService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- reading -----------------------------------------------------------------------------

    def builder(self, session: Session) -> ViewBuilder:
        late = int(self.ctx.setting("late_after_minutes"))  # type: ignore[arg-type]
        return ViewBuilder(session, self.ctx.clock.now(), late)

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

    # -- the transition engine ---------------------------------------------------------------

    def _step(
        self,
        actor: Actor,
        permission: str,
        appointment_id: int,
        action: str,
        change: Callable[[Session, Appointment, datetime], dict[str, Any] | None],
        reason: str | None = None,
    ) -> AppointmentView:
        self.ctx.require(actor, permission)
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            a = s.scalar(
                select(Appointment).where(Appointment.id == appointment_id).with_for_update()
            )
            if a is None:
                raise NotFound("Rendez-vous introuvable.")
            before = state_of(a)
            extra = change(s, a, now) or {}
            a.updated_at = now
            after = {**state_of(a), **extra}
            record(s, actor, now, action, "appointment", a.id, before=before, after=after,
                   reason=reason, appointment_id=a.id)
            s.flush()
            return self.builder(s).view(a)

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
            self._require_pending(a)
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

        return self._step(actor, "checkin", appointment_id, "checkin", change)

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
            self._require_pending(a)
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
        return self._step(actor, "counter.serve", appointment_id, action, change)

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
            before = state_of(a)
            a.called_at, a.counter_id, a.agent_id = now, counter_id, actor.user_id
            a.updated_at = now
            record(s, actor, now, "call", "appointment", a.id, before=before, after=state_of(a),
                   appointment_id=a.id)
            s.flush()
            return self.builder(s).view(a)

    def send_back(self, actor: Actor, appointment_id: int) -> AppointmentView:
        def change(s: Session, a: Appointment, now: datetime) -> None:
            self._require_pending(a)
            if a.called_at is None or a.service_started_at is not None:
                raise InvalidTransition("Seule une personne appelée peut retourner en attente.")
            a.called_at = a.counter_id = a.agent_id = None

        return self._step(actor, "counter.serve", appointment_id, "send_back", change)

    def start_service(self, actor: Actor, appointment_id: int) -> AppointmentView:
        def change(s: Session, a: Appointment, now: datetime) -> None:
            self._require_pending(a)
            if a.called_at is None:
                raise InvalidTransition("Appelez d'abord la personne.")
            if a.service_started_at is not None:
                raise InvalidTransition("Cette personne est déjà au guichet.")
            a.service_started_at, a.agent_id = now, actor.user_id

        return self._step(actor, "counter.serve", appointment_id, "start_service", change)

    def finish(self, s: Session, actor: Actor, a: Appointment, outcome: str, now: datetime,
               extra: dict[str, Any] | None = None) -> None:
        """Close a served appointment inside the caller's transaction (deposit, redirect)."""
        if outcome not in FINAL_OUTCOMES:
            raise ValidationError(f"Issue inconnue : {outcome}")
        self._require_pending(a)
        if a.service_started_at is None:
            raise InvalidTransition("La personne n'est pas au guichet.")
        before = state_of(a)
        a.outcome, a.finished_at, a.agent_id, a.updated_at = outcome, now, actor.user_id, now
        record(s, actor, now, "outcome", "appointment", a.id, before=before,
               after={**state_of(a), **(extra or {})}, appointment_id=a.id)

    def set_outcome(self, actor: Actor, appointment_id: int, outcome: str) -> AppointmentView:
        """An outcome without a dossier of its own (redirect to ANEF)."""
        self.ctx.require(actor, "dossier.deposit")
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            a = s.scalar(select(Appointment).where(Appointment.id == appointment_id)
                         .with_for_update())
            if a is None:
                raise NotFound("Rendez-vous introuvable.")
            self.finish(s, actor, a, outcome, now)
            s.flush()
            return self.builder(s).view(a)

    # -- absence and cancellation ------------------------------------------------------------

    def _no_show_deadline(self, a: Appointment) -> datetime:
        grace = int(self.ctx.setting("no_show_grace_minutes"))  # type: ignore[arg-type]
        return at_paris(a.slot_date, a.slot_time) + timedelta(minutes=grace)

    def mark_no_show(self, actor: Actor, appointment_id: int) -> AppointmentView:
        def change(s: Session, a: Appointment, now: datetime) -> None:
            self._require_pending(a)
            if a.arrived_at is not None:
                raise InvalidTransition("Cette personne est arrivée : elle n'est pas absente.")
            deadline = self._no_show_deadline(a)
            if now < deadline:
                raise InvalidTransition(
                    f"Trop tôt pour déclarer l'absence : possible à partir de {fr_time(deadline)}"
                    f" le {fr_date(local(deadline).date())}."
                )
            a.outcome, a.finished_at = "no_show", now

        return self._step(actor, "day.close", appointment_id, "no_show", change)

    def close_day(self, actor: Actor, day: date) -> int:
        """Mark absent everyone of `day` who never came and whose grace period is over."""
        self.ctx.require(actor, "day.close")
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            rows = s.scalars(
                select(Appointment).where(
                    Appointment.slot_date == day,
                    Appointment.outcome == "pending",
                    Appointment.arrived_at.is_(None),
                ).with_for_update()
            ).all()
            marked = 0
            for a in rows:
                if now < self._no_show_deadline(a):
                    continue
                before = state_of(a)
                a.outcome, a.finished_at, a.updated_at = "no_show", now, now
                record(s, actor, now, "no_show", "appointment", a.id, before=before,
                       after=state_of(a), reason="clôture de la journée", appointment_id=a.id)
                marked += 1
            record(s, actor, now, "day_closed", "day", day.isoformat(), after={"absents": marked})
            return marked

    def cancel(self, actor: Actor, appointment_id: int, reason: str) -> AppointmentView:
        if not reason.strip():
            raise ValidationError("Indiquez le motif de l'annulation.")

        def change(s: Session, a: Appointment, now: datetime) -> None:
            self._require_pending(a)
            if a.arrived_at is not None:
                raise InvalidTransition("La personne est arrivée : annulez d'abord son arrivée.")
            a.outcome, a.finished_at = "cancelled", now

        return self._step(actor, "appointment.cancel", appointment_id, "cancel", change,
                          reason=reason.strip())

    # -- undo --------------------------------------------------------------------------------

    def last_undoable(self, appointment_id: int) -> tuple[int, str] | None:
        with self.ctx.db.read() as s:
            event = self._last_event(s, appointment_id)
            return (event.id, event.action) if event else None

    def _last_event(self, s: Session, appointment_id: int) -> AuditEvent | None:
        return s.scalar(
            select(AuditEvent)
            .where(
                AuditEvent.appointment_id == appointment_id,
                AuditEvent.action.in_(UNDOABLE),
                AuditEvent.undone_by.is_(None),
            )
            .order_by(AuditEvent.id.desc())
            .limit(1)
        )

    def undo(self, actor: Actor, appointment_id: int, reason: str) -> AppointmentView:
        """Put back the state before the latest step; an undone deposit's attestation is revoked."""
        if not reason.strip():
            raise ValidationError("Indiquez la raison de l'annulation de l'étape.")
        with self.ctx.db.read() as s:
            event = self._last_event(s, appointment_id)
            if event is None:
                raise InvalidTransition("Aucune étape à annuler pour ce rendez-vous.")
            permission = UNDOABLE[event.action]
        self.ctx.require(actor, permission)
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            a = s.scalar(select(Appointment).where(Appointment.id == appointment_id)
                         .with_for_update())
            event = self._last_event(s, appointment_id)
            if a is None or event is None or event.after is None or event.before is None:
                raise InvalidTransition("Aucune étape à annuler pour ce rendez-vous.")
            if jsonable(state_of(a)) != {k: event.after.get(k) for k in STATE_FIELDS}:
                raise InvalidTransition("Le rendez-vous a changé depuis : rechargez la liste.")
            before = state_of(a)
            _restore(a, event.before)
            a.updated_at = now
            dossier_id = event.after.get("dossier_id")
            if dossier_id is not None:
                dossier = s.get(Dossier, dossier_id)
                if dossier is not None and dossier.revoked_at is None:
                    dossier.revoked_at = now
                    dossier.revoked_reason = f"Étape annulée : {reason.strip()}"
            undo = record(s, actor, now, "undo", "appointment", a.id, before=before,
                          after={**state_of(a), "undone_event": event.id,
                                 "undone_action": event.action, "revoked_dossier": dossier_id},
                          reason=reason.strip(), appointment_id=a.id)
            event.undone_by = undo.id
            s.flush()
            return self.builder(s).view(a)

    @staticmethod
    def _require_pending(a: Appointment) -> None:
        if a.outcome != "pending":
            raise InvalidTransition(
                f"Rendez-vous déjà clôturé ({OUTCOME_LABELS[a.outcome]})."
            )
