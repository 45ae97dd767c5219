"""Importing booked appointments: read and check the whole file first, then write it in short
transactions under one import batch (batch.py) that a cancel or a failure takes back whole.

The caller may ask to stop (`cancelled`, read while the file is read, before every row and
before the last transaction): `ImportCancelled` is raised, and whatever chunks had committed are
removed first, so an import ends whole or absent. Each appointment created or changed gets one
audit row, in the transaction that writes it; the import gets its summary row in the last one.

Re-importing the same file changes nothing: rows are matched on their reference (the source's,
or one derived from date + time + name + birth date). Only appointments still pending and not
arrived are updated; the counter's own steps are never overwritten by a file. A line dated
before today that matches no appointment is not created: the report lists it.
"""

from __future__ import annotations

import time as clock_time
from datetime import datetime
from pathlib import Path

from ...errors import NotFound, RdvError
from ..catalogue.service import CatalogueService
from ..core.actor import Actor
from ..core.audit import record
from ..counter.appointments import AppointmentService
from .batch import Batches, Removal
from .cancel import Cancelled, ImportCancelled, stop_if
from .chunk import Progress, Step
from .limits import MAX_REPORTED_LINES
from .motifs import MotifMatcher
from .readers import read_path
from .report import ImportReport
from .rows import ReadResult

LOOKUP_CHUNK = 500
# Each chunk is one write transaction. Its size adapts so that a chunk holds the lock about
# CHUNK_TARGET_S (SQLite: no other station writes meanwhile), within these bounds.
FIRST_CHUNK, MIN_CHUNK, MAX_CHUNK = 250, 50, 4000
CHUNK_TARGET_S = 0.25
INTERRUPTED = ("L'import a été interrompu ({why}) et n'a pas pu être retiré : la base ne répond "
               "pas. Ce qui en a été enregistré sera retiré automatiquement au prochain import.")


def cancelled_message(removal: Removal) -> str:
    """What a cancel left: nothing, or what the counter had already used meanwhile."""
    message = "Import annulé : aucun rendez-vous n'a été enregistré."
    if removal.removed or removal.restored:
        message = ("Import annulé : aucun rendez-vous n'a été conservé (les "
                   f"{removal.removed + removal.restored} déjà enregistrés ont été retirés).")
    if removal.kept:
        message += (f" {removal.kept} rendez-vous déjà pris en charge au guichet entre-temps "
                    + ("sont conservés tels quels." if removal.kept > 1 else
                       "est conservé tel quel."))
    return message


class ImportService:
    def __init__(self, appointments: AppointmentService, catalogue: CatalogueService) -> None:
        self.appointments = appointments
        self.catalogue = catalogue
        self.ctx = appointments.ctx
        self.batches = Batches(self.ctx)

    def import_file(self, actor: Actor, path: Path, *, dry_run: bool = False,
                    progress: Progress | None = None,
                    cancelled: Cancelled | None = None) -> ImportReport:
        """Read and import `path`; a file-level problem raises ValidationError, writing nothing.

        `cancelled()` returning True stops the import, while reading or writing:
        ImportCancelled, nothing of the file left.
        """
        self.ctx.require(actor, "appointment.import")
        result = read_path(path, cancelled)
        return self.import_result(actor, result, path.name, dry_run=dry_run,
                                  progress=progress, cancelled=cancelled)

    def import_result(self, actor: Actor, result: ReadResult, file_name: str, *,
                      dry_run: bool = False, progress: Progress | None = None,
                      cancelled: Cancelled | None = None) -> ImportReport:
        self.ctx.require(actor, "appointment.import")
        stop_if(cancelled)
        matcher = self._matcher()
        now = self.ctx.clock.now()
        total = len(result.rows)
        if progress:
            progress(0, total)
        step = Step(actor, matcher, now, file_name, self.appointments.site_id, self.batches,
                    progress, cancelled, total)
        tally = step.tally
        if dry_run:
            for start in range(0, total, LOOKUP_CHUNK):
                with self.ctx.db.read() as s:
                    step.rows(s, result.rows[start:start + LOOKUP_CHUNK], start, dry_run=True)
        else:
            self._write(actor, result, file_name, now, step)
        return ImportReport(
            file_name=file_name, format_label=result.format_label, dry_run=dry_run,
            rows_read=result.total, created=tally.created, updated=tally.updated,
            unchanged=tally.unchanged, rejected=result.problems[:MAX_REPORTED_LINES],
            kept=tuple(tally.kept.items),
            to_confirm=tuple(sorted(tally.to_confirm.items, key=lambda m: m.line)),
            ignored_columns=result.ignored_columns, past=tuple(tally.past.items),
            rejected_count=len(result.problems), kept_count=tally.kept.count,
            to_confirm_count=tally.to_confirm.count, past_count=tally.past.count,
        )

    def _write(self, actor: Actor, result: ReadResult, file_name: str, now: datetime,
               step: Step) -> None:
        """The chunks, then the summary; on any way out but success, the batch is removed."""
        self.batches.remove_stale(actor)
        batch_id = self.batches.open(actor, file_name, now)
        step.batch_id = batch_id
        done = 0
        try:
            size = FIRST_CHUNK
            while done < len(result.rows):
                began = clock_time.monotonic()
                with self.ctx.db.write() as s:
                    step.rows(s, result.rows[done:done + size], done, dry_run=False)
                done += size
                took = max(clock_time.monotonic() - began, 1e-3)
                size = max(MIN_CHUNK, min(MAX_CHUNK, int(size * CHUNK_TARGET_S / took)))
                self.batches.pause_for_others()
            stop_if(step.cancelled)
            with self.ctx.db.write() as s:
                tally = step.tally
                record(s, actor, now, "appointments_imported", "import", file_name[:64],
                       after={"file": file_name, "format": result.format_label,
                              "rows": result.total, "created": tally.created,
                              "updated": tally.updated, "unchanged": tally.unchanged,
                              "rejected": len(result.problems), "kept": tally.kept.count,
                              "past": tally.past.count,
                              "motif_to_confirm": tally.to_confirm.count, "batch": batch_id})
                self.batches.finish(s, batch_id)
                stop_if(step.cancelled)  # the last chance: past this point the import is kept
        except BaseException as exc:
            why = "annulé" if isinstance(exc, ImportCancelled | KeyboardInterrupt) else "erreur"
            try:
                removal = self.batches.remove(actor, batch_id, why, committed=done > 0)
            except Exception:
                raise RdvError(INTERRUPTED.format(why=why)) from exc
            if isinstance(exc, ImportCancelled):
                raise ImportCancelled(cancelled_message(removal)) from None
            raise

    # -- helpers -----------------------------------------------------------------------------

    def _matcher(self) -> MotifMatcher:
        try:
            catalogue = self.catalogue.current()
        except NotFound:
            return MotifMatcher(())
        return MotifMatcher([(m.code, m.label) for m in catalogue.motifs],
                            {m.code: m.rules.valid_until for m in catalogue.motifs
                             if m.rules.valid_until is not None})
