"""How the manager's figures read in French, shared by the dashboard and the monthly report."""

from __future__ import annotations

from ...french import fr_minutes, fr_percent
from .service import MinuteBucket


def percent(rate: float | None) -> str:
    return fr_percent(rate)


def minutes(value: float | int | None) -> str:
    """A mean (float, one decimal) or an exact percentile (whole minutes)."""
    return fr_minutes(value)


def bucket(value: MinuteBucket | None) -> str:
    return "—" if value is None else value.label()
