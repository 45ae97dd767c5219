"""Dossiers registered with pieces « à compléter »: who still owes what, and the pieces arriving.

R431-11 (June 2025) has the missing pieces requested with a deadline; the dossier keeps its
deposit date. This is the follow-up: the list a manager works from (overdue first) and the act
that records pieces handed in later, at the desk or the counter, each audited. The dossier is
complete once the last awaited piece is in; the implicit-decision delay then starts (L114-5).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ...errors import NotFound, ValidationError
from ...models import Appointment, Dossier
from ..core.actor import Actor
from ..core.audit import record
from ..core.clock import fr_date, local
from ..core.context import ServiceContext
from ..core.site_settings import SiteSettings


@dataclass(frozen=True)
class AwaitedPiece:
    code: str
    label: str


@dataclass(frozen=True)
class AwaitedDossier:
    number: str
    applicant: str
    motif_label: str
    deposited_at: datetime
    due_by: date
    days_late: int  # 0 while the deadline has not passed
    pieces: tuple[AwaitedPiece, ...]

    @property
    def overdue(self) -> bool:
        return self.days_late > 0


@dataclass(frozen=True)
class PiecesReceived:
    """What an arrival of pieces did: a French sentence and whether the dossier is complete."""

    message: str
    number: str
    complete: bool
    still_awaited: tuple[AwaitedPiece, ...]


def _awaited(d: Dossier) -> tuple[AwaitedPiece, ...]:
    return tuple(AwaitedPiece(p.code, p.label) for p in d.pieces if p.status == "missing")


class PiecesAwaitedService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def awaiting(self, actor: Actor, *, overdue_only: bool = False) -> list[AwaitedDossier]:
        """Registered dossiers still waiting for pieces: overdue first (most late first), then
        by deadline."""
        self.ctx.require(actor, "dossier.complete")
        today = local(self.ctx.clock.now()).date()
        query = (select(Dossier, Appointment)
                 .join(Appointment, Appointment.id == Dossier.appointment_id)
                 .where(Dossier.pieces_due_by.is_not(None),
                        Dossier.pieces_completed_at.is_(None),
                        Dossier.revoked_at.is_(None))
                 .options(selectinload(Dossier.pieces)))
        if overdue_only:
            query = query.where(Dossier.pieces_due_by < today)
        with self.ctx.db.read() as s:
            rows = [self._row(d, a, today) for d, a in s.execute(query).tuples()]
        return sorted(rows, key=lambda r: (-r.days_late, r.due_by, r.number))

    @staticmethod
    def _row(d: Dossier, a: Appointment, today: date) -> AwaitedDossier:
        due = d.pieces_due_by
        assert due is not None and d.number is not None  # the query asks for both
        return AwaitedDossier(d.number, f"{a.family_name.upper()} {a.given_names}".strip(),
                              d.motif_label, d.deposited_at, due, max(0, (today - due).days),
                              _awaited(d))

    def receive(self, actor: Actor, number: str, codes: tuple[str, ...]) -> PiecesReceived:
        """Record pieces handed in after the deposit (one act, audited)."""
        self.ctx.require(actor, "dossier.complete")
        if not codes:
            raise ValidationError("Cochez au moins une pièce reçue.")
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            d = self._locked(s, number)
            awaited = {p.code: p for p in d.pieces if p.status == "missing"}
            unknown = [c for c in codes if c not in awaited]
            if unknown:
                raise ValidationError(
                    f"Le dossier {number} n'attend pas la pièce {unknown[0]} (déjà reçue ou "
                    "hors de sa liste) : rien n'a été enregistré.")
            for code in dict.fromkeys(codes):
                awaited[code].status, awaited[code].received_at = "received", now
            left, due = _awaited(d), d.pieces_due_by or local(now).date()
            if not left:
                d.pieces_completed_at = now
                days = SiteSettings.read(s).recepisse_due_days  # R431-12: now it is complete
                d.recepisse_due_on = local(now).date() + timedelta(days=days)
            record(s, actor, now, "dossier_pieces_received", "dossier", number,
                   after={"pieces": list(dict.fromkeys(codes)), "complete": not left},
                   appointment_id=d.appointment_id)
        if left:
            message = (f"Dossier {number} : {len(codes)} pièce(s) enregistrée(s), encore "
                       f"{len(left)} attendue(s) avant le {fr_date(due)}.")
        else:
            message = (f"Dossier {number} complet : toutes les pièces demandées sont reçues. Le "
                       "délai de décision court à partir d'aujourd'hui.")
        return PiecesReceived(message, number, not left, left)

    @staticmethod
    def _locked(s: Session, number: str) -> Dossier:
        d = s.scalar(select(Dossier).where(Dossier.number == number).with_for_update())
        if d is None:
            raise NotFound(f"Dossier {number} introuvable.")
        if d.revoked_at is not None:
            raise ValidationError(f"Le dossier {number} est révoqué : rien n'a été enregistré.")
        if d.pieces_due_by is None or d.pieces_completed_at is not None:
            raise ValidationError(f"Le dossier {number} n'attend aucune pièce.")
        return d
