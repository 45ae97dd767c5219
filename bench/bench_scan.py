"""Arrival desk: from the Enter key of a scan to the feedback panel shown and the queue row updated.

Database: ~1M appointments of history (bench/history_gen.py, five years at 770 a weekday) plus
2,000 appointments today, bulk-inserted with SQLAlchemy Core. Window: the real MainWindow of an
accueil clerk (offscreen Qt), its queue holding today's 2,000 rows. Each sample puts a scanned
text in the scan field (half signed convocation codes, half booking references, one in four
typed by a QWERTY scanner on an AZERTY PC), presses Enter, and stops the clock when the panel
has shown the answer and the queue row has changed; the paint of the panel is timed too. The
service call alone (`CheckInService.scan`) is timed on other appointments for comparison.
Prints one JSON document. Goal: p99 under 50 ms.

Usage: python bench/bench_scan.py [--scans 400] [--years 5] [--per-day 770]
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
from datetime import date, datetime, timedelta
from datetime import time as hour
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from history_gen import HistorySpec, generate_history
from sqlalchemy import create_engine, func, insert, select, text

from rdv_desktop.models import Appointment, Site
from rdv_desktop.models.db import Database
from rdv_desktop.services.core.actor import system_actor
from rdv_desktop.services.core.clock import PARIS, FixedClock, at_paris
from rdv_desktop.services.core.context import ServiceContext
from rdv_desktop.services.setup import Services, prepare_database
from rdv_desktop.services.signing.keys import SigningError

TODAY = date(2026, 11, 26)
TODAY_COUNT = 2000

# A QWERTY scanner on an AZERTY PC: what each character of our codes comes out as.
_AZERTY = dict(zip("1234567890-:QAWZM", "&é\"'(-è_çà)MAQZW?", strict=True))
_AZERTY.update({c: c for c in "BCDEFGHIJKLNOPRSTUVXY"})


def azerty(text_: str) -> str:
    return "".join(_AZERTY.get(c, c) for c in text_)


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)

    return {"n": len(ordered), "p50_ms": round(statistics.median(ordered), 2),
            "p90_ms": at(0.90), "p99_ms": at(0.99), "max_ms": round(ordered[-1], 2)}


def today_rows(site_id: int, motif: str) -> list[dict[str, Any]]:
    """2,000 appointments today, 08:00 to 17:45, every one still expected."""
    rows = []
    created = datetime(2026, 11, 1, 9, 0, tzinfo=PARIS)
    for n in range(TODAY_COUNT):
        minute = 8 * 60 + (n * 7) % (10 * 60)
        rows.append({
            "reference": f"RDV-261126-{n:05d}", "source": "import", "site_id": site_id,
            "slot_date": TODAY, "slot_time": hour(minute // 60, minute % 60),
            "family_name": f"PERSONNE{n}", "given_names": "Bench",
            "birth_date": date(1970 + n % 30, 1 + n % 12, 1 + n % 28), "birth_place": "",
            "nationality": "", "phone": "", "email": "", "foreign_number": "",
            "motif_code": motif, "motif_source_label": "", "motif_to_confirm": False,
            "outcome": "pending", "created_at": created, "updated_at": created,
        })
    return rows


def prepare(url: str, years: int, per_day: int, clock: FixedClock, keys: Path
            ) -> tuple[Services, dict[str, Any]]:
    db = Database(url)
    ctx = ServiceContext.create(db, "CANTAL", clock, "ACCUEIL-1", keys, keys.parent / "pdf")
    prepare_database(ctx)
    services = Services.build(ctx)
    info: dict[str, Any] = {}
    with db.read() as s:
        existing = s.scalar(select(func.count(Appointment.id))) or 0
    if existing < 1000:
        start = TODAY - timedelta(days=365 * years)
        summary = generate_history(db, HistorySpec(start, TODAY - timedelta(days=1), per_day))
        info["history_insert_s"] = round(summary.seconds, 1)
        with db.read() as s:
            site_id = s.scalar(select(Site.id))
        motif = services.catalogue.current().motifs[0].code
        with db.engine.begin() as conn:
            conn.execute(insert(Appointment.__table__), today_rows(site_id, motif))
    with db.read() as s:
        info["appointments_total"] = s.scalar(select(func.count(Appointment.id)))
        info["appointments_today"] = s.scalar(select(func.count(Appointment.id))
                                              .where(Appointment.slot_date == TODAY))
    return services, info


def pick(services: Services, count: int, offset: int) -> list[tuple[int, str, datetime]]:
    """(id, scanned text, the slot) for `count` of today's still-expected appointments."""
    try:
        signer = services.keys.signer(create_if_missing=True)
    except SigningError:  # a database kept from a run whose key folder is gone: IT's keygen
        services.keys.generate(system_actor("BENCH"))
        signer = services.keys.signer()
    with services.ctx.db.read() as s:
        rows = s.scalars(select(Appointment).where(Appointment.slot_date == TODAY,
                                                   Appointment.arrived_at.is_(None))
                         .order_by(Appointment.id).offset(offset).limit(count)).all()
        chosen = []
        for n, a in enumerate(rows):
            raw = services.documents.checkin_code(a, signer) if n % 2 == 0 else a.reference
            if n % 4 in (1, 2):
                raw = azerty(raw)
            chosen.append((a.id, raw, at_paris(a.slot_date, a.slot_time)))
    return chosen


