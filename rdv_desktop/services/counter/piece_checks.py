"""A motif's checklist for one applicant: which pieces apply, which missing ones block.

Since R431-11 as amended in June 2025, a missing piece either blocks the registration (identity,
nationality, the form: the catalogue marks them `blocking`) or is asked for later: the dossier
is registered and a dated request lists what to send.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import ValidationError
from ..catalogue.conditions import compile_condition
from ..catalogue.service import MotifInfo, PieceInfo

STATUSES = ("received", "missing", "not_applicable")
STATUS_LABELS = {"received": "reçu", "missing": "manquant", "not_applicable": "non concerné"}


@dataclass(frozen=True)
class ChecklistLine:
    piece: PieceInfo
    applies: bool

    @property
    def mandatory(self) -> bool:
        """Asked for this applicant (optional pieces never are)."""
        return self.applies and self.piece.requirement != "optional"

    @property
    def blocking(self) -> bool:
        """Missing it, the dossier cannot be registered."""
        return self.mandatory and self.piece.blocking


@dataclass(frozen=True)
class PieceCheck:
    code: str
    status: str  # received | missing | not_applicable
    note: str = ""


@dataclass(frozen=True)
class Shortfall:
    """What a dossier lacks: blocking pieces refuse it, the others are asked for later."""

    blocking: tuple[PieceInfo, ...]
    to_complete: tuple[PieceInfo, ...]

    @property
    def complete(self) -> bool:
        return not self.blocking and not self.to_complete


def checklist(motif: MotifInfo, flags: frozenset[str]) -> list[ChecklistLine]:
    """`flags`: the ticked situations and the request type's flag (`rules.request_flags`)."""
    lines = []
    for piece in motif.pieces:
        applies = piece.condition is None or compile_condition(piece.condition).evaluate(flags)
        lines.append(ChecklistLine(piece, applies))
    return lines


def shortfall(motif: MotifInfo, flags: frozenset[str],
              checks: dict[str, PieceCheck]) -> Shortfall:
    """The applicable, non-optional pieces marked missing or not marked at all (nothing is
    assumed received; the agent's « non concerné » is their call, audited with the dossier)."""
    for code, check in checks.items():
        if check.status not in STATUSES:
            raise ValidationError(f"Statut de pièce inconnu pour {code} : {check.status}")
    missing = [line for line in checklist(motif, flags) if line.mandatory
               and checks.get(line.piece.code, PieceCheck("", "missing")).status == "missing"]
    return Shortfall(tuple(ln.piece for ln in missing if ln.blocking),
                     tuple(ln.piece for ln in missing if not ln.blocking))
