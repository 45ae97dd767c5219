"""Cancelling or failing an import, on SQLite and PostgreSQL: whatever chunks had committed are
taken back, the appointments are exactly as before, and the audit trail tells it."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from import_helpers import assert_taken_back, big_csv, counts, snapshot
from sqlalchemy import select

from rdv_desktop.errors import DatabaseUnavailable, RdvError
from rdv_desktop.models import AuditEvent, ImportBatch, ImportBatchItem
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.core.clock import FixedClock
from rdv_desktop.services.importing import (
    CANCELLED_MESSAGE,
    CancelToken,
    ImportCancelled,
    ImportService,
)
from rdv_desktop.services.importing.batch import Batches
from rdv_desktop.services.importing.service import FIRST_CHUNK
from rdv_desktop.services.setup import Services

ROWS = 4 * FIRST_CHUNK + 200


def cancel_at(token: CancelToken, at: int, seen: list[int]):
    """A progress callback that presses « Annuler » once `at` rows are done."""
    def progress(done: int, _total: int) -> None:
        seen.append(done)
        if done >= at:
            token.cancel()

    return progress


def batches(services: Services) -> list[tuple[str, int]]:
    with services.ctx.db.read() as s:
        states = [b.state for b in s.scalars(select(ImportBatch).order_by(ImportBatch.id))]
        items = len(s.scalars(select(ImportBatchItem.id)).all())
    return [(state, items) for state in states]


def test_cancel_after_chunks_committed_takes_them_back(services: Services,
                                                       importer: ImportService, admin: Actor,
                                                       tmp_path: Path) -> None:
    importer.import_file(admin, big_csv(tmp_path / "first.csv", 300))
    before, before_rows = counts(services), snapshot(services)
    # The first 300 rows update existing appointments; the rest are new. Several chunks have
    # committed when the clerk cancels.
    path = big_csv(tmp_path / "second.csv", ROWS, given="Janet")
    token, seen = CancelToken(), []
    at = 3 * FIRST_CHUNK + 50  # progress comes every 100 rows
    with pytest.raises(ImportCancelled) as caught:
        importer.import_file(admin, path, progress=cancel_at(token, at, seen), cancelled=token)
    assert caught.value.message.startswith(
        "Import annulé : aucun rendez-vous n'a été conservé (les ")
    assert max(seen) == at  # stopped at the next row, not at the end of the file
    assert_taken_back(services, before, before_rows)  # updated rows got their values back
    assert batches(services)[-1] == ("removed", 0)

    # The same file imports normally afterwards.
    report = importer.import_file(admin, path, cancelled=CancelToken())
    assert (report.created, report.updated) == (ROWS - 300, 300)
    assert counts(services)[0] == ROWS
    assert batches(services)[-1] == ("done", 0)  # a kept batch keeps no working rows


def test_cancel_at_the_last_row_takes_back_the_summary_too(services: Services,
                                                           importer: ImportService,
                                                           admin: Actor,
                                                           tmp_path: Path) -> None:
    before = counts(services)
    token = CancelToken()
    with pytest.raises(ImportCancelled):
        importer.import_file(admin, big_csv(tmp_path / "r.csv", 150),
                             progress=cancel_at(token, 150, []), cancelled=token)
    assert_taken_back(services, before)
    with services.ctx.db.read() as s:
        actions = set(s.scalars(select(AuditEvent.action)))
    assert "appointments_imported" not in actions


def test_cancel_before_anything_committed_leaves_no_trace(services: Services,
                                                          importer: ImportService,
                                                          admin: Actor, tmp_path: Path) -> None:
    before = counts(services)
    path = big_csv(tmp_path / "r.csv", 250)
    token = CancelToken()
    with pytest.raises(ImportCancelled) as caught:
        importer.import_file(admin, path, dry_run=True, progress=cancel_at(token, 100, []),
                             cancelled=token)
    assert caught.value.message == CANCELLED_MESSAGE
    token = CancelToken()
    with pytest.raises(ImportCancelled) as caught:  # inside the first chunk
        importer.import_file(admin, path, progress=cancel_at(token, 100, []), cancelled=token)
    assert caught.value.message == CANCELLED_MESSAGE
    seen: list[int] = []
    with pytest.raises(ImportCancelled):
        importer.import_file(admin, path, progress=lambda d, _t: seen.append(d),
                             cancelled=lambda: True)
    assert seen == []  # asked to stop before it began: not even the first progress report
    assert counts(services) == before
    assert batches(services) == []


def test_a_failure_mid_write_takes_the_batch_back(services: Services, importer: ImportService,
                                                  admin: Actor, tmp_path: Path) -> None:
    before = counts(services)

    def failing(done: int, _total: int) -> None:
        if done >= 2 * FIRST_CHUNK + 50:
            raise RuntimeError("disque plein")

    with pytest.raises(RuntimeError):
        importer.import_file(admin, big_csv(tmp_path / "r.csv", ROWS), progress=failing)
    assert_taken_back(services, before)


def test_a_batch_left_by_a_dead_process_goes_at_the_next_import(
        services: Services, importer: ImportService, admin: Actor, tmp_path: Path,
        clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> None:
    before = counts(services)

    def database_gone(*_args: object, **_kwargs: object) -> None:
        raise DatabaseUnavailable("La base de données ne répond pas.")

    def failing(done: int, _total: int) -> None:
        if done >= 2 * FIRST_CHUNK + 50:
            raise KeyboardInterrupt

    # The process is interrupted and cannot take its chunks back (the database went away).
    with monkeypatch.context() as patch:
        patch.setattr(Batches, "remove", database_gone)
        with pytest.raises(RdvError) as caught:
            importer.import_file(admin, big_csv(tmp_path / "r.csv", ROWS), progress=failing)
    assert "sera retiré automatiquement au prochain import" in caught.value.message
    assert counts(services)[0] > before[0]  # its first chunks stay until someone removes them
    assert batches(services)[0][0] == "running"

    other = tmp_path / "other.csv"
    other.write_text("Référence;Nom;Prénom;Date;Heure\nAUTRE-1;Martin;Zoé;28/11/2026;09:00\n",
                     encoding="utf-8")
    clock.advance(minutes=1)  # still beating, for all the next import knows: left alone
    importer.import_file(admin, other)
    assert batches(services)[0][0] == "running"
    clock.advance(minutes=2)
    report = importer.import_file(admin, other)
    assert report.unchanged == 1
    assert batches(services)[0] == ("removed", 0)
    assert counts(services)[0] == before[0] + 1  # only the last file's appointment


def test_appointment_used_at_the_counter_meanwhile_is_kept(
        services: Services, importer: ImportService, admin: Actor, accueil: Actor,
        tmp_path: Path) -> None:
    """The desk checks in someone the import created, between two of its chunks (another
    connection, as another station would), then the clerk cancels: that one stays."""
    token, first_chunk_done = CancelToken(), threading.Event()

    def desk() -> None:
        first_chunk_done.wait(30)
        with services.ctx.db.read() as s:
            first = s.scalar(select(AuditEvent.appointment_id).where(
                AuditEvent.action == "appointment_created").order_by(AuditEvent.id))
        assert first is not None
        services.appointments.check_in(accueil, first, accept_timing=True)
        token.cancel()

    def progress(done: int, _total: int) -> None:
        if done >= FIRST_CHUNK + 100:
            first_chunk_done.set()

    station = threading.Thread(target=desk)
    station.start()
    try:
        with pytest.raises(ImportCancelled) as caught:
            importer.import_file(admin, big_csv(tmp_path / "r.csv", 5000, day="26/11/2026"),
                                 progress=progress, cancelled=token)
    finally:
        first_chunk_done.set()
        station.join()
    assert caught.value.message.endswith(
        "1 rendez-vous déjà pris en charge au guichet entre-temps est conservé tel quel.")
    assert counts(services)[0] == 1

