"""A motif's checklist for one applicant: which pieces apply given the situation flags."""

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
    def blocking(self) -> bool:
        """Missing it makes the dossier incomplete (optional pieces never do)."""
        return self.applies and self.piece.requirement != "optional"


@dataclass(frozen=True)
class PieceCheck:
    code: str
    status: str  # received | missing | not_applicable
    note: str = ""


def checklist(motif: MotifInfo, situations: frozenset[str]) -> list[ChecklistLine]:
    lines = []
    for piece in motif.pieces:
        applies = piece.condition is None or compile_condition(piece.condition).evaluate(
            situations
        )
        lines.append(ChecklistLine(piece, applies))
    return lines


def missing_blocking(motif: MotifInfo, situations: frozenset[str],
                     checks: dict[str, PieceCheck]) -> list[PieceInfo]:
    """The applicable, non-optional pieces not marked received: empty means complete."""
    for code, check in checks.items():
        if check.status not in STATUSES:
            raise ValidationError(f"Statut de pièce inconnu pour {code} : {check.status}")
    return [
        line.piece
        for line in checklist(motif, situations)
        if line.blocking and checks.get(line.piece.code, PieceCheck("", "missing")).status
        != "received"
    ]
