"""The import report: what the service returns to the dialog and the command line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from ..core.clock import fr_date, fr_time
from .rows import RowProblem

ALREADY_HANDLED = "déjà pris en charge, non modifié"


def more(count: int, listed: tuple[object, ...]) -> list[str]:
    """The line closing a capped list: how many were not listed."""
    rest = count - len(listed)
    return [f"  … et {rest} autre{'s' if rest > 1 else ''} ligne{'s' if rest > 1 else ''} "
            "(non listées)"] if rest > 0 else []


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
    # Lines dated before today that match no appointment: not created (not imported as pending).
    past: tuple[RowProblem, ...] = ()
    # The tuples above list at most MAX_REPORTED_LINES each; these count them all (-1: the
    # tuple is complete).
    rejected_count: int = -1
    kept_count: int = -1
    to_confirm_count: int = -1
    past_count: int = -1

    def __post_init__(self) -> None:
        for name in ("rejected", "kept", "to_confirm", "past"):
            if getattr(self, f"{name}_count") < 0:
                object.__setattr__(self, f"{name}_count", len(getattr(self, name)))

    @property
    def ok(self) -> bool:
        return not self.rejected_count

    def summary(self) -> str:
        verb = "Simulation de l'import" if self.dry_run else "Import"
        rejected = self.rejected_count
        parts = [f"{self.created} créé{'s' if self.created > 1 else ''}",
                 f"{self.updated} mis à jour",
                 f"{self.unchanged} inchangé{'s' if self.unchanged > 1 else ''}",
                 f"{rejected} rejeté{'s' if rejected > 1 else ''}"]
        if self.past_count:
            parts.append(f"{self.past_count} passé{'s' if self.past_count > 1 else ''}, "
                         "non créé" + ("s" if self.past_count > 1 else ""))
        if self.kept_count:
            parts.append(f"{self.kept_count} {ALREADY_HANDLED}")
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
            out += [f"  {p}" for p in self.rejected] + more(self.rejected_count, self.rejected)
        if self.past:
            out.append("Rendez-vous passés, non créés (date antérieure à aujourd'hui) :")
            out += [f"  {p}" for p in self.past] + more(self.past_count, self.past)
        if self.kept:
            out.append("Rendez-vous déjà pris en charge au guichet (non modifiés) :")
            out += [f"  {p}" for p in self.kept] + more(self.kept_count, self.kept)
        if self.to_confirm:
            out.append("Motif à confirmer au guichet :")
            out += [f"  ligne {m.line} : {m.name}, {fr_date(m.slot_date)} {fr_time(m.slot_time)}"
                    f" — « {m.source_label or '(vide)'} »" for m in self.to_confirm]
            out += more(self.to_confirm_count, self.to_confirm)
        if self.ignored_columns:
            out.append("Colonnes ignorées : " + ", ".join(self.ignored_columns))
        return out
