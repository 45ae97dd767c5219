"""Building the statistics rollups (`stats_rollup`, `stats_duration`) from the appointments.

The dashboard must answer any range in well under 150 ms on ~1M appointments, which a scan of
`appointment` cannot do (a year takes > 1 s). So each day is summarised once into a few dozen
rows (period ``D``), each month into the sum of its days (period ``M``), and a range sums whole
months plus its ragged ends. A day's rollup is always recomputed whole from its appointments
(never incremented), and its month re-summed from the days, so nothing can drift. Which days to
recompute is decided by :func:`refresh_stale` from the audit trail (docs/statistics.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Date, String, delete, func, insert, literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...models import Appointment, AuditEvent, Counter, StatsDuration, StatsRollup, StatsState
from ...models.stats import DIMENSIONS, DURATION_KINDS, bucket_fields, bucket_of

MAX_MINUTE = 600  # waits or services of ten hours or more share the last bucket
SETTLE = timedelta(minutes=1)  # audit rows younger than this are rescanned (late commits)
CHUNK_DAYS = 200
# Writers that change many appointments with a single audit row: a full rebuild follows them.
# (The importer writes one audit row per appointment, so it needs no entry here.)
BULK_ACTIONS = ("demo_generated",)
COUNT_FIELDS = (
    "appointments", "cancelled", "no_show", "arrivals", "deposited", "incomplete",
    "redirected", "pending", "wait_n", "wait_sum_s", "service_n", "service_sum_s",
)
WAIT_BUCKETS = bucket_fields("wait")
SERVICE_BUCKETS = bucket_fields("service")
# Every summed column of a rollup row: the counts, then the two histograms.
ROLLUP_FIELDS = COUNT_FIELDS + WAIT_BUCKETS + SERVICE_BUCKETS
_OUTCOME_FIELD = {
    "cancelled": "cancelled", "no_show": "no_show", "deposited": "deposited",
    "incomplete": "incomplete", "redirected": "redirected", "pending": "pending",
}
_COLUMNS = (
    Appointment.slot_date, Appointment.slot_time, Appointment.motif_code,
    Appointment.counter_id, Appointment.agent_id, Appointment.outcome, Appointment.arrived_at,
    Appointment.called_at, Appointment.service_started_at, Appointment.finished_at,
)
# Visits to collect a récépissé are not deposit appointments: the figures leave them out.
_DEPOSIT_VISITS = Appointment.recepisse_for.is_(None)
# One appointment as _COLUMNS reads it.
_Row = tuple[date, time, str | None, int | None, int | None, str,
             datetime | None, datetime | None, datetime | None, datetime | None]


def seconds_between(start: datetime | None, end: datetime | None) -> int | None:
    """Whole seconds from start to end (never negative), or None if either is missing."""
    if start is None or end is None:
        return None
    return max(0, int((end - start).total_seconds()))


@dataclass
class _Day:
    cells: dict[tuple[str, str], list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0] * len(ROLLUP_FIELDS)))
    durations: dict[tuple[str, int], int] = field(default_factory=lambda: defaultdict(int))


_INDEX = {name: i for i, name in enumerate(ROLLUP_FIELDS)}
# Spelled out so that the (period, dim|kind, day, …) primary keys serve day-range lookups.
_DIMS = StatsRollup.dim.in_(DIMENSIONS)
_KINDS = StatsDuration.kind.in_(DURATION_KINDS)


def _add(day: _Day, row: _Row, counters: dict[int, int]) -> None:
    _, slot_time, motif, counter_id, agent_id, outcome, arrived, called, started, finished = row
    values = [0] * len(ROLLUP_FIELDS)
    values[_INDEX["appointments"]] = 1
    values[_INDEX[_OUTCOME_FIELD[outcome]]] = 1
    if arrived is not None:
        values[_INDEX["arrivals"]] = 1
    wait = seconds_between(arrived, called)
    if wait is not None:
        values[_INDEX["wait_n"]], values[_INDEX["wait_sum_s"]] = 1, wait
        day.durations["wait", min(wait // 60, MAX_MINUTE)] += 1
        values[_INDEX[WAIT_BUCKETS[bucket_of(wait // 60)]]] = 1
    service = seconds_between(started, finished)
    if service is not None:
        values[_INDEX["service_n"]], values[_INDEX["service_sum_s"]] = 1, service
        day.durations["service", min(service // 60, MAX_MINUTE)] += 1
        values[_INDEX[SERVICE_BUCKETS[bucket_of(service // 60)]]] = 1
    keys = (
        ("all", ""),
        ("motif", motif or ""),
        ("counter", str(counters.get(counter_id, "")) if counter_id is not None else ""),
        ("agent", str(agent_id) if agent_id is not None else ""),
        ("hour", f"{slot_time.hour:02d}"),
    )
    for key in keys:
        cell = day.cells[key]
        for i, v in enumerate(values):
            if v:
                cell[i] += v


def _summarise(rows: Iterable[_Row], counters: dict[int, int]) -> dict[date, _Day]:
    days: dict[date, _Day] = defaultdict(_Day)
    for row in rows:
        _add(days[row[0]], row, counters)
    return days


def _write(s: Session, days: dict[date, _Day]) -> None:
    daily = [
        {"period": "D", "day": d, "dim": dim, "key": key,
         **dict(zip(ROLLUP_FIELDS, values, strict=True))}
        for d, summary in days.items() for (dim, key), values in summary.cells.items()
    ]
    durations = [
        {"period": "D", "day": d, "kind": kind, "minute": minute, "n": n}
        for d, summary in days.items() for (kind, minute), n in summary.durations.items()
    ]
    if daily:
        s.execute(insert(StatsRollup), daily)
    if durations:
        s.execute(insert(StatsDuration), durations)


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for i in range(0, len(items), CHUNK_DAYS):
        yield items[i:i + CHUNK_DAYS]


def month_of(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    return first, nxt - timedelta(days=1)


def _refresh_months(s: Session, days: Iterable[date]) -> None:
    """Re-sum the ``M`` rows of the months of `days` from their ``D`` rows, in SQL."""
    for first in sorted({d.replace(day=1) for d in days}):
        last = month_of(first)[1]
        s.execute(delete(StatsRollup).where(StatsRollup.period == "M", _DIMS,
                                            StatsRollup.day == first))
        s.execute(delete(StatsDuration).where(StatsDuration.period == "M", _KINDS,
                                              StatsDuration.day == first))
        month = literal(first, Date)
        in_month = (StatsRollup.period == "D", _DIMS, StatsRollup.day.between(first, last))
        s.execute(insert(StatsRollup).from_select(
            ["period", "day", "dim", "key", *ROLLUP_FIELDS],
            select(literal("M", String), month, StatsRollup.dim, StatsRollup.key,
                   *(func.sum(getattr(StatsRollup, f)) for f in ROLLUP_FIELDS))
            .where(*in_month).group_by(StatsRollup.dim, StatsRollup.key)))
        s.execute(insert(StatsDuration).from_select(
            ["period", "day", "kind", "minute", "n"],
            select(literal("M", String), month, StatsDuration.kind, StatsDuration.minute,
                   func.sum(StatsDuration.n))
            .where(StatsDuration.period == "D", _KINDS,
                   StatsDuration.day.between(first, last))
            .group_by(StatsDuration.kind, StatsDuration.minute)))


def refresh_days(s: Session, days: Iterable[date]) -> int:
    """Recompute the rollups of `days` (and their months); returns the number of days."""
    wanted = sorted(set(days))
    counters = dict(s.execute(select(Counter.id, Counter.number)).tuples().all())
    for chunk in _chunks(wanted):
        s.execute(delete(StatsRollup).where(StatsRollup.period == "D", _DIMS,
                                            StatsRollup.day.in_(chunk)))
        s.execute(delete(StatsDuration).where(StatsDuration.period == "D", _KINDS,
                                              StatsDuration.day.in_(chunk)))
        rows = s.execute(select(*_COLUMNS).where(Appointment.slot_date.in_(chunk),
                                                 _DEPOSIT_VISITS))
        _write(s, _summarise(rows.tuples(), counters))
    _refresh_months(s, wanted)
    return len(wanted)


def rebuild_all(s: Session) -> int:
    """Throw every rollup away and rebuild from the whole appointment table."""
    s.execute(delete(StatsRollup))
    s.execute(delete(StatsDuration))
    counters = dict(s.execute(select(Counter.id, Counter.number)).tuples().all())
    rows = s.execute(select(*_COLUMNS).where(_DEPOSIT_VISITS)
                     .execution_options(yield_per=20_000))
    days = _summarise(rows.tuples(), counters)
    _write(s, days)
    _refresh_months(s, days)
    return len(days)


def _locked_state(s: Session) -> StatsState:
    state = s.scalar(select(StatsState).where(StatsState.id == 1).with_for_update())
    if state is not None:
        return state
    try:
        with s.begin_nested():
            s.add(StatsState(id=1, last_audit_id=-1, refreshed_at=None))
    except IntegrityError:  # another station created it a moment ago
        pass
    return s.scalars(select(StatsState).where(StatsState.id == 1).with_for_update()).one()


def refresh_stale(s: Session, now: datetime) -> int:
    """Bring the rollups up to date with the audit trail; returns the number of days redone.

    Every change to an appointment writes an audit row naming it, so the days to redo are the
    slot dates of the appointments named by audit rows after the watermark. The watermark only
    moves past rows older than SETTLE, so a transaction that took its audit id early but
    committed late is still seen. Never built, or a bulk writer since: rebuild everything.
    """
    state = _locked_state(s)
    last = state.last_audit_id
    settled = s.scalar(
        select(func.max(AuditEvent.id)).where(AuditEvent.id > last, AuditEvent.at <= now - SETTLE)
    )
    bulk = s.scalar(
        select(AuditEvent.id).where(
            AuditEvent.id > last, AuditEvent.action.in_(BULK_ACTIONS)
        ).limit(1)
    )
    if last < 0 or bulk is not None:
        redone = rebuild_all(s)
    else:
        ids = set(s.scalars(select(AuditEvent.appointment_id).where(
            AuditEvent.id > last, AuditEvent.appointment_id.is_not(None))))
        touched = {d for chunk in _chunks(sorted(ids)) for d in s.scalars(
            select(Appointment.slot_date).distinct().where(Appointment.id.in_(chunk)))}
        redone = refresh_days(s, touched) if touched else 0
    if last < 0 and settled is None:
        settled = s.scalar(select(func.max(AuditEvent.id)).where(AuditEvent.at <= now - SETTLE))
    if settled is not None and settled > last:
        state.last_audit_id = settled
    elif last < 0:
        state.last_audit_id = 0
    state.refreshed_at = now
    return redone
