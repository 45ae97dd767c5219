"""The steps for people who do not come: absence (one, or the whole day) and cancellation.

An absence can be declared only `no_show_grace_minutes` after the slot; « Clôturer la journée »
marks absent, with the same rule, everyone of the day who never came. A cancellation needs a
reason. `AppointmentService` inherits these steps.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...errors import InvalidTransition, ValidationError
from ...models import Appointment
from ..core.actor import Actor
from ..core.audit import record
from ..core.clock import at_paris, fr_date, fr_time, local
from ..core.site_settings import SiteSettings
from ..core.text_limits import REASON_MAX, checked_text
from .appointment_state import StepEngine, audited
from .appointment_views import AppointmentView
from .stage import Outcome


class AbsenceSteps(StepEngine):
    @staticmethod
    def no_show_deadline(a: Appointment, settings: SiteSettings) -> datetime:
        grace = timedelta(minutes=settings.no_show_grace_minutes)
        return at_paris(a.slot_date, a.slot_time) + grace

    def mark_no_show(self, actor: Actor, appointment_id: int) -> AppointmentView:
        def change(s: Session, a: Appointment, now: datetime) -> None:
            self.require_pending(a)
            if a.arrived_at is not None:
                raise InvalidTransition("Cette personne est arrivée : elle n'est pas absente.")
            deadline = self.no_show_deadline(a, SiteSettings.read(s))
            if now < deadline:
                raise InvalidTransition(
                    f"Trop tôt pour déclarer l'absence : possible à partir de {fr_time(deadline)}"
                    f" le {fr_date(local(deadline).date())}."
                )
            a.outcome, a.finished_at = Outcome.NO_SHOW, now

        return self.step(actor, "day.close", appointment_id, "no_show", change)

    def close_day(self, actor: Actor, day: date) -> int:
        """Mark absent everyone of `day` who never came and whose grace period is over."""
        self.ctx.require(actor, "day.close")
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            rows = s.scalars(
                select(Appointment).where(
                    Appointment.slot_date == day,
                    Appointment.outcome == Outcome.PENDING,
                    Appointment.arrived_at.is_(None),
                ).with_for_update()
            ).all()
            settings = SiteSettings.read(s)
            marked = 0
            for a in rows:
                if now < self.no_show_deadline(a, settings):
                    continue
                with audited(s, actor, now, "no_show", a, reason="clôture de la journée"):
                    a.outcome, a.finished_at = Outcome.NO_SHOW, now
                marked += 1
            record(s, actor, now, "day_closed", "day", day.isoformat(), after={"absents": marked})
            return marked

    def cancel(self, actor: Actor, appointment_id: int, reason: str) -> AppointmentView:
        reason = checked_text("Motif de l'annulation", reason, REASON_MAX)
        if not reason:
            raise ValidationError("Indiquez le motif de l'annulation.")

        def change(s: Session, a: Appointment, now: datetime) -> None:
            self.require_pending(a)
            if a.arrived_at is not None:
                raise InvalidTransition("La personne est arrivée : annulez d'abord son arrivée.")
            a.outcome, a.finished_at = Outcome.CANCELLED, now

        return self.step(actor, "appointment.cancel", appointment_id, "cancel", change,
                         reason=reason.strip())
