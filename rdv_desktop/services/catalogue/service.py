"""The motif catalogue in the database: load a version, read the current motifs and checklists.

Every load is a new version marked current; older versions stay so that dossiers (which keep a
snapshot anyway) and reports can name the version they were checked against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from ...errors import NotFound, ValidationError
from ...models import CatalogueVersion, Fee, Motif, MotifPiece, Piece, Situation
from ...paths import resource
from ..core.actor import Actor
from ..core.audit import record
from ..core.context import ServiceContext
from .rules import MotifRules, short_label

if TYPE_CHECKING:  # the file parser and its condition grammar load only to load a file
    from .catalogue_file import CatalogueSpec


def default_catalogue_path() -> Path:
    return resource("catalogue.toml")


_VERSION_LINE = re.compile(r'^version\s*=\s*"([^"]+)"', re.MULTILINE)


def shipped_catalogue_version() -> str:
    """The shipped file's version, read without parsing the whole file (every start asks)."""
    found = _VERSION_LINE.search(default_catalogue_path().read_text(encoding="utf-8"))
    return found[1] if found else ""


@dataclass(frozen=True)
class PieceInfo:
    code: str
    label: str
    category: str
    requirement: str  # required | conditional | optional
    condition: str | None
    blocking: bool = False  # missing: registration refused, else asked for later


@dataclass(frozen=True)
class MotifInfo:
    code: str
    label: str
    ceseda_ref: str
    anef_redirect: bool
    redirect_note: str
    note: str
    pieces: tuple[PieceInfo, ...]
    rules: MotifRules = field(default_factory=MotifRules)

    @property
    def short_label(self) -> str:
        """How a chart or a tight table names the motif; the full label stays on hover."""
        return short_label(self.rules.short, self.label)


@dataclass(frozen=True)
class CatalogueInfo:
    version: str
    valid_from: date
    situations: tuple[tuple[str, str], ...]
    motifs: tuple[MotifInfo, ...]

    def motif(self, code: str) -> MotifInfo:
        for motif in self.motifs:
            if motif.code == code:
                return motif
        raise NotFound(f"Motif inconnu : {code}")


