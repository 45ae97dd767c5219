"""`rdv-desktop --self-test`: prove, without a screen or a server, that an installed copy works.

Run by IT after installing or updating a station, and by CI on the PyInstaller bundle: it
exercises what a bundle most often loses (migration scripts loaded by path, fonts, the PDF
renderer's shared library, the QR decoder, the PostgreSQL driver, Qt's platform plugins) on a
throw-away SQLite database, then prints one line. Exit status 0 only when every step passed;
otherwise one French sentence names the step that failed.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

from . import __version__
from .config import StationConfig

if TYPE_CHECKING:  # the services are imported lazily, like the app does
    from .services.core.actor import Actor
    from .services.setup import Services

_T = TypeVar("_T")

DEMO_PER_DAY = 20
DEMO_DAYS_BACK = 5


class SelfTestFailure(Exception):
    """A step ran but its result is wrong; the message is French."""


class _Steps:
    """Runs named steps, timing each; the first failure stops the run."""

    def __init__(self) -> None:
        self.timings: list[tuple[str, float]] = []

    def run(self, name: str, step: Callable[[], _T]) -> _T:
        started = time.perf_counter()
        try:
            result = step()
        except Exception as exc:
            raise _Failed(name, exc) from exc
        self.timings.append((name, time.perf_counter() - started))
        return result


class _Failed(Exception):
    def __init__(self, step: str, cause: Exception) -> None:
        super().__init__(step)
        self.step = step
        self.cause = cause


def _services(folder: Path) -> Services:
    from .services.setup import open_services

    config = StationConfig(db_url=f"sqlite:///{folder / 'autotest.sqlite3'}",
                           station_name="AUTOTEST", counter_number=1,
                           key_dir=folder / "keys", pdf_dir=folder / "pdf", source="auto-test")
    return open_services(config)


def _check_schema(services: Services) -> None:
    from .models.migrate import current_revision, head_revision

    current, head = current_revision(services.ctx.db), head_revision()
    if current != head:
        raise SelfTestFailure(f"schéma à la révision {current}, attendu {head}")


def _demo(services: Services) -> Actor:
    from .services.core.actor import system_actor
    from .services.core.clock import local_today
    from .services.demo import DEMO_PASSWORD, DemoOptions, generate_demo

    summary = generate_demo(services, system_actor("AUTOTEST"),
                            DemoOptions(local_today(services.ctx.clock), DEMO_PER_DAY,
                                        DEMO_DAYS_BACK))
    if summary.deposits == 0:
        raise SelfTestFailure("aucun dépôt dans les données de démonstration")
    return services.users.authenticate("chef", DEMO_PASSWORD, "AUTOTEST", 1)


def _deposit(services: Services, actor: Actor) -> str:
    """A walk-in brought to the counter and deposited complete, through the real services."""
    from .services.catalogue.rules import request_flags
    from .services.core.clock import local
    from .services.counter.booking import NewAppointment
    from .services.counter.dossiers import DepositRequest, TimbreEntry
    from .services.counter.piece_checks import PieceCheck, checklist

    motif = next(m for m in services.catalogue.current().motifs if not m.anef_redirect)
    now = local(services.ctx.clock.now())
    slot = (now + timedelta(minutes=5)).time().replace(second=0, microsecond=0)
    view = services.booking.create(actor, NewAppointment(
        "AUTOTEST", "Contrôle", now.date(), slot, motif.code, source="walk_in"))
    services.appointments.check_in(actor, view.id, accept_timing=True)
    services.appointments.call(actor, view.id)
    services.appointments.start_service(actor, view.id)
    situations: frozenset[str] = frozenset()
    checks = tuple(PieceCheck(line.piece.code, "received" if line.applies else "not_applicable")
                   for line in checklist(motif, request_flags(situations, "Première demande")))
    dossier = services.dossiers.register(actor, DepositRequest(
        view.id, motif.code, "Première demande", situations, checks,
        (TimbreEntry("1234567890123456", 10000),)))
    if not dossier.complete or not dossier.number:
        raise SelfTestFailure("le dépôt de contrôle n'a pas reçu de numéro")
    return dossier.number


def _attestation(services: Services, actor: Actor, number: str, folder: Path) -> None:
    """Render the attestation, read its QR back from the rendered page, verify the signature."""
    from .services.signing.qr_image import decode_image

    doc = services.documents.attestation(actor, number, reprint=False)
    path = folder / "attestation.pdf"
    path.write_bytes(doc.pdf)
    codes = decode_image(path)
    if len(codes) != 1:
        raise SelfTestFailure(f"{len(codes)} QR code(s) lu(s) sur l'attestation au lieu d'un")
    result = services.keys.verify(codes[0])
    if not result.ok or result.reference != number:
        raise SelfTestFailure(f"attestation non reconnue : {result.message}")


def _postgresql_driver() -> None:
    """The driver and its libpq load (no server is contacted)."""
    import psycopg

    from .models.db import build_engine

    if psycopg.pq.version() <= 0:
        raise SelfTestFailure("bibliothèque libpq absente")
    build_engine("postgresql+psycopg://autotest@127.0.0.1/autotest").dispose()


def _window(services: Services, actor: Actor) -> None:
    """The real main window on Qt's offscreen platform, with the day's queue loaded."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    def quiet(_kind: object, _context: object, message: str) -> None:
        # Offscreen windows cannot size themselves natively: that notice is not a fault.
        if "propagateSizeHints" not in message and sys.stderr is not None:
            print(message, file=sys.stderr)

    qInstallMessageHandler(quiet)

    app = QApplication.instance() or QApplication([sys.argv[0], "-platform",
                                                   os.environ["QT_QPA_PLATFORM"]])
    from .ui.main_window import MainWindow

    window = MainWindow(services, actor, "auto-test")
    window.queue.timer.stop()
    window.show()
    from PySide6.QtCore import QDeadlineTimer, QEventLoop

    deadline = QDeadlineTimer(30_000)  # the queue loads in the window's executor
    while not window.executor.is_idle() and not deadline.hasExpired():
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    rows = window.queue.model.rowCount()
    window.close()
    app.processEvents()
    if rows == 0:
        raise SelfTestFailure("la file du jour est vide dans la fenêtre")


