"""Exports of the appointments of a period, one row each: CSV for French Excel, typed XLSX.

French Excel opens a CSV correctly only with `;` between fields, a UTF-8 byte-order mark and
`jj/mm/aaaa` dates. The XLSX carries real dates, times and numbers, so sorting and sums work,
with its header frozen and filterable and its columns fitted to their content.
A file is written next to its target and renamed at the end: a failed export leaves nothing.
Every export is audited (it takes personal data out of the application).
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ...errors import ValidationError
from ...models import Appointment, CatalogueVersion, Counter, Dossier, Motif, User
from ..core.actor import Actor
from ..core.audit import record
from ..core.clock import local
from ..core.context import ServiceContext
from ..counter.stage import OUTCOME_LABELS
from ..stats.service import check_range
from ..stats.stats_rollup import seconds_between

HEADERS = (
    "Référence", "Date", "Heure", "Nom", "Prénoms", "Date de naissance", "Nationalité",
    "Code motif", "Motif", "Issue", "Arrivée", "Appel", "Début du service", "Fin",
    "Attente (min)", "Durée du service (min)", "Guichet", "Agent", "Numéro de dossier",
    "Dossier complet",
)
KINDS = {".csv": "csv", ".xlsx": "xlsx"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MIN_WIDTH, MAX_WIDTH = 8, 50  # XLSX column widths, in characters


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    kind: str


def _minutes(start: datetime | None, end: datetime | None) -> int | None:
    seconds = seconds_between(start, end)
    return None if seconds is None else seconds // 60


def _clock(when: datetime | None) -> time | None:
    return local(when).time().replace(second=0, microsecond=0) if when else None


def export_rows(s: Any, start: date, end: date) -> Iterator[tuple[Any, ...]]:
    """Typed rows (dates, times, ints, str, bool or None), in HEADERS order."""
    counters = dict(s.execute(select(Counter.id, Counter.number)).all())
    agents = dict(s.execute(select(User.id, User.display_name)).all())
    in_range = Appointment.slot_date.between(start, end)
    dossiers: dict[int, tuple[str | None, bool, bool]] = {}
    for appointment_id, number, complete, revoked in s.execute(
        select(Dossier.appointment_id, Dossier.number, Dossier.complete, Dossier.revoked_at)
        .join(Appointment, Appointment.id == Dossier.appointment_id)
        .where(in_range).order_by(Dossier.id)
    ):
        kept = dossiers.get(appointment_id)
        if kept is None or kept[2] or revoked is None:  # the latest valid dossier wins
            dossiers[appointment_id] = (number, complete, revoked is not None)
    labels = _motif_labels(s)
    query = select(Appointment).where(in_range).order_by(
        Appointment.slot_date, Appointment.slot_time, Appointment.id)
    for a in s.scalars(query.execution_options(yield_per=5000)):
        number, complete, _ = dossiers.get(a.id, (None, None, False))
        yield (
            a.reference, a.slot_date, a.slot_time.replace(second=0, microsecond=0),
            a.family_name, a.given_names, a.birth_date, a.nationality, a.motif_code or "",
            labels.get(a.motif_code or "", a.motif_source_label), OUTCOME_LABELS[a.outcome],
            _clock(a.arrived_at), _clock(a.called_at), _clock(a.service_started_at),
            _clock(a.finished_at), _minutes(a.arrived_at, a.called_at),
            _minutes(a.service_started_at, a.finished_at),
            counters.get(a.counter_id) if a.counter_id else None,
            agents.get(a.agent_id, "") if a.agent_id else "", number or "", complete,
        )


def _motif_labels(s: Any) -> dict[str, str]:
    rows = s.execute(
        select(Motif.code, Motif.label)
        .join(CatalogueVersion, CatalogueVersion.id == Motif.catalogue_version_id)
        .order_by(CatalogueVersion.current, CatalogueVersion.id)
    ).all()
    return dict(rows)  # the current version comes last and wins


def csv_cell(value: Any) -> str:
    """A cell for French Excel: jj/mm/aaaa, HH:MM, oui/non, and never a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    text = str(value)
    # A cell starting like a formula would be run by the spreadsheet: keep it text.
    return "'" + text if text.startswith(_FORMULA_START) else text


