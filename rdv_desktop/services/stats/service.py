"""The manager's figures for any range of days, read from the pre-built daily rollups.

Definitions (docs/statistics.md): a day is the appointment's slot date; waiting time is
called − arrived, service time is finished − service started, in whole seconds; the
90th percentile is the nearest-rank percentile of the times truncated to whole minutes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from ...errors import ValidationError
from ...models import CatalogueVersion, Motif, StatsDuration, StatsRollup, User
from ...models.stats import DIMENSIONS, DURATION_BUCKETS, DURATION_KINDS
from ..catalogue.rules import short_label
from ..core.actor import Actor
from ..core.context import ServiceContext
from .stats_rollup import (
    COUNT_FIELDS,
    MAX_MINUTE,
    ROLLUP_FIELDS,
    month_of,
    refresh_days,
    refresh_stale,
)

MAX_RANGE_DAYS = 366 * 20
SERIES_BY_DAY_UP_TO = 92  # longer ranges get one point a month


@dataclass(frozen=True)
class Figures:
    """Counts and duration sums over a set of appointments; rates derive from them."""

    appointments: int = 0
    cancelled: int = 0
    no_show: int = 0
    arrivals: int = 0
    deposited: int = 0
    incomplete: int = 0
    redirected: int = 0
    pending: int = 0
    wait_n: int = 0
    wait_sum_s: int = 0
    service_n: int = 0
    service_sum_s: int = 0

    @property
    def no_show_rate(self) -> float | None:
        """Absent among those expected to come: no_show / (arrivals + no_show)."""
        expected = self.arrivals + self.no_show
        return self.no_show / expected if expected else None

    @property
    def deposits(self) -> int:
        """Dossiers registered at the counter, complete or not."""
        return self.deposited + self.incomplete

    @property
    def completeness_rate(self) -> float | None:
        """Complete dossiers among dossiers registered."""
        return self.deposited / self.deposits if self.deposits else None

    @property
    def mean_wait_minutes(self) -> float | None:
        return self.wait_sum_s / self.wait_n / 60 if self.wait_n else None

    @property
    def mean_service_minutes(self) -> float | None:
        return self.service_sum_s / self.service_n / 60 if self.service_n else None


@dataclass(frozen=True)
class MinuteBucket:
    """A span of whole minutes [lower, upper); `upper` None is the open last bucket."""

    lower: int
    upper: int | None

    def label(self) -> str:
        """How a manager reads a bucketed 90th percentile: 90 % took less than `upper`."""
        return f"< {self.upper} min" if self.upper is not None else f"≥ {self.lower} min"


@dataclass(frozen=True)
class Breakdown:
    """One motif, counter, agent or hour: its figures and the bucket of its 90th percentiles
    (per-row histograms are bucketed, see docs/statistics.md; None when nobody was timed)."""

    key: str
    label: str
    figures: Figures
    wait_p90: MinuteBucket | None = None
    service_p90: MinuteBucket | None = None
    short: str = ""  # the catalogue's short label, for a motif

    @property
    def short_label(self) -> str:
        """The label as a chart shows it (« AES – VPF »); `label` is the full one."""
        return short_label(self.short, self.label)


@dataclass(frozen=True)
class Percentiles:
    count: int
    p50_minutes: int | None
    p90_minutes: int | None


@dataclass(frozen=True)
class StatsReport:
    start: date
    end: date
    totals: Figures
    wait: Percentiles
    service: Percentiles
    by_motif: tuple[Breakdown, ...]
    by_counter: tuple[Breakdown, ...]
    by_agent: tuple[Breakdown, ...]
    by_hour: tuple[Breakdown, ...]
    series: tuple[tuple[date, Figures], ...]  # per day, or per month (first day) if long
    series_by_month: bool


def nearest_rank(histogram: dict[int, int], q: float) -> int | None:
    """The nearest-rank q-quantile of a {minute: count} histogram: the smallest value whose
    cumulative count reaches ceil(q × N)."""
    total = sum(histogram.values())
    if total == 0:
        return None
    rank = max(1, math.ceil(q * total))
    seen = 0
    for minute in sorted(histogram):
        seen += histogram[minute]
        if seen >= rank:
            return minute
    return MAX_MINUTE  # pragma: no cover - unreachable, the loop reaches total


def check_range(start: date | None, end: date | None) -> tuple[date, date]:
    if start is None or end is None:
        raise ValidationError("Indiquez la date de début et la date de fin de la période.")
    if end < start:
        raise ValidationError(
            f"Période inversée : la fin ({end:%d/%m/%Y}) précède le début ({start:%d/%m/%Y})."
        )
    if (end - start).days > MAX_RANGE_DAYS:
        raise ValidationError("Période trop longue (vingt ans au plus).")
    return start, end


def _figures(values: Sequence[int | None]) -> Figures:
    return Figures(*(int(v or 0) for v in values[:len(COUNT_FIELDS)]))


def bucket_p90(counts: Sequence[int | None]) -> MinuteBucket | None:
    """The bucket holding the nearest-rank 90th percentile of a bucketed histogram."""
    lower = nearest_rank({b: int(n or 0) for b, n in zip(DURATION_BUCKETS, counts, strict=True)},
                         0.9)
    if lower is None:
        return None
    index = DURATION_BUCKETS.index(lower)
    upper = DURATION_BUCKETS[index + 1] if index + 1 < len(DURATION_BUCKETS) else None
    return MinuteBucket(lower, upper)


class StatsService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- keeping the rollups current ---------------------------------------------------------

    def refresh(self) -> int:
        """Redo the days changed since the last refresh (see stats_rollup.refresh_stale)."""
        with self.ctx.db.write() as s:
            return refresh_stale(s, self.ctx.clock.now())

    def refresh_days(self, days: list[date]) -> int:
        """For bulk writers that bypass the audit trail (imports, generators)."""
        with self.ctx.db.write(long=True) as s:
            return refresh_days(s, days)

    # -- reading -----------------------------------------------------------------------------

    def report(self, actor: Actor, start: date | None, end: date | None, *,
               refresh: bool = True) -> StatsReport:
        self.ctx.require(actor, "stats")
        start, end = check_range(start, end)
        if refresh:
            self.refresh()
        with self.ctx.db.read() as s:
            return self._read(s, start, end)

    def _read(self, s: Session, start: date, end: date) -> StatsReport:
        groups: dict[str, list[tuple[str, list[int]]]] = {}
        sums = [func.sum(getattr(StatsRollup, name)) for name in ROLLUP_FIELDS]
        for dim, key, *values in s.execute(
            select(StatsRollup.dim, StatsRollup.key, *sums)
            .where(StatsRollup.dim.in_(DIMENSIONS), _covering(StatsRollup, start, end))
            .group_by(StatsRollup.dim, StatsRollup.key)
        ):
            groups.setdefault(dim, []).append((key, values))
        hist: dict[str, dict[int, int]] = {"wait": {}, "service": {}}
        for kind, minute, n in s.execute(
            select(StatsDuration.kind, StatsDuration.minute, func.sum(StatsDuration.n))
            .where(StatsDuration.kind.in_(DURATION_KINDS),
                   _covering(StatsDuration, start, end))
            .group_by(StatsDuration.kind, StatsDuration.minute)
        ):
            hist[kind][minute] = int(n)
        by_month = (end - start).days >= SERIES_BY_DAY_UP_TO
        totals = _figures(groups["all"][0][1]) if groups.get("all") else Figures()
        labels = _Labels(s)
        return StatsReport(
            start, end, totals,
            _percentiles(hist["wait"]), _percentiles(hist["service"]),
            self._breakdown(groups.get("motif", []), labels.motif, by_count=True,
                            short=labels.motif_short),
            self._breakdown(groups.get("counter", []), labels.counter),
            self._breakdown(groups.get("agent", []), labels.agent, by_count=True),
            self._breakdown(groups.get("hour", []), labels.hour),
            self._series(s, start, end, by_month), by_month,
        )

    @staticmethod
    def _series(s: Session, start: date, end: date, by_month: bool
                ) -> tuple[tuple[date, Figures], ...]:
        columns = [getattr(StatsRollup, n) for n in COUNT_FIELDS]
        if not by_month:
            return tuple((day, _figures(values)) for day, *values in s.execute(
                select(StatsRollup.day, *columns)
                .where(StatsRollup.period == "D", StatsRollup.dim == "all",
                       StatsRollup.day.between(start, end)).order_by(StatsRollup.day)))
        points: dict[date, list[int]] = {}
        for day, *values in s.execute(
            select(StatsRollup.day, *columns).where(
                StatsRollup.dim == "all", _covering(StatsRollup, start, end))
        ):
            point = points.setdefault(day.replace(day=1), [0] * len(COUNT_FIELDS))
            for i, v in enumerate(values):
                point[i] += int(v or 0)
        return tuple((m, _figures(points[m])) for m in sorted(points))

    @staticmethod
    def _breakdown(rows: list[tuple[str, list[int]]], label: Callable[[str], str],
                   by_count: bool = False, short: Callable[[str], str] | None = None
                   ) -> tuple[Breakdown, ...]:
        counts, buckets = len(COUNT_FIELDS), len(DURATION_BUCKETS)
        items = [Breakdown(key, label(key), _figures(values),
                           bucket_p90(values[counts:counts + buckets]),
                           bucket_p90(values[counts + buckets:]),
                           short(key) if short else "")
                 for key, values in rows]
        if by_count:
            items.sort(key=lambda b: (-b.figures.appointments, b.label))
        else:
            items.sort(key=lambda b: (b.key == "", b.key.zfill(3)))
        return tuple(items)


def whole_months(start: date, end: date) -> tuple[date, date] | None:
    """First days of the first and last calendar months lying wholly inside [start, end]."""
    first = start if start.day == 1 else month_of(start)[1] + timedelta(days=1)
    last_end = end if month_of(end)[1] == end else end.replace(day=1) - timedelta(days=1)
    if first > last_end:
        return None
    return first, last_end.replace(day=1)


def _covering(table: type[StatsRollup] | type[StatsDuration], start: date, end: date
              ) -> ColumnElement[bool]:
    """Rows whose periods exactly tile [start, end]: whole months, then days at both ends."""
    months = whole_months(start, end)
    if months is None:
        return and_(table.period == "D", table.day.between(start, end))
    first, last = months
    return or_(
        and_(table.period == "M", table.day.between(first, last)),
        and_(table.period == "D", or_(table.day.between(start, first - timedelta(days=1)),
                                      table.day.between(month_of(last)[1] + timedelta(days=1),
                                                        end))),
    )


def _percentiles(histogram: dict[int, int]) -> Percentiles:
    return Percentiles(sum(histogram.values()), nearest_rank(histogram, 0.5),
                       nearest_rank(histogram, 0.9))


class _Labels:
    """French labels for the breakdown keys, looked up once per report."""

    def __init__(self, s: Session) -> None:
        rows = s.execute(
            select(Motif.code, Motif.label, Motif.short_label, CatalogueVersion.current)
            .join(CatalogueVersion, CatalogueVersion.id == Motif.catalogue_version_id)
            .order_by(CatalogueVersion.current, CatalogueVersion.id)
        ).all()
        self.motifs = {code: label for code, label, _short, _ in rows}  # current version wins
        self.shorts = {code: short for code, _label, short, _ in rows}
        self.agents = {str(i): name for i, name in s.execute(select(User.id, User.display_name))}

    def motif(self, key: str) -> str:
        return self.motifs.get(key, key) if key else "Motif à confirmer"

    def motif_short(self, key: str) -> str:
        return self.shorts.get(key, "") if key else ""

    def agent(self, key: str) -> str:
        return self.agents.get(key, f"Agent n° {key}") if key else "Sans agent"

    @staticmethod
    def counter(key: str) -> str:
        return f"Guichet {key}" if key else "Sans guichet"

    @staticmethod
    def hour(key: str) -> str:
        return f"{int(key)} h"


def month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)