def time_service(services: Services, clock: FixedClock, scans: list[tuple[int, str, datetime]]
                 ) -> list[float]:
    actor = services.users.authenticate("accueil", "bench-accueil-2026", "ACCUEIL-1", None)
    samples = []
    for _id, raw, slot in scans:
        clock.set(slot + timedelta(minutes=3))
        begin = time.perf_counter()
        result = services.checkin.scan(actor, raw)
        samples.append((time.perf_counter() - begin) * 1000)
        assert result.kind == "green", result
    return samples


def time_window(services: Services, clock: FixedClock, scans: list[tuple[int, str, datetime]]
                ) -> tuple[list[float], list[float]]:
    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from rdv_desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    actor = services.users.authenticate("accueil", "bench-accueil-2026", "ACCUEIL-1", None)
    clock.set(scans[0][2])
    window = MainWindow(services, actor, "bench")
    window.queue.timer.stop()  # only the scan's own update of the row is measured
    window.show()
    while not window.executor.is_idle():  # the day's queue loads in the window's executor
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    desk = window.checkin
    assert desk is not None and window.queue.model.rowCount() == TODAY_COUNT
    shown: list[float] = []
    painted: list[float] = []
    loop = QEventLoop()
    stop: dict[str, float] = {}

    def finished(result: Any) -> None:
        row = window.queue.model.row_of(result.view.id)
        assert result.kind == "green" and window.queue.model.view_at(row).ticket == result.ticket
        stop["shown"] = time.perf_counter()
        desk.feedback.repaint()  # paint the panel now, as the next frame would
        stop["painted"] = time.perf_counter()
        loop.quit()

    desk.scan_finished.connect(finished)
    for _id, raw, slot in scans:
        clock.set(slot + timedelta(minutes=3))
        desk.scan.setText(raw)  # the scanner's burst; its own typing speed is not ours
        begin = time.perf_counter()
        QTest.keyClick(desk.scan, Qt.Key.Key_Return)
        loop.exec()
        shown.append((stop["shown"] - begin) * 1000)
        painted.append((stop["painted"] - begin) * 1000)
    window.close()
    return shown, painted


def run(url: str, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    clock = FixedClock(at_paris(TODAY, hour(8, 0)))
    services, info = prepare(url, args.years, args.per_day, clock, workdir / "keys")
    admin = system_actor("BENCH")
    if "accueil" not in {u.login for u in services.users.list_users(admin)}:
        services.users.create_user(admin, "accueil", "Accueil", {"accueil"},
                                   "bench-accueil-2026")
    window_scans = pick(services, args.scans, 0)
    service_scans = pick(services, args.scans, args.scans)
    shown, painted = time_window(services, clock, window_scans)
    service = time_service(services, clock, service_scans)
    services.ctx.db.dispose()
    return {**info,
            "enter_to_panel_and_queue_row": percentiles(shown[5:]),
            "enter_to_panel_painted": percentiles(painted[5:]),
            "service_scan_only": percentiles(service[5:])}


def bench_files(sqlite: str | None, name: str) -> tuple[Path, Path]:
    """The folder for keys and PDFs, and the SQLite file. A reused database keeps its folder
    next to it: the site key it published must be found again (a station without it refuses to
    mint a second one), and its day starts again."""
    if sqlite is None:
        workdir = Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))
        return workdir, workdir / f"{name}.sqlite3"
    path = Path(sqlite)
    workdir = path.with_name(path.name + ".work")
    workdir.mkdir(exist_ok=True)
    if path.exists():
        restart_today(path)
    return workdir, path


def restart_today(path: Path) -> None:
    """A reused bench database: today's people have not arrived yet and no ticket is taken."""
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("UPDATE appointment SET arrived_at = NULL, ticket = NULL, "
                          "arrival_station = NULL WHERE slot_date = :d"), {"d": TODAY})
        conn.execute(text("DELETE FROM number_sequence WHERE kind = 'ticket'"))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scans", type=int, default=400)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--per-day", type=int, default=770)
    parser.add_argument("--sqlite", help="SQLite file to create or reuse (default: temporary)")
    parser.add_argument("--pg", help="also run on PostgreSQL (a fresh schema, dropped after)")
    args = parser.parse_args()
    workdir, path = bench_files(args.sqlite, "scan")
    report: dict[str, Any] = {
        "bench": "scan_to_feedback", "goal": "p99 < 50 ms", "python": platform.python_version(),
        "machine": platform.machine(), "cpus": os.cpu_count(), "scans": args.scans,
        "sqlite": run(f"sqlite:///{path}", args, workdir),
    }
    if args.pg:
        schema = f"bench_scan_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        sep = "&" if "?" in args.pg else "?"
        try:
            report["postgresql"] = run(f"{args.pg}{sep}options=-csearch_path%3D{schema}", args,
                                       workdir)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
