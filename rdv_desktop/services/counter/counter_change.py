"""« Changer de guichet »: a station signed in at no guichet (or the wrong one) takes another
without signing out. Checked like a call: the guichet must exist and be open, and the one left
must hold nobody (a person called there would wait at a counter no one works)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from ...errors import InvalidTransition
from ..core.actor import Actor
from ..core.audit import record
from ..core.clock import local
from ..core.context import ServiceContext
from .appointment_seat import current_at, seat_of


def change_counter(ctx: ServiceContext, actor: Actor, number: int | None) -> Actor:
    """The same person at guichet `number` (None: no guichet); audited « counter_changed »."""
    ctx.require(actor, "counter.serve")
    now = ctx.clock.now()
    with ctx.db.write() as s:
        if number is not None:
            seat_of(s, number, lock=False)  # unknown or closed: refused in French
        _check_left_empty(s, actor, now)
        record(s, actor, now, "counter_changed", "counter", number,
               before={"counter": actor.counter_number}, after={"counter": number})
    return replace(actor, counter_number=number)


def _check_left_empty(s: Session, actor: Actor, now: datetime) -> None:
    if actor.counter_number is None:
        return
    seat = seat_of(s, actor.counter_number, lock=True)
    held = current_at(s, seat.counter_id, local(now).date())
    if held is not None:
        raise InvalidTransition(
            f"Le guichet {seat.number} reçoit encore le ticket {held.ticket or '—'} : "
            "terminez ou renvoyez en attente avant de changer de guichet.")
