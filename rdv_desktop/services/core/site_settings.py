"""The site's tunables as one typed, frozen value, read once inside the caller's transaction.

Bounds, defaults and labels live here only: the administration screen validates against them and
every rule (arrival window, lateness, absence, retention) reads the same `SiteSettings` from the
session of the act it belongs to, so an act never opens a second session to read a number.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Setting


@dataclass(frozen=True)
class Tunable:
    default: int
    low: int
    high: int
    label: str


TUNABLES: dict[str, Tunable] = {
    "arrival_early_minutes": Tunable(60, 0, 240, "Arrivée acceptée en avance (minutes)"),
    "late_after_minutes": Tunable(15, 0, 240, "Retard toléré (minutes)"),
    "no_show_grace_minutes": Tunable(30, 0, 480, "Délai avant absence (minutes)"),
    "retention_months": Tunable(24, 1, 240, "Conservation des données personnelles (mois)"),
    # R431-12 and the Conseil d'État (avis, 6 May 2025): at most four months after a complete
    # deposit, so 120 days by default.
    "recepisse_due_days": Tunable(120, 1, 180, "Récépissé à remettre dans les (jours)"),
}


def accepted(key: str, value: Any) -> bool:
    """Whether `value` is a whole number inside the tunable's bounds (booleans are not)."""
    tunable = TUNABLES[key]
    return (isinstance(value, int) and not isinstance(value, bool)
            and tunable.low <= value <= tunable.high)


@dataclass(frozen=True)
class SiteSettings:
    arrival_early_minutes: int = TUNABLES["arrival_early_minutes"].default
    late_after_minutes: int = TUNABLES["late_after_minutes"].default
    no_show_grace_minutes: int = TUNABLES["no_show_grace_minutes"].default
    retention_months: int = TUNABLES["retention_months"].default
    recepisse_due_days: int = TUNABLES["recepisse_due_days"].default

    @classmethod
    def read(cls, session: Session) -> SiteSettings:
        """The stored values; a missing or out-of-bounds value falls back to its default."""
        stored = {row.key: row.value for row in session.scalars(
            select(Setting).where(Setting.key.in_(TUNABLES)))}
        return cls(**{key: value for key, value in stored.items() if accepted(key, value)})

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}
