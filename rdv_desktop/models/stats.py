"""Pre-aggregated statistics: rollups the dashboard sums instead of scanning appointments.

`stats_rollup` holds, per period (``D`` a day, ``M`` a calendar month, keyed by its first day),
one row per (dimension, key): the totals (dimension ``all``) and the same figures broken down by
motif, counter, agent and hour of the slot. `stats_duration` holds, per period, histograms of
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
