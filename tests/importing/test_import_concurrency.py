"""Another station writes while a large import is being written: its deposit goes through at
once (on SQLite the import leaves the write lock free between its short transactions); how long
it waited is measured by bench/import_bench.py, not asserted here."""

from __future__ import annotations

import threading
from pathlib import Path

from import_helpers import big_csv, counts

from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.importing import ImportReport, ImportService
from rdv_desktop.services.setup import Services
from tests.flows import at_counter, deposit

ROWS = 12_000


def test_a_deposit_during_a_large_import_succeeds(services: Services, importer: ImportService,
                                                  admin: Actor, accueil: Actor, agent: Actor,
                                                  tmp_path: Path) -> None:
    appointment = at_counter(services, accueil, agent)
    path = big_csv(tmp_path / "gros.csv", ROWS)
    writing = threading.Event()
    done: list[int] = []
    outcome: list[ImportReport | BaseException] = []

    def progress(rows: int, _total: int) -> None:
        done.append(rows)
        if rows >= 1000:
            writing.set()

    def run() -> None:
        try:
            outcome.append(importer.import_file(admin, path, progress=progress))
        except BaseException as exc:  # handed to the test's thread
            outcome.append(exc)
        finally:
            writing.set()

    worker = threading.Thread(target=run)
    worker.start()
    try:
        assert writing.wait(60)
        assert not outcome, "the import ended before the deposit could be tried"
        dossier = deposit(services, agent, appointment)  # DatabaseBusy here would fail the test
        in_the_middle = done[-1]
    finally:
        worker.join()
    assert dossier.number.startswith("CANTAL-2026-")
    assert in_the_middle < ROWS  # the import was still writing when the deposit committed
    report = outcome[0]
    assert isinstance(report, ImportReport) and report.created == ROWS
    assert counts(services)[0] == ROWS + 1
