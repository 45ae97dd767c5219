"""The stations' live feed: how soon a change is seen, and whether a long import loses any.

On a fresh database with 2,000 appointments today, three measures:
- latency: another station (its own engine) checks people in one at a time; a poller thread,
  polling every `--poll-ms`, notes when each row first shows. Reported from the return of
  `check_in` (the commit) to the poll that returned the row; the app polls every second, so
  what a person sees is at most that second plus `poll_one_change`;
- poll costs: an idle poll (nothing changed), a poll returning one change, and an idle poll
  that also runs the safety net (the day's fingerprints; once every 30 s in the app);
- race: an import of `--import-rows` appointments in one transaction runs while a station keeps
  checking people in and two pollers watch: the feed (safety net off, so it is judged alone)
  and, for comparison, the former cursor (highest audit id seen, 50 ids looked back).
  `missed` counts imported or checked-in appointments a poller never reported within 3 s of
  the end. On SQLite writers queue, so nothing commits out of order and both find everything.
Prints one JSON document.

Usage: python bench/bench_feed.py [--changes 200] [--poll-ms 50] [--import-rows 3000]
                                  [--pg URL]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import time as hour
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_dashboard import pg_schema
from bench_scan import TODAY, percentiles, today_rows
from sqlalchemy import func, insert, select

from rdv_desktop.models import Appointment, AuditEvent, Site
from rdv_desktop.models.db import Database
from rdv_desktop.services.core.actor import system_actor
from rdv_desktop.services.core.clock import FixedClock, at_paris
from rdv_desktop.services.core.context import ServiceContext
from rdv_desktop.services.counter.queue_feed import QueueFeed
from rdv_desktop.services.importing import ImportService
from rdv_desktop.services.setup import Services, prepare_database

OLD_OVERLAP = 50  # the former feed's look-back, in audit ids
SETTLE_S = 3.0


def station(url: str, name: str, clock: FixedClock, workdir: Path) -> Services:
    """A station of its own: engine, connections and services."""
    return Services.build(ServiceContext.create(Database(url), "CANTAL", clock, name,
                                                workdir / "keys", workdir / "pdf"))


def prepare(url: str, clock: FixedClock, workdir: Path) -> Services:
    services = station(url, "BENCH", clock, workdir)
    prepare_database(services.ctx)
    with services.ctx.db.read() as s:
        site_id = s.scalar(select(Site.id))
    motif = services.catalogue.current().motifs[0].code
    with services.ctx.db.engine.begin() as conn:
        conn.execute(insert(Appointment.__table__), today_rows(site_id, motif))
    return services


def waiting_ids(services: Services, count: int, offset: int) -> list[int]:
    with services.ctx.db.read() as s:
        return list(s.scalars(select(Appointment.id)
                              .where(Appointment.slot_date == TODAY,
                                     Appointment.arrived_at.is_(None))
                              .order_by(Appointment.id).offset(offset).limit(count)))


class FeedPoller(threading.Thread):
    """A station's poll loop on the feed, remembering when it first saw each appointment."""

    def __init__(self, services: Services, poll_s: float) -> None:
        super().__init__(daemon=True)
        self.feed = QueueFeed(services.appointments, reconcile_every=math.inf)
        self.actor = system_actor("GUICHET-9")
        self.cursor: Any = self.feed.latest_event_id()
        self.poll_s = poll_s
        self.first_seen: dict[int, float] = {}
        self.repaired = 0
        self.halt = threading.Event()

    def poll(self) -> None:
        changes = self.feed.changes(self.actor, TODAY, self.cursor)
        now = time.perf_counter()
        self.cursor = changes.cursor
        self.repaired += len(changes.repaired)
        for view in changes.changed:
            self.first_seen.setdefault(view.id, now)

    def run(self) -> None:
        while not self.halt.is_set():
            self.poll()
            self.halt.wait(self.poll_s)


class OldCursorPoller(FeedPoller):
    """The former feed: highest audit id seen, looking back OLD_OVERLAP ids at each poll."""

    def __init__(self, services: Services, poll_s: float) -> None:
        super().__init__(services, poll_s)
        self.db = services.ctx.db
        with self.db.read() as s:
            self.since = s.scalar(select(func.max(AuditEvent.id))) or 0

    def poll(self) -> None:
        with self.db.read() as s:
            last = s.scalar(select(func.max(AuditEvent.id))) or 0
            if last <= self.since:
                return
            touched = set(s.scalars(select(AuditEvent.appointment_id).where(
                AuditEvent.id > self.since - OLD_OVERLAP,
                AuditEvent.appointment_id.is_not(None))))
        now = time.perf_counter()
        self.since = last
        for appointment_id in touched:
            self.first_seen.setdefault(appointment_id, now)


