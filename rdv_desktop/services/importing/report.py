"""The import report: what the service returns to the dialog and the command line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from ..core.clock import fr_date, fr_time
from .rows import RowProblem

ALREADY_HANDLED = "déjà pris en charge, non modifié"


@dataclass(frozen=True)
class MotifToConfirm:
    line: int
    reference: str
    name: str
    slot_date: date
    slot_time: time
    source_label: str


@dataclass(frozen=True)
class ImportReport:
    file_name: str
    format_label: str
    dry_run: bool
    rows_read: int
    created: int
    updated: int
    unchanged: int
    rejected: tuple[RowProblem, ...]
    kept: tuple[RowProblem, ...]  # already at the counter: left as they are
    to_confirm: tuple[MotifToConfirm, ...]
    ignored_columns: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.rejected

    def summary(self) -> str:
        verb = "Simulation de l'import" if self.dry_run else "Import"
        parts = [f"{self.created} créé{'s' if self.created > 1 else ''}",
                 f"{self.updated} mis à jour",
                 f"{self.unchanged} inchangé{'s' if self.unchanged > 1 else ''}",
                 f"{len(self.rejected)} rejeté{'s' if len(self.rejected) > 1 else ''}"]
        if self.kept:
            parts.append(f"{len(self.kept)} {ALREADY_HANDLED}")
        return (f"{verb} de « {self.file_name} », {self.format_label} : "
                f"{self.rows_read} ligne{'s' if self.rows_read > 1 else ''} lue"
                f"{'s' if self.rows_read > 1 else ''} ; {', '.join(parts)}.")

    def lines(self) -> list[str]:
        """The full report as text lines (the command line prints them)."""
        out = [self.summary()]
        if self.dry_run:
            out.append("Aucune modification enregistrée (simulation).")
        if self.rejected:
            out.append("Lignes rejetées :")
            out += [f"  {p}" for p in self.rejected]
        if self.kept:
            out.append("Rendez-vous déjà pris en charge au guichet (non modifiés) :")
            out += [f"  {p}" for p in self.kept]
        if self.to_confirm:
            out.append("Motif à confirmer au guichet :")
            out += [f"  ligne {m.line} : {m.name}, {fr_date(m.slot_date)} {fr_time(m.slot_time)}"
                    f" — « {m.source_label or '(vide)'} »" for m in self.to_confirm]
        if self.ignored_columns:
            out.append("Colonnes ignorées : " + ", ".join(self.ignored_columns))
        return out
