"""One current person per counter: whoever is called to a guichet, or at it, today.

A counter's actions (recall, send back, receive, the checklist) apply to that person, never to a
selected row. The rule is checked in the service, under the counter row's lock, so two stations
signed in on the same counter number cannot both seat someone: the second one is told who holds
the counter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...errors import InvalidTransition, ValidationError
from ...models import Appointment, Counter, User
from .stage import Outcome


@dataclass(frozen=True)
class Seat:
    """The counter a person is called to, as the rule needs it."""

    counter_id: int
    number: int


def seat_of(s: Session, number: int | None, *, lock: bool) -> Seat:
    """The active counter `number`; locked for the rest of the transaction when `lock`."""
    if number is None:
        raise ValidationError("Ce poste n'est rattaché à aucun guichet (configuration).")
    query = select(Counter.id).where(Counter.number == number, Counter.active.is_(True))
    counter_id = s.scalar(query.with_for_update() if lock else query)
    if counter_id is None:
        raise ValidationError(f"Guichet {number} inconnu ou fermé.")
    return Seat(counter_id, number)


def current_at(s: Session, counter_id: int, day: date) -> Appointment | None:
    """The pending appointment of `day` called to or served at the counter, if any."""
    return s.scalar(
        select(Appointment)
        .where(
            Appointment.counter_id == counter_id,
            Appointment.slot_date == day,
            Appointment.outcome == Outcome.PENDING,
            Appointment.called_at.is_not(None),
        )
        .order_by(Appointment.called_at.desc(), Appointment.id.desc())
        .limit(1)
    )


def called_by(s: Session, a: Appointment) -> str:
    """« par Marc Guichet » for whoever called or serves `a`, to say who holds it."""
    name = s.scalar(select(User.display_name).where(User.id == a.agent_id)) if a.agent_id else None
    return f" par {name}" if name else ""


def holder_text(s: Session, seat: Seat, holder: Appointment) -> str:
    who = holder.ticket or holder.reference
    by = called_by(s, holder)
    if holder.service_started_at is not None:
        return (f"Guichet {seat.number} : {who} est au guichet (reçu{by}) — terminez d'abord "
                "son dossier (dépôt, dossier incomplet ou réorientation).")
    return (f"Guichet {seat.number} : {who} est déjà appelé{by} — Rappeler, Renvoyer en "
            "attente ou Recevoir.")


def require_free(s: Session, seat: Seat, day: date, coming: int | None = None) -> None:
    """Refuse to seat anyone but `coming` while the (locked) counter holds another person."""
    holder = current_at(s, seat.counter_id, day)
    if holder is not None and holder.id != coming:
        raise InvalidTransition(holder_text(s, seat, holder))


def require_counter_free(s: Session, counter_id: int, day: date, coming: int) -> None:
    """`require_free` for a counter known by id (an undo putting someone back at it)."""
    number = s.scalar(select(Counter.number).where(Counter.id == counter_id).with_for_update())
    if number is None:
        raise ValidationError("Guichet inconnu.")
    require_free(s, Seat(counter_id, number), day, coming)
