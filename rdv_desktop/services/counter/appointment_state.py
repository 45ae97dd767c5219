"""The audited state of an appointment and the engine that changes it one step at a time.

Every step locks the row, snapshots the state, applies its rule, and writes an audit row with the
state before and after, all in one write transaction; a refused step changes nothing. The rules
themselves live in `appointments.py` and `appointment_absence.py`; `appointment_undo.py` puts an
audited « before » back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...errors import InvalidTransition, NotFound
from ...models import Appointment
from ..core.actor import Actor
from ..core.audit import record
from ..core.context import ServiceContext
from ..core.site_settings import SiteSettings
from .appointment_views import AppointmentView, ViewBuilder
from .stage import OUTCOME_LABELS, Outcome

STATE_FIELDS = (
    "outcome", "arrived_at", "ticket", "arrival_station", "called_at", "counter_id",
    "service_started_at", "finished_at", "agent_id",
)
DATETIME_FIELDS = {"arrived_at", "called_at", "service_started_at", "finished_at"}


def state_of(a: Appointment) -> dict[str, Any]:
    return {f: getattr(a, f) for f in STATE_FIELDS}


def restore_state(a: Appointment, state: dict[str, Any]) -> None:
    """Set the fields from an audited (JSON) state: datetimes come back from ISO strings."""
    for key in STATE_FIELDS:
        value = state.get(key)
        if key in DATETIME_FIELDS and isinstance(value, str):
            value = datetime.fromisoformat(value)
        setattr(a, key, value)


def locked(s: Session, appointment_id: int) -> Appointment:
    """The appointment, locked for the rest of the write transaction."""
    a = s.scalar(select(Appointment).where(Appointment.id == appointment_id).with_for_update())
    if a is None:
        raise NotFound("Rendez-vous introuvable.")
    return a


@contextmanager
def audited(s: Session, actor: Actor, now: datetime, action: str, a: Appointment,
            reason: str | None = None) -> Iterator[dict[str, Any]]:
    """Audit the change made to `a` inside the block (nothing if it raises).

    The block may put extra keys in the yielded dict; they go into the « after » state.
    """
    before = state_of(a)
    extra: dict[str, Any] = {}
    yield extra
    a.updated_at = now
    record(s, actor, now, action, "appointment", a.id, before=before,
           after={**state_of(a), **extra}, reason=reason, appointment_id=a.id)


class StepEngine:
    """What every step of the state machine shares: views, the audited step, the pending check."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def builder(self, session: Session, settings: SiteSettings | None = None) -> ViewBuilder:
        """Views for one session; the lateness rule is read from that same session."""
        late = (settings or SiteSettings.read(session)).late_after_minutes
        return ViewBuilder(session, self.ctx.clock.now(), late)

    @staticmethod
    def apply(s: Session, actor: Actor, appointment_id: int, action: str,
              change: Callable[[Session, Appointment, datetime], dict[str, Any] | None],
              now: datetime, reason: str | None = None) -> Appointment:
        """Lock, change and audit one appointment inside the caller's transaction."""
        a = locked(s, appointment_id)
        with audited(s, actor, now, action, a, reason) as extra:
            extra.update(change(s, a, now) or {})
        return a

    def step(
        self,
        actor: Actor,
        permission: str,
        appointment_id: int,
        action: str,
        change: Callable[[Session, Appointment, datetime], dict[str, Any] | None],
        reason: str | None = None,
    ) -> AppointmentView:
        """Check the permission, then lock, change and audit one appointment; return its view."""
        self.ctx.require(actor, permission)
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            a = self.apply(s, actor, appointment_id, action, change, now, reason)
            s.flush()
            return self.builder(s).view(a)

    @staticmethod
    def require_pending(a: Appointment) -> None:
        if a.outcome != Outcome.PENDING:
            raise InvalidTransition(
                f"Rendez-vous déjà clôturé ({OUTCOME_LABELS[a.outcome]})."
            )
