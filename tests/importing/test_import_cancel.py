"""Cancelling an import on SQLite and PostgreSQL: the database is left exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from import_helpers import big_csv, counts, snapshot

from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.importing import (
    CANCELLED_MESSAGE,
    CancelToken,
    ImportCancelled,
    ImportService,
)
from rdv_desktop.services.importing.service import INSERT_BATCH
from rdv_desktop.services.setup import Services

ROWS = 2 * INSERT_BATCH + 200


def cancel_at(token: CancelToken, at: int, seen: list[int]):
    """A progress callback that presses « Annuler » once `at` rows are done."""
    def progress(done: int, _total: int) -> None:
        seen.append(done)
        if done >= at:
            token.cancel()

    return progress


def test_cancel_after_n_rows_writes_nothing(services: Services, importer: ImportService,
                                            admin: Actor, tmp_path: Path) -> None:
    importer.import_file(admin, big_csv(tmp_path / "first.csv", 300))
    before, before_rows = counts(services), snapshot(services)
    # The first 300 rows update existing appointments (one audit row each); the rest are new,
    # and two batches of them are already flushed when the clerk cancels.
    path = big_csv(tmp_path / "second.csv", ROWS, given="Janet")
    token, seen = CancelToken(), []
    at = 2 * INSERT_BATCH + 100
    with pytest.raises(ImportCancelled) as caught:
        importer.import_file(admin, path, progress=cancel_at(token, at, seen), cancelled=token)
    assert caught.value.message == CANCELLED_MESSAGE
    assert CANCELLED_MESSAGE == "Import annulé : aucun rendez-vous n'a été enregistré."
    assert max(seen) == at  # stopped at the next row, not at the end of the file
    assert counts(services) == before
    assert snapshot(services) == before_rows

    # The same file imports normally afterwards.
    report = importer.import_file(admin, path, cancelled=CancelToken())
    assert (report.created, report.updated) == (ROWS - 300, 300)
    assert counts(services)[0] == ROWS


def test_cancel_at_the_last_row_rolls_back_the_summary_too(services: Services,
                                                           importer: ImportService,
                                                           admin: Actor,
                                                           tmp_path: Path) -> None:
    before = counts(services)
    token = CancelToken()
    with pytest.raises(ImportCancelled):
        importer.import_file(admin, big_csv(tmp_path / "r.csv", 150),
                             progress=cancel_at(token, 150, []), cancelled=token)
    assert counts(services) == before


def test_cancelled_simulation_and_early_cancel(services: Services, importer: ImportService,
                                               admin: Actor, tmp_path: Path) -> None:
    before = counts(services)
    path = big_csv(tmp_path / "r.csv", 250)
    token = CancelToken()
    with pytest.raises(ImportCancelled):
        importer.import_file(admin, path, dry_run=True, progress=cancel_at(token, 100, []),
                             cancelled=token)
    seen: list[int] = []
    with pytest.raises(ImportCancelled):
        importer.import_file(admin, path, progress=lambda d, _t: seen.append(d),
                             cancelled=lambda: True)
    assert seen == []  # asked to stop before it began: not even the first progress report
    assert counts(services) == before
