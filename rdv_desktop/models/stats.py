"""Pre-aggregated statistics: per-day rollups the dashboard sums instead of scanning appointments.

`stats_daily` holds one row per (day, dimension, key): the day's totals (dimension ``all``) and
the same figures broken down by motif, counter, agent and hour of the slot. `stats_duration`
holds per-day histograms of waiting and service times in whole minutes, so that a percentile
over any range is exact to the minute. Both are derived data, rebuilt from `appointment` by
`services.stats`; `stats_state` remembers how far in the audit trail the rollups are current.
See docs/statistics.md.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base

DIMENSIONS = ("all", "motif", "counter", "agent", "hour")
DURATION_KINDS = ("wait", "service")


class StatsDaily(Base):
    __tablename__ = "stats_daily"

    day: Mapped[date] = mapped_column(primary_key=True)
    dim: Mapped[str] = mapped_column(String(10), primary_key=True)
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
    """How many waits (or services) of `minute` whole minutes happened on `day`."""

    __tablename__ = "stats_duration"

    day: Mapped[date] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    minute: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    n: Mapped[int]


class StatsState(Base):
    """One row: the audit id up to which the rollups have taken changes into account."""

    __tablename__ = "stats_state"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_audit_id: Mapped[int] = mapped_column(BigInteger, default=0)
    refreshed_at: Mapped[datetime | None]
