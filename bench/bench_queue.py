"""The counter's queue with 2,000 appointments today and ~1M in history.

Measures, on a real QueuePanel (offscreen Qt) of an agent, its database work running in the
window's executor (a worker thread; each figure waits for the answer to reach the UI thread):
- open: building the panel and loading the day (service query, 2,000 views, model reset);
- reload: a later F5 on the same panel;
- change → visible: another station (its own engine and session) checks someone in; the time
  for this station's poll to find the change and update that one row (the poll runs every
  second, so the worst-case delay a person sees is that second plus this time);
- idle CPU: the panel polling once a second for `--idle` seconds with nothing happening;
- peak RSS of the process.
Prints one JSON document. Database: the same generator as bench_scan.py (history_gen.py).

Usage: python bench/bench_queue.py [--changes 200] [--idle 30] [--sqlite PATH] [--pg URL]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from datetime import time as hour
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_dashboard import pg_schema
from bench_scan import TODAY, bench_files, percentiles, prepare
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from rdv_desktop.models import Appointment
from rdv_desktop.models.db import Database
from rdv_desktop.services.core.actor import system_actor
from rdv_desktop.services.core.clock import FixedClock, at_paris
from rdv_desktop.services.core.context import ServiceContext
from rdv_desktop.services.setup import Services
from rdv_desktop.ui.executor import DbExecutor
from rdv_desktop.ui.queue_panel import QueuePanel


def drain(app: QApplication, executor: DbExecutor) -> None:
    """Process events until every submitted call has answered on the UI thread."""
    while not executor.is_idle():
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)


def agent_actor(services: Services) -> Any:
    admin = system_actor("BENCH")
    if "agent" not in {u.login for u in services.users.list_users(admin)}:
        services.users.create_user(admin, "agent", "Agent", {"agent"}, "bench-agent-2026")
    return services.users.authenticate("agent", "bench-agent-2026", "GUICHET-1", 1)


def run(url: str, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    app = QApplication.instance() or QApplication([])
    clock = FixedClock(at_paris(TODAY, hour(12, 0)))
    services, info = prepare(url, 5, 770, clock, workdir / "keys")
    actor = agent_actor(services)

    executor = DbExecutor()
    begin = time.perf_counter()
    panel = QueuePanel(services, actor, executor)
    panel.timer.stop()
    drain(app, executor)
    open_ms = (time.perf_counter() - begin) * 1000
    assert panel.model.rowCount() >= 2000
    panel.changed.connect(panel.apply_changes)  # the main window's broadcast, in short
    reloads = []
    for _ in range(10):
        begin = time.perf_counter()
        panel.reload()
        drain(app, executor)
        reloads.append((time.perf_counter() - begin) * 1000)

    other = Services.build(ServiceContext.create(Database(url), "CANTAL", clock, "ACCUEIL-2",
                                                 workdir / "keys"))
    accueil = other.users.authenticate("agent", "bench-agent-2026", "ACCUEIL-2", None)
    with other.ctx.db.read() as s:
        ids = s.scalars(select(Appointment.id).where(Appointment.slot_date == TODAY,
                                                     Appointment.arrived_at.is_(None))
                        .order_by(Appointment.id).limit(args.changes)).all()
    changes = []
    for appointment_id in ids:
        other.appointments.check_in(accueil, appointment_id, accept_timing=True)
        begin = time.perf_counter()
        panel.poll()
        drain(app, executor)
        changes.append((time.perf_counter() - begin) * 1000)
        row = panel.model.row_of(appointment_id)
        assert panel.model.view_at(row).arrived_at is not None
    idle_polls = []
    panel.timer.timeout.connect(lambda: idle_polls.append(1))
    panel.timer.start()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    loop = QEventLoop()
    QTimer.singleShot(int(args.idle * 1000), loop.quit)
    loop.exec()
    cpu = time.process_time() - cpu0
    wall = time.perf_counter() - wall0
    panel.timer.stop()
    drain(app, executor)
    executor.shutdown()
    other.ctx.db.dispose()
    services.ctx.db.dispose()
    del app
    return {**info,
            "open_queue_ms": round(open_ms, 1),
            "reload_ms": percentiles(reloads),
            "change_to_row_updated": percentiles(changes[5:]),
            "idle": {"seconds": round(wall, 1), "polls": len(idle_polls),
                     "cpu_percent": round(100 * cpu / wall, 2)}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--idle", type=float, default=30.0)
    parser.add_argument("--sqlite", help="SQLite file to create or reuse (default: temporary)")
    parser.add_argument("--pg", help="also run on PostgreSQL (a fresh schema, dropped after)")
    args = parser.parse_args()
    workdir, path = bench_files(args.sqlite, "queue")
    report: dict[str, Any] = {
        "bench": "queue", "python": platform.python_version(), "cpus": os.cpu_count(),
        "sqlite": run(f"sqlite:///{path}", args, workdir),
    }
    if args.pg:
        url, drop = pg_schema(args.pg)
        try:
            report["postgresql"] = run(url, args, workdir)
        finally:
            drop()
    report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
