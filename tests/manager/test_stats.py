"""Dashboard figures equal the same figures computed directly from the generated appointments."""

from __future__ import annotations

import math
from collections import Counter
from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from rdv_desktop.errors import ValidationError
from rdv_desktop.models import Counter as CounterRow
from rdv_desktop.models.stats import DURATION_BUCKETS, bucket_of
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.counter.booking import NewAppointment
from rdv_desktop.services.setup import Services
from rdv_desktop.services.stats.service import (
    Figures,
    MinuteBucket,
    bucket_p90,
    nearest_rank,
)
from rdv_desktop.services.stats.stats_rollup import COUNT_FIELDS

from .conftest import TODAY, appointment_rows


def seconds(start, end) -> int | None:
    if start is None or end is None:
        return None
    return max(0, int((end - start).total_seconds()))


def p90_minutes(values: list[int]) -> int:
    """Nearest rank, written out independently: sort, take the ceil(0.9 N)-th value."""
    ordered = sorted(v // 60 for v in values)
    return ordered[math.ceil(0.9 * len(ordered)) - 1]


def test_figures_fields_follow_rollup_columns() -> None:
    assert tuple(Figures.__dataclass_fields__) == COUNT_FIELDS


def test_nearest_rank_on_a_histogram() -> None:
    assert nearest_rank({}, 0.9) is None
    assert nearest_rank({5: 1}, 0.9) == 5
    # 1..10 once each: rank ceil(9) = 9 → 9; the median (rank 5) → 5.
    hist = {m: 1 for m in range(1, 11)}
    assert nearest_rank(hist, 0.9) == 9
    assert nearest_rank(hist, 0.5) == 5
    assert nearest_rank({0: 9, 30: 1}, 0.9) == 0
    assert nearest_rank({0: 8, 30: 2}, 0.9) == 30


def expected_bucket(values: list[int]) -> MinuteBucket | None:
    """The bucket of the nearest-rank 90th percentile, found by sorting the raw seconds."""
    if not values:
        return None
    minute = p90_minutes(values)
    lower = max(b for b in DURATION_BUCKETS if b <= minute)
    later = [b for b in DURATION_BUCKETS if b > minute]
    return MinuteBucket(lower, later[0] if later else None)


def test_buckets_of_minutes() -> None:
    assert [bucket_of(m) for m in (0, 4, 5, 24, 25, 59, 60, 239, 240, 600)] == [
        0, 0, 1, 4, 5, 8, 9, 14, 15, 15]
    assert bucket_p90([0] * len(DURATION_BUCKETS)) is None
    # 9 people under 5 minutes, 1 at 3 hours: the 90th percentile is still under 5 minutes.
    counts = [9] + [0] * (len(DURATION_BUCKETS) - 1)
    counts[DURATION_BUCKETS.index(180)] = 1
    assert bucket_p90(counts) == MinuteBucket(0, 5)
    assert bucket_p90(counts).label() == "< 5 min"
    counts[DURATION_BUCKETS.index(240)] = 9
    assert bucket_p90(counts) == MinuteBucket(240, None)
    assert bucket_p90(counts).label() == "≥ 240 min"


RANGES = [
    (TODAY, TODAY),
    (TODAY - timedelta(days=6), TODAY),
    (TODAY - timedelta(days=30), TODAY),
    (date(2026, 10, 1), TODAY),  # a whole month (from its monthly rollup) plus days
    (date(2026, 9, 15), date(2026, 12, 31)),  # long: whole months, ragged ends, monthly series
    (date(2026, 10, 29), date(2026, 11, 3)),  # across a month boundary, no whole month
]


@pytest.mark.parametrize(("start", "end"), RANGES)
def test_report_equals_direct_computation(history: Services, manager: Actor, start: date,
                                          end: date) -> None:
    report = history.office.stats.report(manager, start, end)
    rows = appointment_rows(history, start, end)
    assert rows, "the demo generated appointments in the range"

    outcomes = Counter(a.outcome for a in rows)
    arrivals = sum(1 for a in rows if a.arrived_at is not None)
    t = report.totals
    assert t.appointments == len(rows)
    assert (t.cancelled, t.no_show, t.deposited, t.incomplete, t.redirected, t.pending) == (
        outcomes["cancelled"], outcomes["no_show"], outcomes["deposited"],
        outcomes["incomplete"], outcomes["redirected"], outcomes["pending"])
    assert t.arrivals == arrivals
    if arrivals + outcomes["no_show"]:
        assert t.no_show_rate == pytest.approx(
            outcomes["no_show"] / (arrivals + outcomes["no_show"]))
    if outcomes["deposited"] + outcomes["incomplete"]:
        assert t.completeness_rate == pytest.approx(
            outcomes["deposited"] / (outcomes["deposited"] + outcomes["incomplete"]))

    waits = [w for a in rows if (w := seconds(a.arrived_at, a.called_at)) is not None]
    services_ = [d for a in rows
                 if (d := seconds(a.service_started_at, a.finished_at)) is not None]
    assert waits and services_
    assert t.wait_n == len(waits) and t.service_n == len(services_)
    assert t.mean_wait_minutes == pytest.approx(sum(waits) / len(waits) / 60)
    assert t.mean_service_minutes == pytest.approx(sum(services_) / len(services_) / 60)
    assert report.wait.p90_minutes == p90_minutes(waits)
    assert report.service.p90_minutes == p90_minutes(services_)

    with history.ctx.db.read() as s:
        counter_numbers = dict(s.execute(select(CounterRow.id, CounterRow.number)).all())

    def key_of(dim: str, a) -> str:
        return {"motif": lambda: a.motif_code or "",
                "counter": lambda: str(counter_numbers[a.counter_id]) if a.counter_id else "",
                "agent": lambda: str(a.agent_id) if a.agent_id else "",
                "hour": lambda: f"{a.slot_time.hour:02d}"}[dim]()

    for dim, items in (("motif", report.by_motif), ("counter", report.by_counter),
                       ("agent", report.by_agent), ("hour", report.by_hour)):
        for b in items:
            mine = [a for a in rows if key_of(dim, a) == b.key]
            assert b.figures.wait_n == len(
                [a for a in mine if a.arrived_at and a.called_at]), (dim, b.key)
            mine_waits = [seconds(a.arrived_at, a.called_at) for a in mine]
            mine_services = [seconds(a.service_started_at, a.finished_at) for a in mine]
            assert b.wait_p90 == expected_bucket(
                [w for w in mine_waits if w is not None]), (dim, b.key)
            assert b.service_p90 == expected_bucket(
                [d for d in mine_services if d is not None]), (dim, b.key)
    assert any(b.wait_p90 is not None for b in report.by_counter if b.key)

    by_motif = {b.key: b.figures.appointments for b in report.by_motif}
    assert by_motif == dict(Counter(a.motif_code or "" for a in rows))
    by_hour = {b.key: b.figures.appointments for b in report.by_hour}
    assert by_hour == dict(Counter(f"{a.slot_time.hour:02d}" for a in rows))
    by_agent = {b.key: b.figures.deposited for b in report.by_agent}
    expected_agent = Counter(str(a.agent_id) if a.agent_id else "" for a in rows
                             if a.outcome == "deposited")
    assert {k: v for k, v in by_agent.items() if v} == dict(expected_agent)
    assert sum(f.appointments for _, f in report.series) == len(rows)
    if report.series_by_month:
        assert all(day.day == 1 for day, _ in report.series)
        assert sum(f.deposited for _, f in report.series) == outcomes["deposited"]
    else:
        assert all(start <= day <= end for day, _ in report.series)


def test_whole_months() -> None:
    from rdv_desktop.services.stats.service import whole_months

    assert whole_months(date(2026, 10, 1), date(2026, 10, 31)) == (date(2026, 10, 1),) * 2
    assert whole_months(date(2026, 10, 2), date(2026, 10, 31)) is None
    assert whole_months(date(2026, 9, 15), date(2026, 12, 30)) == (date(2026, 10, 1),
                                                                 date(2026, 11, 1))
    assert whole_months(date(2026, 2, 1), date(2026, 2, 28)) == (date(2026, 2, 1),) * 2


def test_counter_actions_reach_the_dashboard(history: Services, manager: Actor,
                                             agent: Actor, accueil: Actor, clock) -> None:
    office = history.office
    before = office.stats.report(manager, TODAY, TODAY).totals
    view = history.booking.create(accueil, NewAppointment(
        "TESTEUR", "Jean", TODAY, time(10, 0), history.catalogue.current().motifs[0].code))
    history.appointments.check_in(accueil, view.id)
    clock.advance(minutes=7)
    history.appointments.call(agent, view.id)
    after = office.stats.report(manager, TODAY, TODAY).totals
    assert after.appointments == before.appointments + 1
    assert after.arrivals == before.arrivals + 1
    assert after.wait_n == before.wait_n + 1
    assert after.wait_sum_s == before.wait_sum_s + 7 * 60
    # Later, once the audit rows have settled, nothing is recomputed and nothing changes.
    clock.advance(minutes=5)
    office.stats.refresh()
    assert office.stats.refresh() == 0
    assert office.stats.report(manager, TODAY, TODAY).totals == after


def test_past_day_change_reaches_the_dashboard(history: Services, manager: Actor,
                                               admin: Actor, clock) -> None:
    office = history.office
    office.stats.report(manager, TODAY, TODAY)
    clock.advance(minutes=5)
    office.stats.refresh()
    day = TODAY + timedelta(days=3)
    view = history.booking.create(admin, NewAppointment(
        "FUTUR", "Ana", day, time(9, 0), history.catalogue.current().motifs[0].code))
    history.appointments.cancel(admin, view.id, "demande de la personne")
    figures = office.stats.report(manager, day, day).totals
    assert (figures.appointments, figures.cancelled) == (1, 1)


def test_empty_range_gives_zero_figures(history: Services, manager: Actor) -> None:
    far = date(2001, 1, 1)
    report = history.office.stats.report(manager, far, far)
    assert report.totals == Figures()
    assert report.wait.p90_minutes is None and report.by_motif == ()


def test_bad_ranges_are_refused(services: Services, manager: Actor) -> None:
    stats = services.office.stats
    with pytest.raises(ValidationError, match="inversée"):
        stats.report(manager, TODAY, TODAY - timedelta(days=1))
    with pytest.raises(ValidationError, match="début"):
        stats.report(manager, None, TODAY)


def test_a_populated_database_upgrades_from_0002(history: Services, manager: Actor) -> None:
    """Migration 0003 recreates the rollups with their histograms; the figures come back equal
    and the breakdowns gain their 90th percentiles, on both databases."""
    from alembic import command
    from sqlalchemy import inspect

    from rdv_desktop.models.migrate import alembic_config, head_revision, upgrade

    start, end = TODAY - timedelta(days=30), TODAY
    before = history.office.stats.report(manager, start, end)
    db = history.ctx.db
    cfg = alembic_config()
    try:
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0002")
        with db.engine.connect() as conn:
            columns = {c["name"] for c in inspect(conn).get_columns("stats_rollup")}
        assert "wait_b000" not in columns
    finally:
        upgrade(db)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == (
            head_revision())
    after = history.office.stats.report(manager, start, end)
    assert after.totals == before.totals and after.wait == before.wait
    assert after.by_motif == before.by_motif
    assert any(b.wait_p90 is not None for b in after.by_motif)
