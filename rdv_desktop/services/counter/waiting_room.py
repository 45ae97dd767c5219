"""What the waiting-room screen shows: the last tickets called and their guichet, nothing else.

No names: the screen faces the public. Live updates come from the same audit-trail feed as the
queue (`QueueFeed`), so a call at any counter shows within one poll.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from ...models import Appointment, Counter
from ..core.actor import Actor
from .appointment_views import AppointmentView
from .appointments import AppointmentService
from .queue_feed import FeedCursor, QueueFeed

SHOWN_CALLS = 6


@dataclass(frozen=True)
class CallShown:
    appointment_id: int
    ticket: str
    counter_number: int
    called_at: datetime


def call_of(view: AppointmentView) -> CallShown | None:
    """A queue view as a display line (None if it is not, or no longer, called)."""
    if view.ticket is None or view.counter_number is None or view.called_at is None:
        return None
    return CallShown(view.id, view.ticket, view.counter_number, view.called_at)


@dataclass(frozen=True)
class DisplayUpdate:
    last_event_id: FeedCursor  # the feed's cursor, handed back to the next `changes`
    calls: tuple[CallShown, ...]  # newest first
    withdrawn: tuple[int, ...] = ()  # appointment ids no longer called (sent back, undone)


class WaitingRoomService:
    def __init__(self, appointments: AppointmentService) -> None:
        self.ctx = appointments.ctx
        self.feed = QueueFeed(appointments)

    def recent(self, actor: Actor, day: date, limit: int = SHOWN_CALLS) -> DisplayUpdate:
        """The latest calls of `day`, for a display that has just opened."""
        self.ctx.require(actor, "queue.view")
        last = self.feed.latest_event_id()
        with self.ctx.db.read() as s:
            rows = s.execute(
                select(Appointment.id, Appointment.ticket, Counter.number, Appointment.called_at)
                .join(Counter, Counter.id == Appointment.counter_id)
                .where(Appointment.slot_date == day, Appointment.called_at.is_not(None),
                       Appointment.ticket.is_not(None))
                .order_by(Appointment.called_at.desc(), Appointment.id.desc())
                .limit(limit)
            ).all()
        return DisplayUpdate(last, tuple(CallShown(r[0], r[1], r[2], r[3]) for r in rows))

    def changes(self, actor: Actor, day: date, since: FeedCursor | int) -> DisplayUpdate:
        """Calls made anywhere since `since`, and called people who are not called any more."""
        changes = self.feed.changes(actor, day, since)
        calls = tuple(c for v in changes.calls if (c := call_of(v)) is not None)
        calls = tuple(sorted(calls, key=lambda c: c.called_at, reverse=True))
        withdrawn = tuple(v.id for v in changes.changed if v.called_at is None)
        return DisplayUpdate(changes.last_event_id, calls, withdrawn)
