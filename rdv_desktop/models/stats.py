"""Pre-aggregated statistics: rollups the dashboard sums instead of scanning appointments.

`stats_rollup` holds, per period (``D`` a day, ``M`` a calendar month, keyed by its first day),
one row per (dimension, key): the totals (dimension ``all``) and the same figures broken down by
motif, counter, agent and hour of the slot, with coarse histograms of waiting and service times
(one column per bucket of `DURATION_BUCKETS`) so each row can give its own 90th percentile.
`stats_duration` holds, per period, histograms of
waiting and service times in whole minutes, so that a percentile over any range is exact to the
minute. A range reads whole months from the ``M`` rows and only its ragged ends from the ``D``
rows. All derived data, rebuilt from `appointment` by `services.stats_rollup`; `stats_state`
remembers how far in the audit trail the rollups are current. See docs/statistics.md.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base

DIMENSIONS = ("all", "motif", "counter", "agent", "hour")
DURATION_KINDS = ("wait", "service")
PERIODS = ("D", "M")
# Lower bounds, in minutes, of the buckets of the per-row histograms; the last one is open.
DURATION_BUCKETS = (0, 5, 10, 15, 20, 25, 30, 40, 50, 60, 75, 90, 120, 150, 180, 240)


def bucket_fields(kind: str) -> tuple[str, ...]:
    """Column names of one kind's histogram: ``wait_b000`` counts waits of 0 to 4 minutes."""
    return tuple(f"{kind}_b{lower:03d}" for lower in DURATION_BUCKETS)


def bucket_of(minutes: int) -> int:
    """Index of the bucket holding a duration of `minutes` whole minutes."""
    index = 0
    for i, lower in enumerate(DURATION_BUCKETS):
        if minutes >= lower:
            index = i
    return index


class StatsRollup(Base):
    """Primary key (period, dim, day, key): a dimension's rows of a range are contiguous."""

    __tablename__ = "stats_rollup"
    __table_args__ = ({"sqlite_with_rowid": False},)

    period: Mapped[str] = mapped_column(String(1), primary_key=True)
    dim: Mapped[str] = mapped_column(String(10), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    appointments: Mapped[int] = mapped_column(default=0)
    cancelled: Mapped[int] = mapped_column(default=0)
    no_show: Mapped[int] = mapped_column(default=0)
    arrivals: Mapped[int] = mapped_column(default=0)
    deposited: Mapped[int] = mapped_column(default=0)
    incomplete: Mapped[int] = mapped_column(default=0)
    redirected: Mapped[int] = mapped_column(default=0)
    pending: Mapped[int] = mapped_column(default=0)
    wait_n: Mapped[int] = mapped_column(default=0)
    wait_sum_s: Mapped[int] = mapped_column(BigInteger, default=0)
    service_n: Mapped[int] = mapped_column(default=0)
    service_sum_s: Mapped[int] = mapped_column(BigInteger, default=0)
    # Histograms by bucket (see bucket_fields); kept explicit so the schema reads as it is.
    wait_b000: Mapped[int] = mapped_column(default=0)
    wait_b005: Mapped[int] = mapped_column(default=0)
    wait_b010: Mapped[int] = mapped_column(default=0)
    wait_b015: Mapped[int] = mapped_column(default=0)
    wait_b020: Mapped[int] = mapped_column(default=0)
    wait_b025: Mapped[int] = mapped_column(default=0)
    wait_b030: Mapped[int] = mapped_column(default=0)
    wait_b040: Mapped[int] = mapped_column(default=0)
    wait_b050: Mapped[int] = mapped_column(default=0)
    wait_b060: Mapped[int] = mapped_column(default=0)
    wait_b075: Mapped[int] = mapped_column(default=0)
    wait_b090: Mapped[int] = mapped_column(default=0)
    wait_b120: Mapped[int] = mapped_column(default=0)
    wait_b150: Mapped[int] = mapped_column(default=0)
    wait_b180: Mapped[int] = mapped_column(default=0)
    wait_b240: Mapped[int] = mapped_column(default=0)
    service_b000: Mapped[int] = mapped_column(default=0)
    service_b005: Mapped[int] = mapped_column(default=0)
    service_b010: Mapped[int] = mapped_column(default=0)
    service_b015: Mapped[int] = mapped_column(default=0)
    service_b020: Mapped[int] = mapped_column(default=0)
    service_b025: Mapped[int] = mapped_column(default=0)
    service_b030: Mapped[int] = mapped_column(default=0)
    service_b040: Mapped[int] = mapped_column(default=0)
    service_b050: Mapped[int] = mapped_column(default=0)
    service_b060: Mapped[int] = mapped_column(default=0)
    service_b075: Mapped[int] = mapped_column(default=0)
    service_b090: Mapped[int] = mapped_column(default=0)
    service_b120: Mapped[int] = mapped_column(default=0)
    service_b150: Mapped[int] = mapped_column(default=0)
    service_b180: Mapped[int] = mapped_column(default=0)
    service_b240: Mapped[int] = mapped_column(default=0)


class StatsDuration(Base):
    """How many waits (or services) of `minute` whole minutes happened in the period."""

    __tablename__ = "stats_duration"
    __table_args__ = ({"sqlite_with_rowid": False},)

    period: Mapped[str] = mapped_column(String(1), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    minute: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    n: Mapped[int]


class StatsState(Base):
    """One row: the audit id up to which the rollups have taken changes into account."""

    __tablename__ = "stats_state"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_audit_id: Mapped[int] = mapped_column(BigInteger, default=0)
    refreshed_at: Mapped[datetime | None]