def _output() -> TextIO:
    """stdout, or a file in the temp folder for a windowed Windows build that has none."""
    if sys.stdout is not None:
        return sys.stdout
    return (Path(tempfile.gettempdir()) / "rdv-desktop-autotest.txt").open("w", encoding="utf-8")


def run() -> int:
    """Every step on a temporary database; 0 and one summary line when all passed."""
    out = _output()
    err = sys.stderr or out
    steps = _Steps()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="rdv-autotest-") as tmp:
        folder = Path(tmp)
        try:
            services = steps.run("migration", lambda: _services(folder))
            steps.run("schéma", lambda: _check_schema(services))
            actor = steps.run("démonstration", lambda: _demo(services))
            number = steps.run("dépôt", lambda: _deposit(services, actor))
            steps.run("attestation", lambda: _attestation(services, actor, number, folder))
            steps.run("pilote PostgreSQL", _postgresql_driver)
            steps.run("fenêtre", lambda: _window(services, actor))
            services.ctx.db.dispose()
        except _Failed as failed:
            cause = failed.cause
            detail = getattr(cause, "message", None) or f"{type(cause).__name__}: {cause}"
            print(f"Auto-test rdv-desktop {__version__} : ÉCHEC à l'étape « {failed.step} » — "
                  f"{detail}", file=err, flush=True)
            return 1
    timings = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in steps.timings)
    print(f"Auto-test rdv-desktop {__version__} : OK — dossier {number} déposé, attestation "
          f"relue et vérifiée, fenêtre ouverte ({timings} ; total "
          f"{time.perf_counter() - started:.1f} s)", file=out, flush=True)
    return 0
