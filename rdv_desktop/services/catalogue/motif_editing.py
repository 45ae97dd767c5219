"""One motif edited as a whole from the administration screen, saved as ONE catalogue version.

`CatalogueEditor.edit_motif` and `edit_piece` each save a version on their own; a screen that
changes a motif's label, its list of pieces and a piece's condition at once must check every
change first and write once, or a bad condition would leave half the edit saved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ...errors import NotFound, ValidationError
from ..core.actor import Actor
from ..core.text_limits import LABEL_MAX, checked_text
from .catalogue_edit import CatalogueEditor, check_condition, check_keeps_a_piece, is_requirement
from .catalogue_file import CatalogueSpec, PieceSpec, Requirement
from .rules import SHORT_LABEL_MAX

NEW_PIECE_CATEGORY = "spécifique"
_CODE = re.compile(r"[A-Z][A-Z0-9_]*")


@dataclass(frozen=True)
class PieceDraft:
    """A piece as the screen shows it; `code` is None for a piece created in this edit."""

    code: str | None
    label: str
    requirement: str
    condition: str | None = None


@dataclass(frozen=True)
class _CheckedPiece:
    """A `PieceDraft` once checked: trimmed label, known requirement, parsed condition."""

    code: str | None
    label: str
    requirement: Requirement
    condition: str | None


@dataclass(frozen=True)
class MotifDraft:
    code: str
    label: str
    ceseda: str
    pieces: tuple[PieceDraft, ...]
    short: str = ""  # the label in charts and tight tables; "" = abbreviated by rule


def editable_catalogue(editor: CatalogueEditor, actor: Actor) -> CatalogueSpec:
    """The current version with every piece, even those no motif lists yet."""
    return editor.current(actor)


def _new_code(taken: set[str], motif: str) -> str:
    n = 1
    while f"{motif}_P{n}" in taken:
        n += 1
    return f"{motif}_P{n}"


def _check_piece(spec: CatalogueSpec, draft: PieceDraft, where: str) -> _CheckedPiece:
    label = checked_text(f"{where} : libellé", draft.label, LABEL_MAX)
    if not label:
        raise ValidationError(f"{where} : le libellé de la pièce ne peut pas être vide.")
    requirement = draft.requirement
    if not is_requirement(requirement):
        raise ValidationError(f"{where} : exigence inconnue « {requirement} ».")
    condition = None
    if requirement == "conditional":
        condition = (draft.condition or "").strip()
        try:
            check_condition(spec, condition)
        except ValidationError as exc:
            raise ValidationError(f"{where} : {exc.message}") from exc
    return _CheckedPiece(draft.code, label, requirement, condition)


def apply_draft(spec: CatalogueSpec, draft: MotifDraft) -> CatalogueSpec:
    """The spec with the draft applied; raises ValidationError (French) on any problem."""
    motif = next((m for m in spec.motifs if m.code == draft.code), None)
    if motif is None:
        raise NotFound(f"Motif inconnu : {draft.code}")
    label = checked_text("Libellé du motif", draft.label, LABEL_MAX)
    if not label:
        raise ValidationError("Le libellé du motif ne peut pas être vide.")
    short = checked_text("Libellé court", draft.short, SHORT_LABEL_MAX)
    check_keeps_a_piece(motif, draft.pieces)
    known = {p.code: p for p in spec.pieces}
    taken = set(known)
    pieces = dict(known)
    codes: list[str] = []
    order = max((p.order for p in spec.pieces), default=0)
    for i, raw in enumerate(draft.pieces, start=1):
        checked = _check_piece(spec, raw, f"Pièce {i}")
        if checked.code is None:
            code = _new_code(taken, draft.code if _CODE.fullmatch(draft.code) else "PIECE")
            taken.add(code)
            order += 1
            pieces[code] = PieceSpec(code, checked.label, NEW_PIECE_CATEGORY, order,
                                     checked.requirement, checked.condition)
        elif checked.code in known:
            code = checked.code
            pieces[code] = replace(known[code], label=checked.label,
                                   requirement=checked.requirement,
                                   condition=checked.condition)
        else:
            raise ValidationError(f"Pièce inconnue : {checked.code}.")
        if code in codes:
            raise ValidationError(f"La pièce {code} figure deux fois dans le motif.")
        codes.append(code)
    new_motif = replace(motif, label=label, ceseda=draft.ceseda.strip(), piece_codes=tuple(codes),
                        rules=replace(motif.rules, short=short))
    return replace(spec, pieces=tuple(pieces.values()),
                   motifs=tuple(new_motif if m.code == draft.code else m for m in spec.motifs))


def save_motif(editor: CatalogueEditor, actor: Actor, draft: MotifDraft) -> str:
    """Check the whole draft, then load it as a new current version; returns the version."""
    spec = editor.current(actor)
    changed = apply_draft(spec, draft)
    if changed == spec:
        raise ValidationError("Aucune modification à enregistrer.")
    return editor.save(actor, changed, f"motif {draft.code}")
