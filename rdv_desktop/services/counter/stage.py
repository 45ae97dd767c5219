"""The queue stage, derived from an appointment's outcome and timestamps (never stored)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from enum import StrEnum

from ..core.clock import at_paris


class Outcome(StrEnum):
    """Where an appointment ends (« pending » until then); stored as its value."""

    PENDING = "pending"
    DEPOSITED = "deposited"
    INCOMPLETE = "incomplete"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    REDIRECTED = "redirected"
    RECEPISSE_HANDED = "recepisse"  # a visit to collect a récépissé, done


class Stage(StrEnum):
    EXPECTED = "attendu"
    LATE = "en retard"
    WAITING = "en attente"
    CALLED = "appelé"
    AT_COUNTER = "au guichet"
    DEPOSITED = "déposé"
    INCOMPLETE = "incomplet"
    NO_SHOW = "absent"
    CANCELLED = "annulé"
    REDIRECTED = "réorienté"
    RECEPISSE_HANDED = "récépissé remis"


OUTCOME_STAGE = {
    "deposited": Stage.DEPOSITED,
    "incomplete": Stage.INCOMPLETE,
    "no_show": Stage.NO_SHOW,
    "cancelled": Stage.CANCELLED,
    "redirected": Stage.REDIRECTED,
    "recepisse": Stage.RECEPISSE_HANDED,
}

OUTCOME_LABELS = {
    "pending": "en cours",
    "deposited": "déposé",
    "incomplete": "incomplet",
    "no_show": "absent",
    "cancelled": "annulé",
    "redirected": "réorienté vers l'ANEF",
    "recepisse": "récépissé remis",
}


def derive_stage(
    outcome: str,
    slot_date: date,
    slot_time: time,
    arrived_at: datetime | None,
    called_at: datetime | None,
    service_started_at: datetime | None,
    now: datetime,
    late_after_minutes: int,
) -> Stage:
    if outcome != "pending":
        return OUTCOME_STAGE[outcome]
    if service_started_at is not None:
        return Stage.AT_COUNTER
    if called_at is not None:
        return Stage.CALLED
    if arrived_at is not None:
        return Stage.WAITING
    if now > at_paris(slot_date, slot_time) + timedelta(minutes=late_after_minutes):
        return Stage.LATE
    return Stage.EXPECTED
