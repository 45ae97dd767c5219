"""What changed since a station last looked: the audit trail's increasing id is the feed.

A station remembers the highest audit id it has seen and asks only for appointments touched
after it: one indexed max() when nothing happened, a handful of rows when something did.
PostgreSQL may commit ids out of order, so each poll looks back a small overlap window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from ..models import Appointment, AuditEvent
from .actor import Actor
from .appointment_views import AppointmentView
from .appointments import AppointmentService

OVERLAP = 50


@dataclass(frozen=True)
class QueueChanges:
    last_event_id: int
    changed: tuple[AppointmentView, ...]
    calls: tuple[AppointmentView, ...]  # appointments called or recalled in this window


class QueueFeed:
    def __init__(self, appointments: AppointmentService) -> None:
        self.appointments = appointments
        self.ctx = appointments.ctx

    def latest_event_id(self) -> int:
        with self.ctx.db.read() as s:
            return s.scalar(select(func.max(AuditEvent.id))) or 0

    def changes(self, actor: Actor, day: date, since: int) -> QueueChanges:
        """Appointments of `day` touched by events after `since` (with the overlap)."""
        self.ctx.require(actor, "queue.view")
        with self.ctx.db.read() as s:
            last = s.scalar(select(func.max(AuditEvent.id))) or 0
            if last <= since:
                return QueueChanges(since, (), ())
            events = s.execute(
                select(AuditEvent.appointment_id, AuditEvent.action, AuditEvent.id)
                .where(AuditEvent.id > since - OVERLAP, AuditEvent.appointment_id.is_not(None))
            ).all()
            ids = {e.appointment_id for e in events}
            called = {e.appointment_id for e in events
                      if e.action in ("call", "recall") and e.id > since}
            if not ids:
                return QueueChanges(last, (), ())
            rows = s.scalars(
                select(Appointment).where(Appointment.id.in_(ids), Appointment.slot_date == day)
            ).all()
            build = self.appointments.builder(s)
            views = tuple(build.view(a) for a in rows)
            return QueueChanges(last, views, tuple(v for v in views if v.id in called))