def timed(action: Callable[[], object], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        begin = time.perf_counter()
        action()
        samples.append((time.perf_counter() - begin) * 1000)
    return samples


def latency(url: str, services: Services, clock: FixedClock, workdir: Path,
            args: argparse.Namespace) -> dict[str, Any]:
    other = station(url, "ACCUEIL-2", clock, workdir)
    clerk = system_actor("ACCUEIL-2")
    poller = FeedPoller(station(url, "GUICHET-9", clock, workdir), args.poll_ms / 1000)
    poller.start()
    committed: dict[int, float] = {}
    for appointment_id in waiting_ids(services, args.changes, 0):
        other.appointments.check_in(clerk, appointment_id, accept_timing=True)
        committed[appointment_id] = time.perf_counter()
        time.sleep(args.poll_ms / 1000 * 0.37)  # not in step with the poll loop
    deadline = time.perf_counter() + SETTLE_S
    while set(committed) - set(poller.first_seen) and time.perf_counter() < deadline:
        time.sleep(0.01)
    poller.halt.set()
    poller.join()
    delays = [max(0.0, poller.first_seen[i] - t) * 1000 for i, t in committed.items()
              if i in poller.first_seen]
    feed, agent = QueueFeed(services.appointments), system_actor("GUICHET-1")
    cursor = feed.changes(agent, TODAY, feed.latest_event_id()).cursor
    idle = timed(lambda: feed.changes(agent, TODAY, cursor), args.changes)
    netted = QueueFeed(services.appointments, reconcile_every=0.0)  # the net at every poll
    start = netted.changes(agent, TODAY, netted.latest_event_id()).cursor
    reconcile = timed(lambda: netted.changes(agent, TODAY, start), 50)
    one: list[float] = []
    for appointment_id in waiting_ids(services, 50, 0):
        other.appointments.check_in(clerk, appointment_id, accept_timing=True)
        begin = time.perf_counter()
        changes = feed.changes(agent, TODAY, cursor)
        one.append((time.perf_counter() - begin) * 1000)
        cursor = changes.cursor
        assert [v.id for v in changes.changed] == [appointment_id]
    other.ctx.db.dispose()
    poller.feed.ctx.db.dispose()
    return {"poll_interval_ms": args.poll_ms,
            "commit_to_seen": {**percentiles(delays), "unseen": len(committed) - len(delays)},
            "poll_idle": percentiles(idle), "poll_one_change": percentiles(one),
            "poll_idle_with_safety_net": percentiles(reconcile)}


def race(url: str, services: Services, clock: FixedClock, workdir: Path,
         args: argparse.Namespace) -> dict[str, Any]:
    """A long import, check-ins committing meanwhile, and two pollers watching."""
    path = workdir / "import.csv"
    path.write_text("\n".join(["Référence;Nom;Prénom;Date;Heure;Motif"] + [
        f"FEED-{i};Importe{i};Jeanne;{TODAY:%d/%m/%Y};{8 + i // 60 % 10:02d}:{i % 60:02d};"
        "RETRAITE" for i in range(args.import_rows)]), encoding="utf-8")
    importer_station = station(url, "IMPORT-1", clock, workdir)
    importer = ImportService(importer_station.appointments, importer_station.catalogue)
    other = station(url, "ACCUEIL-2", clock, workdir)
    clerk = system_actor("ACCUEIL-2")
    pollers = {"feed": FeedPoller(station(url, "GUICHET-8", clock, workdir), args.poll_ms / 1000),
               "old_max_id_cursor": OldCursorPoller(station(url, "GUICHET-9", clock, workdir),
                                                    args.poll_ms / 1000)}
    for poller in pollers.values():
        poller.start()
    imported_at: list[float] = []

    def run_import() -> None:
        importer.import_file(system_actor("IMPORT-1"), path)
        imported_at.append(time.perf_counter())

    worker = threading.Thread(target=run_import)
    began = time.perf_counter()
    worker.start()
    checked: set[int] = set()
    for appointment_id in waiting_ids(services, 400, 0):
        if not worker.is_alive():
            break
        other.appointments.check_in(clerk, appointment_id, accept_timing=True)
        checked.add(appointment_id)
        time.sleep(0.02)
    worker.join()
    with services.ctx.db.read() as s:
        imported = set(s.scalars(select(Appointment.id)
                                 .where(Appointment.reference.like("FEED-%"))))
    expected = imported | checked
    deadline = time.perf_counter() + SETTLE_S
    while (any(expected - set(p.first_seen) for p in pollers.values())
           and time.perf_counter() < deadline):
        time.sleep(0.02)
    for poller in pollers.values():
        poller.halt.set()
        poller.join()
    result: dict[str, Any] = {"import_rows": len(imported), "import_s":
                              round(imported_at[0] - began, 2),
                              "check_ins_during_import": len(checked)}
    for name, poller in pollers.items():
        seen = set(poller.first_seen)
        last_import_seen = max((poller.first_seen[i] for i in imported & seen), default=None)
        result[name] = {
            "missed": len(expected - seen),
            "missed_imported": len(imported - seen),
            "missed_check_ins": len(checked - seen),
            "import_seen_after_commit_ms": None if imported - seen or last_import_seen is None
            else round((last_import_seen - imported_at[0]) * 1000, 1),
        }
    result["feed"]["repaired_by_safety_net"] = pollers["feed"].repaired
    for s in (importer_station, other, *(p.feed.appointments for p in pollers.values())):
        s.ctx.db.dispose()
    return result


def run(url: str, args: argparse.Namespace) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="bench-feed-"))
    clock = FixedClock(at_paris(TODAY, hour(12, 0)))
    services = prepare(url, clock, workdir)
    try:
        return {"latency": latency(url, services, clock, workdir, args),
                "race": race(url, services, clock, workdir, args)}
    finally:
        services.ctx.db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--poll-ms", type=float, default=50.0)
    parser.add_argument("--import-rows", type=int, default=3000)
    parser.add_argument("--pg", help="also run on PostgreSQL (a fresh schema, dropped after)")
    args = parser.parse_args()
    path = Path(tempfile.mkdtemp(prefix="bench-feed-")) / "feed.sqlite3"
    report: dict[str, Any] = {"bench": "live_feed", "python": platform.python_version(),
                              "cpus": os.cpu_count(), "sqlite": run(f"sqlite:///{path}", args)}
    if args.pg:
        url, drop = pg_schema(args.pg)
        try:
            report["postgresql"] = run(url, args)
        finally:
            drop()
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
