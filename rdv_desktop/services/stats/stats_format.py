"""How the manager's figures read in French, shared by the dashboard and the monthly report."""

from __future__ import annotations

from .service import MinuteBucket


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f} %".replace(".", ",")


def minutes(value: float | int | None) -> str:
    """A mean (float, one decimal) or an exact percentile (whole minutes)."""
    if value is None:
        return "—"
    return f"{value:.1f} min".replace(".", ",") if isinstance(value, float) else f"{value} min"


def bucket(value: MinuteBucket | None) -> str:
    return "—" if value is None else value.label()
