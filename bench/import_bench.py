"""Imports as hostile, large input: peak memory, duration, and how long another station waits.

For a 200,000-row CSV (bench_import.py's generator) imported into a fresh SQLite database, then
re-imported unchanged: each import runs in a child process (its peak RSS from /proc VmHWM, its
duration), while this process plays another station and books an appointment every 0.3 s through
the services (one short write transaction each), timing every booking and counting those refused
(« base occupée » after the 5 s busy timeout). Then the hostile workbooks of the tests (the
1.5 KB sheet declaring A1:XFD1048576, the ~1M-row sheet, a zip bomb) are read in child processes:
seconds, peak RSS and the French outcome. Prints one JSON document.
Usage: python bench/import_bench.py [--rows 200000] [--pg postgresql+psycopg://…]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime
from datetime import time as clock_time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent), str(HERE.parent / "tests" / "importing")]

from bench_import import NOW, fresh_database, write_csv  # noqa: E402

from rdv_desktop.errors import RdvError  # noqa: E402
from rdv_desktop.models.db import Database  # noqa: E402
from rdv_desktop.services.core.actor import system_actor  # noqa: E402
from rdv_desktop.services.core.clock import FixedClock  # noqa: E402
from rdv_desktop.services.core.context import ServiceContext  # noqa: E402
from rdv_desktop.services.counter.booking import NewAppointment  # noqa: E402
from rdv_desktop.services.setup import Services, prepare_database  # noqa: E402

STATION_EVERY_S = 0.3


def services_for(url: str, folder: Path) -> Services:
    ctx = ServiceContext.create(Database(url), "CANTAL", FixedClock(NOW), "BENCH-2",
                                folder / "keys", folder / "pdf")
    return Services.build(ctx)


def peak_rss_mb() -> float:
    """This process's peak resident memory since it started (VmHWM: unlike wait4's ru_maxrss,
    it does not carry over the parent's memory from before exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return -1.0


def child_import(url: str, file: str, folder: str) -> None:
    """In the child: import `file` and print what happened and how long it took."""
    from rdv_desktop.services.importing import ImportService

    services = services_for(url, Path(folder))
    importer = ImportService(services.appointments, services.catalogue)
    began = time.perf_counter()
    report = importer.import_file(system_actor("BENCH-1"), Path(file))
    print(json.dumps({"seconds": round(time.perf_counter() - began, 2), "created": report.created,
                      "unchanged": report.unchanged, "rejected": report.rejected_count,
                      "peak_rss_mb": peak_rss_mb()}))


def child_read(file: str) -> None:
    """In the child: read a hostile file; print the seconds and the outcome."""
    from rdv_desktop.errors import ValidationError
    from rdv_desktop.services.importing import read_path

    began = time.perf_counter()
    try:
        result = read_path(Path(file))
        outcome = f"lu : {len(result.rows)} ligne(s), {len(result.problems)} rejet(s)"
    except ValidationError as exc:
        outcome = exc.message
    print(json.dumps({"seconds": round(time.perf_counter() - began, 2), "outcome": outcome,
                      "peak_rss_mb": peak_rss_mb()}))


def run_child(*args: str) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, __file__, *args], stdout=subprocess.PIPE,
                          text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"child {args} failed")
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


class Station(threading.Thread):
    """Another station: books an appointment every STATION_EVERY_S, timing each write."""

    def __init__(self, services: Services) -> None:
        super().__init__(name="other-station")
        self.services, self.stop = services, threading.Event()
        self.waits: list[float] = []
        self.refused = 0

    def run(self) -> None:
        actor = system_actor("BENCH-2")
        n = 0
        while not self.stop.wait(STATION_EVERY_S):
            n += 1
            new = NewAppointment(f"Station{n}", "Bench", date(2027, 6, 1 + n % 28),
                                 clock_time(8 + n % 9, n % 60), None)
            began = time.perf_counter()
            try:
                self.services.booking.create(actor, new)
            except RdvError:
                self.refused += 1
            self.waits.append(time.perf_counter() - began)

    def figures(self) -> dict[str, Any]:
        waits = sorted(self.waits)
        return {"writes": len(waits), "refused": self.refused,
                "max_wait_s": round(waits[-1], 3) if waits else None,
                "median_wait_s": round(waits[len(waits) // 2], 3) if waits else None}


def import_with_station(url: str, csv: Path, folder: Path) -> dict[str, Any]:
    station = Station(services_for(url, folder))
    station.start()
    try:
        result = run_child("--child-import", url, str(csv), str(folder))
    finally:
        station.stop.set()
        station.join()
    result["other_station"] = station.figures()
    return result


def hostile(folder: Path) -> dict[str, Any]:
    import hostile_files

    files = {"wide_dimension_xlsx": hostile_files.wide_dimension(),
             "million_rows_xlsx": hostile_files.many_rows(999_999),
             "zip_bomb_xlsx": hostile_files.zip_bomb_shared_strings(300)}
    out = {}
    for name, data in files.items():
        path = folder / f"{name}.xlsx"
        path.write_bytes(data)
        out[name] = {"file_kb": round(len(data) / 1024, 1), **run_child("--child-read",
                                                                           str(path))}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--pg", help="also on this PostgreSQL server (a fresh schema)")
    parser.add_argument("--child-import", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--child-read", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_import:
        child_import(*args.child_import)
        return
    if args.child_read:
        child_read(args.child_read)
        return
    report: dict[str, Any] = {"python": platform.python_version(), "cpus": os.cpu_count(),
                              "rows": args.rows, "started": datetime.now().isoformat()}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv = write_csv(folder / "gros.csv", args.rows)
        report["csv_mb"] = round(csv.stat().st_size / 1024 / 1024, 1)
        kinds = ["sqlite"] + (["postgresql"] if args.pg else [])
        for kind in kinds:
            with fresh_database(kind, folder, args.pg) as url:
                setup = services_for(url, folder)
                prepare_database(setup.ctx)
                setup.ctx.db.dispose()
                report[kind] = {"first_import": import_with_station(url, csv, folder),
                                "reimport_unchanged": import_with_station(url, csv, folder)}
        report["hostile_files"] = hostile(folder)
    json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
