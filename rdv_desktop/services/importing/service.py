"""Importing booked appointments: one transaction per file, one audit row per change.

The caller may ask to stop (`cancelled`, checked before every row and every batch of inserts,
and once more just before the commit): the transaction is then rolled back and
`ImportCancelled` raised, so an import is either whole or absent, never half-written.

Re-importing the same file changes nothing: rows are matched on their reference (the source's,
or one derived from date + time + name + birth date). Only appointments still pending and not
arrived are updated; the counter's own steps are never overwritten by a file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...errors import NotFound
from ...models import Appointment, AuditEvent, Companion
from ..catalogue.service import CatalogueService
from ..core.actor import Actor
from ..core.audit import jsonable, record
from ..core.clock import fr_time, local
from ..counter.appointments import AppointmentService, state_of
from ..counter.assistance import NAME_LIMIT
from ..counter.stage import OUTCOME_LABELS
from .cancel import Cancelled, stop_if
from .motifs import MotifMatcher
from .readers import read_path
from .report import ALREADY_HANDLED, ImportReport, MotifToConfirm
from .rows import CANCELLING, ImportRow, ReadResult, RowProblem

Progress = Callable[[int, int], None]
PROGRESS_STEP = 100
LOOKUP_CHUNK = 500
# New appointments are written every INSERT_BATCH rows rather than all at the end, so that a
# cancellation (checked between batches) takes effect within a fraction of a second.
INSERT_BATCH = 500
ROW_FIELDS = ("family_name", "given_names", "birth_date", "birth_place", "nationality", "phone",
              "email", "foreign_number", "slot_date", "slot_time")
# Audit rows hold ids and codes, never a person's data (it stays in the appointment, where a
# purge finds it): an import's audit row names the identity fields it changed, not their values.
IDENTITY_FIELDS = frozenset(ROW_FIELDS[:8]) | {"motif_source_label"}


def _traceable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k not in IDENTITY_FIELDS}



@dataclass
class _Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: list[RowProblem] = field(default_factory=list)
    to_confirm: list[MotifToConfirm] = field(default_factory=list)


class ImportService:
    def __init__(self, appointments: AppointmentService, catalogue: CatalogueService) -> None:
        self.appointments = appointments
        self.catalogue = catalogue
        self.ctx = appointments.ctx

    def import_file(self, actor: Actor, path: Path, *, dry_run: bool = False,
                    progress: Progress | None = None,
                    cancelled: Cancelled | None = None) -> ImportReport:
        """Read and import `path`; a file-level problem raises ValidationError, writing nothing.

        `cancelled()` returning True stops the import: ImportCancelled, nothing written.
        """
        self.ctx.require(actor, "appointment.import")
        result = read_path(path)
        return self.import_result(actor, result, path.name, dry_run=dry_run,
                                  progress=progress, cancelled=cancelled)

    def import_result(self, actor: Actor, result: ReadResult, file_name: str, *,
                      dry_run: bool = False, progress: Progress | None = None,
                      cancelled: Cancelled | None = None) -> ImportReport:
        self.ctx.require(actor, "appointment.import")
        stop_if(cancelled)
        matcher = self._matcher()
        now = self.ctx.clock.now()
        tally = _Tally()
        total = len(result.rows)
        if progress:
            progress(0, total)
        with (self.ctx.db.read(long=True) if dry_run else self.ctx.db.write(long=True)) as s:
            site_id = self.appointments.site_id(s)
            existing = self._existing(s, [r.reference for r in result.rows], cancelled)
            created: list[tuple[ImportRow, Appointment]] = []
            for done, row in enumerate(result.rows, start=1):
                stop_if(cancelled)
                a = existing.get(row.reference)
                if a is None:
                    new = self._new(row, matcher, site_id, now)
                    created.append((row, new))
                    tally.created += 1
                    self._note_motif(tally, row, new)
                else:
                    self._update(s, actor, a, row, matcher, now, file_name, tally, dry_run)
                if len(created) >= INSERT_BATCH and not dry_run:
                    self._insert(s, actor, created, now, file_name)
                    created.clear()
                if progress and (done % PROGRESS_STEP == 0 or done == total):
                    progress(done, total)
            if not dry_run:
                stop_if(cancelled)
                self._insert(s, actor, created, now, file_name)
                record(s, actor, now, "appointments_imported", "import", file_name[:64],
                       after={"file": file_name, "format": result.format_label,
                              "rows": result.total, "created": tally.created,
                              "updated": tally.updated, "unchanged": tally.unchanged,
                              "rejected": len(result.problems), "kept": len(tally.kept),
                              "motif_to_confirm": len(tally.to_confirm)})
            stop_if(cancelled)  # the last chance: past this point the import is committed
        return ImportReport(
            file_name=file_name, format_label=result.format_label, dry_run=dry_run,
            rows_read=result.total, created=tally.created, updated=tally.updated,
            unchanged=tally.unchanged, rejected=result.problems, kept=tuple(tally.kept),
            to_confirm=tuple(sorted(tally.to_confirm, key=lambda m: m.line)),
            ignored_columns=result.ignored_columns,
        )

    # -- helpers -----------------------------------------------------------------------------

    def _matcher(self) -> MotifMatcher:
        try:
            catalogue = self.catalogue.current()
        except NotFound:
            return MotifMatcher(())
        return MotifMatcher([(m.code, m.label) for m in catalogue.motifs],
                            {m.code: m.rules.valid_until for m in catalogue.motifs
                             if m.rules.valid_until is not None})

    @staticmethod
    def _existing(s: Session, references: Sequence[str],
                  cancelled: Cancelled | None) -> dict[str, Appointment]:
        found: dict[str, Appointment] = {}
        unique = sorted(set(references))
        for start in range(0, len(unique), LOOKUP_CHUNK):
            stop_if(cancelled)
            chunk = unique[start:start + LOOKUP_CHUNK]
            for a in s.scalars(select(Appointment).where(Appointment.reference.in_(chunk))):
                found[a.reference] = a
        return found

    @staticmethod
    def _outcome_for(row: ImportRow, today: date) -> str | None:
        """What the source's status asks of a pending appointment (None: nothing)."""
        if row.status in CANCELLING:
            return "cancelled"
        if row.status == "noshow" and row.slot_date < today:
            return "no_show"
        return None

    def _new(self, row: ImportRow, matcher: MotifMatcher, site_id: int,
             now: datetime) -> Appointment:
        code = matcher.match(row.motif_label, row.slot_date)
        outcome = self._outcome_for(row, local(now).date()) or "pending"
        return Appointment(
            reference=row.reference, source="import", site_id=site_id,
            slot_date=row.slot_date, slot_time=row.slot_time, family_name=row.family_name,
            given_names=row.given_names, birth_date=row.birth_date, birth_place=row.birth_place,
            nationality=row.nationality, phone=row.phone, email=row.email,
            foreign_number=row.foreign_number, motif_code=code,
            motif_source_label=row.motif_label, motif_to_confirm=code is None,
            outcome=outcome, finished_at=now if outcome != "pending" else None,
            created_at=now, updated_at=now,
            companions=[Companion(role="legal_rep", name=name[:NAME_LIMIT], language="")
                        for name in row.legal_representatives],
        )

    def _insert(self, s: Session, actor: Actor, created: list[tuple[ImportRow, Appointment]],
                now: datetime, file_name: str) -> None:
        """Insert one batch of new appointments and their audit rows in two batched flushes.

        The rows are the ones `record()` writes, built here without its flush per row: on
        5,000 rows that per-row flush alone took 2 s of a 4 s import.
        """
        s.add_all([a for _, a in created])
        s.flush()
        s.add_all([AuditEvent(
            at=now, user_id=actor.user_id, user_login=actor.login, station=actor.station,
            action="appointment_created", entity_type="appointment", entity_id=str(a.id),
            appointment_id=a.id, before=None,
            after=jsonable({"reference": a.reference, "source": "import",
                            "slot": f"{a.slot_date.isoformat()} {a.slot_time.isoformat()}",
                            "motif": a.motif_code, "outcome": a.outcome}),
            reason=f"import {file_name}, ligne {row.line}",
        ) for row, a in created])
        s.flush()

    @staticmethod
    def _changes(a: Appointment, row: ImportRow, matcher: MotifMatcher) -> dict[str, Any]:
        wanted: dict[str, Any] = {f: getattr(row, f) for f in ROW_FIELDS if f in row.present}
        if "motif" in row.present and row.motif_label != a.motif_source_label:
            code = matcher.match(row.motif_label, row.slot_date)
            wanted.update(motif_code=code, motif_to_confirm=code is None,
                          motif_source_label=row.motif_label)
        return {f: v for f, v in wanted.items() if getattr(a, f) != v}

    def _update(self, s: Session, actor: Actor, a: Appointment, row: ImportRow,
                matcher: MotifMatcher, now: datetime, file_name: str, tally: _Tally,
                dry_run: bool) -> None:
        changes = self._changes(a, row, matcher)
        outcome = self._outcome_for(row, local(now).date())
        new_outcome = outcome if outcome is not None and outcome != a.outcome else None
        if not changes and new_outcome is None:
            tally.unchanged += 1
            self._note_motif(tally, row, a)
            return
        if a.outcome != "pending" or a.arrived_at is not None:
            state = (f"arrivé à {fr_time(a.arrived_at)}" if a.outcome == "pending"
                     and a.arrived_at is not None else OUTCOME_LABELS[a.outcome].lower())
            name = f"{a.family_name.upper()} {a.given_names}".strip()
            tally.kept.append(RowProblem(row.line, f"{name} : {ALREADY_HANDLED} ({state})"))
            return
        tally.updated += 1
        if dry_run:
            self._note_motif(tally, row, a, changes)
            return
        before = {**state_of(a), **_traceable({f: getattr(a, f) for f in changes})}
        for name, value in changes.items():
            setattr(a, name, value)
        if new_outcome is not None:
            a.outcome, a.finished_at = new_outcome, now
        a.updated_at = now
        action = {"cancelled": "cancel", "no_show": "no_show"}.get(new_outcome or "",
                                                                  "import_update")
        record(s, actor, now, action, "appointment", a.id, before=before,
               after={**state_of(a), **_traceable(changes), "changed": sorted(changes)},
               reason=f"import {file_name}, ligne {row.line}", appointment_id=a.id)
        self._note_motif(tally, row, a)

    @staticmethod
    def _note_motif(tally: _Tally, row: ImportRow, a: Appointment,
                    pending_changes: dict[str, Any] | None = None) -> None:
        values = {"motif_to_confirm": a.motif_to_confirm, "outcome": a.outcome,
                  "motif_source_label": a.motif_source_label, **(pending_changes or {})}
        if values["motif_to_confirm"] and values["outcome"] == "pending":
            tally.to_confirm.append(MotifToConfirm(
                row.line, row.reference, row.display_name, row.slot_date, row.slot_time,
                values["motif_source_label"]))
