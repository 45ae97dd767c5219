"""Editing the motif catalogue from the application: each save is a new catalogue version.

The current version is read back as a `CatalogueSpec`, changed, checked, and loaded through
`CatalogueService.load_spec` like a file: older versions stay, dossiers keep their snapshot.
`CatalogueEditor.current` and `save`, and the checks below, are shared with `motif_editing.py`
(a whole motif edited at once).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TypedDict, TypeGuard, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...errors import NotFound, ValidationError
from ...models import CatalogueVersion, Motif, Piece, Situation
from ..core.actor import Actor
from ..core.clock import local_today
from ..core.text_limits import COMMENT_MAX, LABEL_MAX, checked_text
from . import conditions
from .catalogue_file import CatalogueSpec, MotifSpec, PieceSpec, Requirement, SituationSpec
from .rules import REQUEST_FLAGS
from .service import CatalogueService, rules_of

REQUIREMENTS: tuple[Requirement, ...] = ("required", "conditional", "optional")


def is_requirement(value: str) -> TypeGuard[Requirement]:
    return value in REQUIREMENTS


class _MotifChanges(TypedDict, total=False):
    """The `MotifSpec` fields `CatalogueEditor.edit_motif` may change."""

    label: str
    note: str | None
    active: bool
    piece_codes: tuple[str, ...]


def current_spec(s: Session) -> CatalogueSpec:
    version = s.scalar(select(CatalogueVersion).where(CatalogueVersion.current.is_(True)))
    if version is None:
        raise NotFound("Aucun catalogue de motifs chargé.")
    situations = tuple(SituationSpec(c, label) for c, label in s.execute(
        select(Situation.code, Situation.label)
        .where(Situation.catalogue_version_id == version.id).order_by(Situation.position)))
    pieces = tuple(
        # The column is only ever written from a checked PieceSpec.
        PieceSpec(p.code, p.label, p.category, p.position, cast(Requirement, p.requirement),
                  p.condition, blocking=p.blocking)
        for p in s.scalars(select(Piece).where(Piece.catalogue_version_id == version.id)
                           .order_by(Piece.position, Piece.id)))
    motifs = tuple(
        MotifSpec(m.code, m.label, m.ceseda_ref, m.anef_redirect, m.redirect_note or None,
                  tuple(mp.piece.code for mp in m.pieces), m.active, m.note or None,
                  rules_of(m))
        for m in s.scalars(select(Motif).where(Motif.catalogue_version_id == version.id)
                           .order_by(Motif.id)))
    return CatalogueSpec(version.version, version.valid_from, situations, pieces, motifs, ())


def _next_version(s: Session, base: str) -> str:
    root = base.split("+")[0][:28]
    taken = s.scalar(select(func.count()).select_from(CatalogueVersion)
                     .where(CatalogueVersion.version.like(f"{root}+%"))) or 0
    return f"{root}+e{taken + 1}"


def check_condition(spec: CatalogueSpec, text: str) -> None:
    """A conditional piece's condition must parse and name only the spec's situations and the
    request type's flags."""
    if not text:
        raise ValidationError("Une pièce conditionnelle demande une condition.")
    try:
        names = conditions.parse_condition(text).names()
    except conditions.ConditionError as exc:
        raise ValidationError(f"Condition invalide : {exc}") from exc
    unknown = sorted(names - {sit.code for sit in spec.situations} - set(REQUEST_FLAGS.values()))
    if unknown:
        raise ValidationError(f"Situation inconnue dans la condition : {', '.join(unknown)}.")


def check_keeps_a_piece(motif: MotifSpec, pieces: Sequence[object]) -> None:
    """A motif handed in at the counter (not redirected to ANEF) lists at least one piece."""
    if not pieces and not motif.anef:
        raise ValidationError(
            f"Le motif {motif.code} se dépose au guichet : il doit garder au moins une pièce."
        )


class CatalogueEditor:
    def __init__(self, catalogue: CatalogueService) -> None:
        self.catalogue = catalogue
        self.ctx = catalogue.ctx

    def current(self, actor: Actor) -> CatalogueSpec:
        """The current version to edit, with every piece (even those no motif lists yet)."""
        self.ctx.require(actor, "catalogue.edit")
        with self.ctx.db.read() as s:
            return current_spec(s)

    def save(self, actor: Actor, spec: CatalogueSpec, what: str) -> str:
        """Load an edited spec as the next version after `spec.version`, valid from today."""
        with self.ctx.db.read() as s:
            version = _next_version(s, spec.version)
        edited = replace(spec, version=version, valid_from=local_today(self.ctx.clock))
        return self.catalogue.load_spec(actor, edited, f"édition ({what}) par {actor.login}")

    def edit_motif(self, actor: Actor, code: str, *, label: str | None = None,
                   note: str | None = None, active: bool | None = None,
                   piece_codes: list[str] | None = None) -> str:
        """Save a changed motif as a new catalogue version; returns the version."""
        spec = self.current(actor)
        motif = next((m for m in spec.motifs if m.code == code), None)
        if motif is None:
            raise NotFound(f"Motif inconnu : {code}")
        changes: _MotifChanges = {}
        if label is not None:
            label = checked_text("Libellé du motif", label, LABEL_MAX)
            if not label:
                raise ValidationError("Le libellé du motif ne peut pas être vide.")
            changes["label"] = label
        if note is not None:
            changes["note"] = checked_text("Note du motif", note, COMMENT_MAX, lines=True) or None
        if active is not None:
            changes["active"] = active
        if piece_codes is not None:
            known = {p.code for p in spec.pieces}
            unknown = [c for c in piece_codes if c not in known]
            if unknown:
                raise ValidationError(f"Pièce inconnue : {', '.join(unknown)}.")
            check_keeps_a_piece(motif, piece_codes)
            changes["piece_codes"] = tuple(dict.fromkeys(piece_codes))
        motifs = tuple(replace(m, **changes) if m.code == code else m for m in spec.motifs)
        return self.save(actor, replace(spec, motifs=motifs), f"motif {code}")

    def edit_piece(self, actor: Actor, code: str, *, label: str | None = None,
                   requirement: str | None = None, condition: str | None = None) -> str:
        """Change a piece's label or when it is required; a condition must parse."""
        spec = self.current(actor)
        piece = next((p for p in spec.pieces if p.code == code), None)
        if piece is None:
            raise NotFound(f"Pièce inconnue : {code}")
        new_label = (piece.label if label is None
                     else checked_text("Libellé de la pièce", label, LABEL_MAX))
        if not new_label:
            raise ValidationError("Le libellé de la pièce ne peut pas être vide.")
        new_req = requirement or piece.requirement
        if not is_requirement(new_req):
            raise ValidationError(f"Exigence inconnue : {new_req}")
        new_cond = None
        if new_req == "conditional":
            new_cond = (condition if condition is not None else piece.condition or "").strip()
            check_condition(spec, new_cond)
        pieces = tuple(replace(p, label=new_label, requirement=new_req, condition=new_cond)
                       if p.code == code else p for p in spec.pieces)
        return self.save(actor, replace(spec, pieces=pieces), f"pièce {code}")

