"""Undo of an appointment's latest step, with a reason (see docs/design.md, « Undo »).

Kept apart from the state machine because it works from the audit trail, not from the rules of
each step: the latest not-yet-undone step is undone only if the appointment is still in that
step's « after » state; the permission to undo is the permission of the step; the undo is a
new audit row naming the one it undoes (`undoes`); an undone deposit's dossier is revoked (its
number is never reused).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...errors import InvalidTransition, ValidationError
from ...models import Appointment, AuditEvent, Counter, Dossier, Recepisse
from ..core.actor import Actor
from ..core.audit import jsonable, record
from ..core.clock import fr_date
from ..core.context import ServiceContext
from ..core.text_limits import REASON_MAX, checked_text
from ..recepisse.records import cancel_in
from .appointment_seat import require_counter_free
from .appointment_state import STATE_FIELDS, restore_state, state_of
from .appointment_views import AppointmentView, ViewBuilder
from .stage import Outcome

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
NOTHING_TO_UNDO = "Aucune étape à annuler pour ce rendez-vous."


def last_step(s: Session, appointment_id: int) -> AuditEvent | None:
    """The appointment's latest undoable audit row that no undo has consumed yet (an undo is
    a row of its own naming the row it undoes: audit rows are never updated)."""
    undone = select(AuditEvent.undoes).where(AuditEvent.appointment_id == appointment_id,
                                             AuditEvent.undoes.is_not(None))
    return s.scalar(
        select(AuditEvent)
        .where(
            AuditEvent.appointment_id == appointment_id,
            AuditEvent.action.in_(UNDOABLE),
            AuditEvent.id.not_in(undone),
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )


def rebooking_taken_back(s: Session, rebooked_id: int) -> Appointment:
    """The appointment an incomplete outcome created, if an undo may still cancel it."""
    rebooked = s.get(Appointment, rebooked_id)
    if rebooked is None:
        raise InvalidTransition("Le nouveau rendez-vous créé par cette étape est introuvable.")
    if rebooked.outcome != Outcome.PENDING or rebooked.arrived_at is not None:
        raise InvalidTransition(
            f"Le nouveau rendez-vous du {fr_date(rebooked.slot_date)} a déjà commencé ou est "
            "clôturé : annulez d'abord ses propres étapes.")
    return rebooked


def cancel_rebooking(s: Session, actor: Actor, rebooked_id: int, now: datetime,
                     reason: str) -> None:
    """Cancel (audited) the new appointment an undone incomplete outcome had given."""
    rebooked = rebooking_taken_back(s, rebooked_id)
    s.refresh(rebooked, with_for_update=True)
    before = state_of(rebooked)
    rebooked.outcome, rebooked.finished_at, rebooked.updated_at = (
        Outcome.CANCELLED, now, now)
    record(s, actor, now, "cancel", "appointment", rebooked.id, before=before,
           after=state_of(rebooked), reason=f"Étape annulée sur le dossier précédent : {reason}",
           appointment_id=rebooked.id)


class StepUndo:
    """Undoes steps; `builder` makes the views the state machine returns, for one session."""

    def __init__(self, ctx: ServiceContext, builder: Callable[[Session], ViewBuilder]) -> None:
        self.ctx = ctx
        self.builder = builder

    def last_undoable(self, appointment_id: int) -> tuple[int, str] | None:
        """The (audit id, action) an undo would take back now, or None."""
        with self.ctx.db.read() as s:
            event = last_step(s, appointment_id)
            return (event.id, event.action) if event else None

    def undo(self, actor: Actor, appointment_id: int, reason: str) -> AppointmentView:
        """Put back the state before the latest step; an undone deposit's attestation is revoked."""
        reason = checked_text("Raison de l'annulation", reason, REASON_MAX)
        if not reason:
            raise ValidationError("Indiquez la raison de l'annulation de l'étape.")
        with self.ctx.db.read() as s:
            event = last_step(s, appointment_id)
            if event is None:
                raise InvalidTransition(NOTHING_TO_UNDO)
            permission = UNDOABLE[event.action]
        self.ctx.require(actor, permission)
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            # Counter before appointment, the order every seating step locks in (no deadlock
            # with a station calling this person at the same moment).
            pending = last_step(s, appointment_id)
            seat_id = (pending.before or {}).get("counter_id") if pending is not None else None
            if seat_id is not None:
                s.scalar(select(Counter.id).where(Counter.id == seat_id).with_for_update())
            a = s.scalar(select(Appointment).where(Appointment.id == appointment_id)
                         .with_for_update())
            event = last_step(s, appointment_id)
            if a is None or event is None or event.after is None or event.before is None:
                raise InvalidTransition(NOTHING_TO_UNDO)
            if jsonable(state_of(a)) != {k: event.after.get(k) for k in STATE_FIELDS}:
                raise InvalidTransition("Le rendez-vous a changé depuis : rechargez la liste.")
            before = state_of(a)
            restore_state(a, event.before)
            a.updated_at = now
            counter_id = a.counter_id
            if a.outcome == Outcome.PENDING and a.called_at and counter_id is not None:
                require_counter_free(s, counter_id, a.slot_date, a.id)
            dossier_id = event.after.get("dossier_id")
            if dossier_id is not None:
                dossier = s.get(Dossier, dossier_id)
                if dossier is not None and dossier.revoked_at is None:
                    dossier.revoked_at = now
                    dossier.revoked_reason = f"Étape annulée : {reason}"
            rebooked_id = event.after.get("rebooked_appointment_id")
            if rebooked_id is not None:
                cancel_rebooking(s, actor, rebooked_id, now, reason)
            recepisse_id = event.after.get("recepisse_id")
            if recepisse_id is not None:  # a collection visit: its « récépissé remis » goes too
                handed = s.scalar(select(Recepisse).where(Recepisse.id == recepisse_id)
                                  .with_for_update())
                if handed is not None and handed.cancelled_at is None:
                    cancel_in(s, actor, handed, now, f"Étape annulée : {reason}")
            record(s, actor, now, "undo", "appointment", a.id, before=before,
                   after={**state_of(a), "undone_event": event.id,
                          "undone_action": event.action, "revoked_dossier": dossier_id,
                          "cancelled_appointment": rebooked_id},
                   reason=reason, appointment_id=a.id, undoes=event.id)
            s.flush()
            return self.builder(s).view(a)
