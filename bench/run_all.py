"""Every performance goal in one JSON document, measured in one run on one database.

Builds (or reuses, with --sqlite PATH) a SQLite database of ~1M appointments over five years
plus 2,000 today, then runs: start-up to queue visible next to a bare QMainWindow (the floor),
the scan benchmark, the attestation render next to its floor, the dashboard ranges, the queue
benchmark (change → visible, idle CPU), a 200,000-row import (peak memory, another station's
longest write wait), and reports each process's peak RSS.

Usage: python bench/run_all.py [--sqlite PATH] [--starts 5]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
GOALS = {
    "startup_ratio_max": 4.0, "scan_p99_ms": 50.0, "attestation_ratio_max": 1.5,
    "dashboard_max_ms": 150.0, "idle_cpu_percent": 2.0, "rss_mb": 250.0,
    "import_rss_mb": 300.0, "import_station_wait_s": 1.0,
}


def run_json(*args: str) -> dict[str, Any]:
    """Run a bench script; return its JSON and the child's peak RSS (from wait4)."""
    proc = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, text=True)
    out = proc.stdout.read() if proc.stdout else ""
    _pid, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{args[0]} failed")
    result = json.loads(out)
    result["process_peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)
    return result


def timed_starts(args: list[str], count: int) -> dict[str, Any]:
    """Start the probe `count` times after one discarded warm-up start.

    An installed station runs from bytecode (pip and the bundle compile it), so the probe may
    write its `__pycache__` even where PYTHONDONTWRITEBYTECODE is set for development; the
    warm-up start writes it and fills the OS file cache, as any earlier start of the day did.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    walls, rss, out = [], [], ""
    for n in range(count + 1):
        begin = time.perf_counter()
        proc = subprocess.Popen([sys.executable, str(HERE / "startup_probe.py"), *args],
                                stdout=subprocess.PIPE, text=True, env=env)
        out = proc.stdout.read() if proc.stdout else ""
        _pid, status, usage = os.wait4(proc.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"start-up probe {args} failed")
        if n == 0:
            continue  # the warm-up start
        walls.append((time.perf_counter() - begin) * 1000)
        rss.append(usage.ru_maxrss / 1024)
    return {"median_ms": round(statistics.median(walls), 1), "max_ms": round(max(walls), 1),
            "peak_rss_mb": round(max(rss), 1), "queue_rows": out.strip() or None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", help="database file to build or reuse")
    parser.add_argument("--starts", type=int, default=5)
    args = parser.parse_args()
    path = Path(args.sqlite) if args.sqlite else Path(tempfile.mkdtemp()) / "bench.sqlite3"
    url = f"sqlite:///{path}"
    report: dict[str, Any] = {"python": platform.python_version(), "cpus": os.cpu_count(),
                              "database": str(path)}
    report["queue"] = run_json(str(HERE / "bench_queue.py"), "--sqlite", str(path),
                               "--idle", "30")  # builds the database on first use
    report["scan"] = run_json(str(HERE / "bench_scan.py"), "--sqlite", str(path),
                              "--scans", "300")
    report["attestation"] = run_json(str(HERE / "bench_attestation.py"))
    report["dashboard"] = run_json(str(HERE / "bench_dashboard.py"), "--sqlite", str(path),
                                   "--reuse")
    report["import"] = run_json(str(HERE / "import_bench.py"))  # 200,000 rows, own databases
    floor = timed_starts(["floor"], args.starts)
    app = timed_starts(["app", url], args.starts)
    report["startup"] = {"floor": floor, "app_queue_visible": app,
                         "ratio": round(app["median_ms"] / floor["median_ms"], 2)}
    queue = report["queue"]["sqlite"]
    ranges = report["dashboard"]["results"][0]["report_ms"]
    dashboard_max = max(r["max_ms"] for r in ranges.values())
    rss = max(app["peak_rss_mb"], report["queue"]["process_peak_rss_mb"],
              report["scan"]["process_peak_rss_mb"])
    report["goals"] = {
        "startup_ratio": [report["startup"]["ratio"], GOALS["startup_ratio_max"]],
        "scan_p99_ms": [report["scan"]["sqlite"]["enter_to_panel_and_queue_row"]["p99_ms"],
                        GOALS["scan_p99_ms"]],
        "attestation_ratio": [report["attestation"]["ratio_median"],
                              GOALS["attestation_ratio_max"]],
        "dashboard_max_ms": [dashboard_max, GOALS["dashboard_max_ms"]],
        "idle_cpu_percent": [queue["idle"]["cpu_percent"], GOALS["idle_cpu_percent"]],
        "peak_rss_mb": [rss, GOALS["rss_mb"]],
        "import_peak_rss_mb": [max(report["import"]["sqlite"][step]["peak_rss_mb"]
                                   for step in ("first_import", "reimport_unchanged")),
                               GOALS["import_rss_mb"]],
        "import_other_station_wait_s": [
            max(report["import"]["sqlite"][step]["other_station"]["max_wait_s"]
                for step in ("first_import", "reimport_unchanged")),
            GOALS["import_station_wait_s"]],
    }
    report["all_goals_met"] = all(value <= goal for value, goal in report["goals"].values())
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
