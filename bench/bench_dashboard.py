"""Dashboard figures on five years of history (~1M appointments): any range must take < 150 ms.

Generates the history (bench/history_gen.py), builds the rollups once, then times
`StatsService.report()` — the whole call the dashboard makes: permission check, staleness check
against the audit trail, and the range query — for a day, a week, a month, a year and five
years, at several positions in the history. For scale, it also times the direct count over
`appointment` that the rollups replace. Prints one JSON document.

Usage: python bench/bench_dashboard.py [--per-day 770] [--years 5] [--runs 15]
                                       [--sqlite PATH] [--pg URL]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from history_gen import HistorySpec, HistorySummary, generate_history

from rdv_desktop.models import Appointment
from rdv_desktop.models.db import Database
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.core.clock import PARIS, FixedClock
from rdv_desktop.services.core.context import ServiceContext
from rdv_desktop.services.setup import Services, prepare_database

END = date(2026, 11, 20)
MANAGER = Actor(1, "bench", "Bench", frozenset({"manager"}), "BENCH")


def timed(fn: Callable[[], object], runs: int) -> dict[str, float]:
    samples = []
    for _ in range(runs):
        begin = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - begin) * 1000)
    return {"median_ms": round(statistics.median(samples), 2),
            "max_ms": round(max(samples), 2)}


def ranges(end: date, years: int) -> dict[str, list[tuple[date, date]]]:
    """Each kind of range at three positions: recent, middle and oldest part of the history."""
    start = end - timedelta(days=365 * years)
    anchors = [end, start + (end - start) / 2, start + timedelta(days=400)]
    out: dict[str, list[tuple[date, date]]] = {"day": [], "week": [], "month": [], "year": []}
    for a in anchors:
        a = a - timedelta(days=a.weekday())  # a Monday
        out["day"].append((a, a))
        out["week"].append((a, a + timedelta(days=6)))
        first = a.replace(day=1)
        nxt = (first + timedelta(days=32)).replace(day=1)
        out["month"].append((first, nxt - timedelta(days=1)))
        out["year"].append((a - timedelta(days=364), a))
    out[f"{years}_years"] = [(start, end)]
    return out


def run(url: str, per_day: int, years: int, runs: int, reuse: bool = False
        ) -> dict[str, object]:
    db = Database(url)
    now = datetime.combine(END + timedelta(days=1), datetime.min.time(), PARIS)
    ctx = ServiceContext.create(db, "CANTAL", FixedClock(now), "BENCH")
    prepare_database(ctx)
    services = Services.build(ctx)
    start = END - timedelta(days=365 * years)
    stats = services.office.stats
    with db.read() as s:
        existing = s.scalar(select(func.count()).select_from(Appointment))
    if reuse and existing:
        history = HistorySummary(existing, 0, 0.0)
        with db.write() as s:
            s.execute(text("DELETE FROM stats_state"))
    else:
        history = generate_history(db, HistorySpec(start, END, per_day))
    begin = time.perf_counter()
    stats.refresh()  # first use: builds every day's rollup
    build_s = time.perf_counter() - begin
    with db.read() as s:
        rollup_rows = s.execute(text("SELECT count(*) FROM stats_rollup")).scalar()
        hist_rows = s.execute(text("SELECT count(*) FROM stats_duration")).scalar()
    timings: dict[str, object] = {}
    for kind, spans in ranges(END, years).items():
        results = [timed(lambda a=a, b=b: stats.report(MANAGER, a, b), runs) for a, b in spans]
        timings[kind] = {
            "median_ms": max(r["median_ms"] for r in results),  # worst position
            "max_ms": max(r["max_ms"] for r in results),
        }
    refresh_only = timed(stats.refresh, runs)
    day_redo = timed(lambda: stats.refresh_days([END]), max(3, runs // 3))

    def direct(a: date, b: date) -> None:
        with db.read() as s:
            s.execute(select(Appointment.outcome, Appointment.motif_code, func.count())
                      .where(Appointment.slot_date.between(a, b))
                      .group_by(Appointment.outcome, Appointment.motif_code)).all()

    baseline = {
        "month_ms": timed(lambda: direct(*ranges(END, years)["month"][0]), 3)["median_ms"],
        "year_ms": timed(lambda: direct(*ranges(END, years)["year"][0]), 3)["median_ms"],
    }
    db.dispose()
    return {
        "database": db.dialect,
        "appointments": history.appointments,
        "days": history.days,
        "insert_s": round(history.seconds, 1),
        "rollup_build_s": round(build_s, 2),
        "stats_rollup_rows": rollup_rows,
        "stats_duration_rows": hist_rows,
        "report_ms": timings,
        "staleness_check_ms": refresh_only,
        "recompute_one_day_ms": day_redo,
        "direct_count_without_rollups": baseline,
        "goal_ms": 150,
        "goal_met": all(t["max_ms"] < 150 for t in timings.values()),  # type: ignore[index]
    }


def pg_schema(base: str) -> tuple[str, Callable[[], None]]:
    schema = f"bench_dashboard_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return f"{base}{sep}options=-csearch_path%3D{schema}", drop


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-day", type=int, default=770)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--sqlite", help="keep the SQLite database at this path")
    parser.add_argument("--reuse", action="store_true",
                        help="with --sqlite: keep the history already in that file")
    parser.add_argument("--pg", help="also run on this PostgreSQL (a scratch schema is used)")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.sqlite) if args.sqlite else Path(tmp) / "bench.sqlite3"
        if path.exists() and not args.reuse:
            path.unlink()
        results.append(run(f"sqlite:///{path}", args.per_day, args.years, args.runs,
                           args.reuse))
    if args.pg:
        url, drop = pg_schema(args.pg)
        try:
            results.append(run(url, args.per_day, args.years, args.runs))
        finally:
            drop()
    print(json.dumps({
        "bench": "dashboard",
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "results": results,
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