def _write_csv(handle: Any, rows: Iterator[tuple[Any, ...]]) -> int:
    writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    count = 0
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
        count += 1
    return count


def shown_width(value: Any) -> int:
    """Characters a cell needs on screen, as Excel shows it (dates jj/mm/aaaa, times HH:MM)."""
    if value is None:
        return 0
    if isinstance(value, bool):
        return 4  # VRAI / FAUX
    if isinstance(value, date):
        return 10
    if isinstance(value, time):
        return 5
    return max((len(line) for line in str(value).splitlines()), default=0)


def column_widths(rows: list[tuple[Any, ...]]) -> list[int]:
    """Each column as wide as its header or its widest cell, within [MIN, MAX]_WIDTH: a hostile
    400-character name must not push every other column off the screen."""
    widths = [shown_width(h) for h in HEADERS]
    for row in rows:
        for n, value in enumerate(row):
            widths[n] = max(widths[n], shown_width(value))
    return [min(MAX_WIDTH, max(MIN_WIDTH, w + 2)) for w in widths]


def _write_xlsx(path: Path, rows: Iterator[tuple[Any, ...]], title: str) -> int:
    """Frozen header row, an autofilter over it, columns fitted to their content."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    kept = list(rows)  # the widths are written before the rows (write-only sheet)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    for n, width in enumerate(column_widths(kept), start=1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(HEADERS))}{len(kept) + 1}"
    bold = Font(bold=True)
    header = []
    for text in HEADERS:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in kept:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                # Names come from public online booking: « =HYPERLINK(…) » stays text, never a
                # formula the manager's spreadsheet would run.
                cell.data_type = "s"
            elif isinstance(value, date):
                cell.number_format = "DD/MM/YYYY"
            elif isinstance(value, time):
                cell.number_format = "HH:MM"
            cells.append(cell)
        sheet.append(cells)
    book.save(path)
    return len(kept)


def check_target(path: Path) -> str:
    """The export kind, or a French refusal when the file cannot be written there."""
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise ValidationError(
            f"Format d'export inconnu pour {path.name} : choisissez un fichier .csv ou .xlsx."
        )
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ValidationError(f"Impossible d'écrire {path} : le dossier {folder} n'existe pas.")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ValidationError(f"Impossible d'écrire {path} : accès refusé.")
    if path.is_dir():
        raise ValidationError(f"Impossible d'écrire {path} : c'est un dossier.")
    return kind


def write_atomically(path: Path, write: Callable[[Path], int]) -> int:
    """Run `write` on a temporary file beside `path`, then rename it over `path`: a failed
    export leaves nothing behind. Returns what `write` returns (the rows written)."""
    fd, tmp_name = tempfile.mkstemp(prefix=".rdv-export-", suffix=path.suffix,
                                    dir=path.parent if str(path.parent) else ".")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        count = write(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ValidationError(f"Impossible d'écrire {path} : {exc.strerror or exc}.") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return count


class ExportService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def export(self, actor: Actor, start: date | None, end: date | None, path: Path
               ) -> ExportResult:
        """Write the appointments of [start, end] to `path` (.csv or .xlsx)."""
        self.ctx.require(actor, "export")
        start, end = check_range(start, end)
        path = Path(path)
        kind = check_target(path)

        def write(tmp: Path) -> int:
            with self.ctx.db.read(long=True) as s:
                rows = export_rows(s, start, end)
                if kind == "csv":
                    with tmp.open("w", encoding="utf-8-sig", newline="") as handle:
                        return _write_csv(handle, rows)
                return _write_xlsx(tmp, rows, f"RDV {start:%d-%m-%Y} au {end:%d-%m-%Y}")

        count = write_atomically(path, write)
        with self.ctx.db.write(long=True) as s:
            record(s, actor, self.ctx.clock.now(), "export", "export", path.name,
                   after={"path": str(path), "kind": kind, "rows": count,
                          "from": start, "to": end})
        return ExportResult(path, count, kind)