class CatalogueService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self._cached: tuple[int, CatalogueInfo] | None = None

    def load_file(self, actor: Actor, path: Path | None = None) -> str:
        """Validate then load a catalogue file; nothing is written if any problem is found."""
        self.ctx.require(actor, "catalogue.edit")
        from .catalogue_file import CatalogueError, load_catalogue_file

        path = path or default_catalogue_path()
        try:
            spec = load_catalogue_file(path)
        except CatalogueError as exc:
            raise ValidationError(str(exc)) from exc
        return self.load_spec(actor, spec, str(path))

    def load_spec(self, actor: Actor, spec: CatalogueSpec, source: str) -> str:
        self.ctx.require(actor, "catalogue.edit")
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            same = select(CatalogueVersion.id).where(CatalogueVersion.version == spec.version)
            if s.scalar(same) is not None:
                raise ValidationError(f"La version {spec.version} du catalogue est déjà chargée.")
            s.execute(update(CatalogueVersion).values(current=False))
            version = CatalogueVersion(version=spec.version, valid_from=spec.valid_from,
                                       source=source[:400], loaded_at=now, loaded_by=actor.login,
                                       current=True)
            s.add(version)
            s.flush()
            for position, sit in enumerate(spec.situations):
                s.add(Situation(catalogue_version_id=version.id, code=sit.code, label=sit.label,
                                position=position))
            pieces: dict[str, Piece] = {}
            for p in spec.pieces:
                pieces[p.code] = Piece(catalogue_version_id=version.id, code=p.code,
                                       label=p.label, category=p.category, position=p.order,
                                       requirement=p.requirement, condition=p.condition,
                                       blocking=p.blocking)
            s.add_all(pieces.values())
            s.flush()
            for m in spec.motifs:
                motif = Motif(catalogue_version_id=version.id, code=m.code, label=m.label,
                              ceseda_ref=m.ceseda, anef_redirect=m.anef,
                              redirect_note=m.redirect_note or "", note=m.note or "",
                              active=m.active, card_label=m.rules.card,
                              short_label=m.rules.short,
                              valid_until=m.rules.valid_until, photos=m.rules.photos,
                              address_months=m.rules.address_months,
                              decision_months=m.rules.decision_months,
                              age_from=m.rules.age_from, age_before=m.rules.age_before,
                              handover=list(m.rules.handover))
                motif.pieces = [MotifPiece(piece_id=pieces[code].id, position=i)
                                for i, code in enumerate(m.piece_codes)]
                s.add(motif)
            known = set(s.execute(select(Fee.code, Fee.valid_from)).all())
            for fee in spec.fees:
                if (fee.code, fee.valid_from) not in known:
                    s.add(Fee(code=fee.code, label=fee.label, amount_cents=fee.amount_cents,
                              valid_from=fee.valid_from))
            record(s, actor, now, "catalogue_loaded", "catalogue", spec.version,
                   after={"source": source, "motifs": len(spec.motifs),
                          "pieces": len(spec.pieces)})
        return spec.version

    def has_version(self, version: str) -> bool:
        with self.ctx.db.read() as s:
            return s.scalar(select(CatalogueVersion.id)
                            .where(CatalogueVersion.version == version)) is not None

    def current(self) -> CatalogueInfo:
        """The current version, read once per version (a deposit asks for it every time)."""
        with self.ctx.db.read() as s:
            version = s.scalar(select(CatalogueVersion).where(CatalogueVersion.current.is_(True)))
            if version is None:
                raise NotFound("Aucun catalogue de motifs chargé (rdv-admin load-catalogue).")
            if self._cached is not None and self._cached[0] == version.id:
                return self._cached[1]
            situations = tuple(s.execute(
                select(Situation.code, Situation.label)
                .where(Situation.catalogue_version_id == version.id)
                .order_by(Situation.position)
            ).tuples().all())
            motifs = s.scalars(
                select(Motif)
                .where(Motif.catalogue_version_id == version.id)
                .order_by(Motif.id)
                .options(selectinload(Motif.pieces).joinedload(MotifPiece.piece))
            ).all()
            info = CatalogueInfo(version.version, version.valid_from, situations,
                                 tuple(_motif_info(m) for m in motifs))
        self._cached = (version.id, info)
        return info

    def fee_on(self, code: str, day: date) -> int | None:
        """Amount in cents in force on `day` (the latest valid_from not after it)."""
        with self.ctx.db.read() as s:
            return s.scalar(
                select(Fee.amount_cents)
                .where(Fee.code == code, Fee.valid_from <= day)
                .order_by(Fee.valid_from.desc())
                .limit(1)
            )


def rules_of(m: Motif) -> MotifRules:
    return MotifRules(m.card_label, m.valid_until, m.photos, m.address_months,
                      m.decision_months, m.age_from, m.age_before, tuple(m.handover or ()),
                      m.short_label or "")


def _motif_info(m: Motif) -> MotifInfo:
    rules = rules_of(m)
    pieces = tuple(PieceInfo(mp.piece.code, rules.label(mp.piece.label), mp.piece.category,
                             mp.piece.requirement, mp.piece.condition, mp.piece.blocking)
                   for mp in m.pieces)
    return MotifInfo(m.code, m.label, m.ceseda_ref, m.anef_redirect, m.redirect_note, m.note,
                     pieces, rules)


def motif_in(s: Session, version: str, code: str) -> MotifInfo | None:
    """A motif as the catalogue `version` had it (a dossier's rules are those it was checked
    against), read in the caller's session."""
    motif = s.scalar(
        select(Motif).join(CatalogueVersion, CatalogueVersion.id == Motif.catalogue_version_id)
        .where(CatalogueVersion.version == version, Motif.code == code)
        .options(selectinload(Motif.pieces).joinedload(MotifPiece.piece)))
    return _motif_info(motif) if motif is not None else None
