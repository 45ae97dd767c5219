"""A station whose PostgreSQL link goes silent: does the window keep repainting?

The real MainWindow (offscreen Qt) talks to PostgreSQL through a TCP relay on 127.0.0.1
(tests/faults/tcp_relay.py). The relay stops forwarding bytes while keeping its sockets open,
as a dead switch does; the queue keeps polling and the agent presses F2. A 10 ms heartbeat
timer measures the event loop's longest stall (goal < 200 ms); also timed: the red banner
(goal < 5 s) and, once the relay forwards again, the banner gone and F2 working (recovery).

Usage: python bench/bench_silent.py --pg URL [--silence 12] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import time as hour
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_dashboard import pg_schema
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy.engine import make_url

from rdv_desktop.models.db import Database
from rdv_desktop.services.core.actor import system_actor
from rdv_desktop.services.core.clock import SystemClock, local_today
from rdv_desktop.services.core.context import ServiceContext
from rdv_desktop.services.counter.booking import NewAppointment
from rdv_desktop.services.setup import Services, prepare_database
from rdv_desktop.ui.main_window import MainWindow
from tests.faults.tcp_relay import TcpRelay

HEARTBEAT_MS = 10


def wait_until(app: QApplication, condition: Any, limit_s: float) -> float | None:
    """Seconds until `condition()` holds (events processed meanwhile), None past `limit_s`."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > limit_s:
            return None
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 20)
    return time.monotonic() - start


def run(url: str, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    app = QApplication.instance() or QApplication([])
    clock = SystemClock()
    ctx = ServiceContext.create(Database(url), "CANTAL", clock, "BENCH", workdir / "keys",
                                workdir / "pdf")
    prepare_database(ctx)
    seed = Services.build(ctx)
    admin = system_actor("BENCH")
    seed.users.create_user(admin, "agent", "Agent", {"agent"}, "bench-agent-2026")
    seed.users.create_user(admin, "accueil", "Accueil", {"accueil"}, "bench-accueil-2026")
    agent = seed.users.authenticate("agent", "bench-agent-2026", "BENCH", 1)
    today = local_today(clock)
    parsed = make_url(url)
    rounds = []
    with TcpRelay(parsed.host or "127.0.0.1", parsed.port or 5432,
                  lifetime_s=args.rounds * (args.silence + 60)) as relay:
        relayed = parsed.set(host="127.0.0.1", port=relay.port)
        station = Services.build(ServiceContext.create(
            Database(relayed.render_as_string(hide_password=False)), "CANTAL", clock, "BENCH",
            workdir / "keys", workdir / "pdf"))
        window = MainWindow(station, agent, "bench")
        window.show()
        wait_until(app, window.executor.is_idle, 30)
        beats: list[float] = []
        last = [time.monotonic()]

        def beat() -> None:
            now = time.monotonic()
            beats.append(now - last[0])
            last[0] = now

        heartbeat = QTimer()
        heartbeat.setInterval(HEARTBEAT_MS)
        heartbeat.timeout.connect(beat)
        for n in range(args.rounds):
            accueil = seed.users.authenticate("accueil", "bench-accueil-2026", "BENCH", None)
            view = seed.booking.create(accueil, NewAppointment(f"Silence{n}", "Test", today,
                                                               hour(23, 59), "RETRAITE"))
            seed.appointments.check_in(accueil, view.id, accept_timing=True)
            beats.clear()
            last[0] = time.monotonic()
            heartbeat.start()
            relay.pause()
            window.queue.actions_by_name["call_next"].trigger()
            banner = wait_until(app, window.banner.isVisible, 30)
            wait_until(app, lambda: False, args.silence)  # the poll keeps ticking meanwhile
            relay.resume()
            recovered = wait_until(app, lambda: not window.banner.isVisible(), 60)
            wait_until(app, window.executor.is_idle, 60)
            heartbeat.stop()
            rounds.append({"banner_s": None if banner is None else round(banner, 2),
                           "recovered_after_resume_s": None if recovered is None
                           else round(recovered, 2),
                           "worst_stall_ms": round(max(beats, default=0) * 1000, 1)})
            held = station.counter.current(agent)
            if held is not None:  # put the person called during the silence back
                station.counter.send_back(agent)
        window.close()
        wait_until(app, window.executor.is_idle, 30)
        station.ctx.db.dispose()
    ctx.db.dispose()
    return {"rounds": rounds,
            "worst_stall_ms": max(r["worst_stall_ms"] for r in rounds),
            "banner_s_max": max((r["banner_s"] or 99) for r in rounds)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", required=True, help="PostgreSQL base URL (a scratch schema)")
    parser.add_argument("--silence", type=float, default=12.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    import tempfile

    url, drop = pg_schema(args.pg)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            result = run(url, args, Path(tmp))
    finally:
        drop()
    print(json.dumps({"bench": "silent_link", "python": platform.python_version(),
                      "cpus": os.cpu_count(), "goals": {"worst_stall_ms": 200, "banner_s": 5},
                      "postgresql": result}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
