"""Cancelling a « récépissé remis » record inside the caller's transaction.

Apart from `service.py` so the counter's undo (which takes back a collection visit's outcome)
can use it without importing the follow-up's list and export.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ...errors import InvalidTransition
from ...models import Dossier, Recepisse
from ..core.actor import Actor
from ..core.audit import record


def cancel_in(s: Session, actor: Actor, r: Recepisse, now: datetime, reason: str) -> None:
    """Cancel the standing (locked) record `r`: dated, with who and why, audited."""
    if r.cancelled_at is not None:
        raise InvalidTransition(f"La remise du récépissé {r.number} est déjà annulée.")
    d = s.get_one(Dossier, r.dossier_id)
    before = {"recepisse_id": r.id, "number": r.number, "cancelled_at": None}
    r.cancelled_at, r.cancelled_by, r.cancel_reason = now, actor.user_id, reason
    record(s, actor, now, "recepisse_cancelled", "dossier", d.number, before=before,
           after={"recepisse_id": r.id, "number": r.number, "cancelled_at": now},
           reason=reason, appointment_id=d.appointment_id)
