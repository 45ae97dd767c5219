"""Review of registered dossiers: filtered list, detail, mark « contrôlé » or « à reprendre ».

A review mark is a state change like any other: audited, with the comment, one row per dossier,
and a selection is marked in one transaction (all or nothing).
"""

from __future__ import annotations

import builtins  # in ReviewService, `list` names its method: builtins.list in annotations
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from ...errors import NotFound, ValidationError
from ...models import Appointment, AuditEvent, Counter, Dossier, DossierPiece, User
from ..core.actor import Actor
from ..core.audit import AuditEntry, entry, record
from ..core.clock import PARIS
from ..core.context import ServiceContext
from ..core.text_limits import COMMENT_MAX, checked_text
from ..stats.service import check_range

REVIEW_STATES = {"checked": "contrôlé", "to_redo": "à reprendre"}
UNREVIEWED_LABEL = "à contrôler"
MAX_ROWS = 5000


def review_label(state: str | None) -> str:
    return REVIEW_STATES.get(state or "", UNREVIEWED_LABEL)


@dataclass(frozen=True)
class ReviewFilter:
    start: date
    end: date
    motif_code: str | None = None
    agent_id: int | None = None
    counter_number: int | None = None
    complete: bool | None = None  # the outcome: complete deposit or incomplete dossier
    review_state: str | None = None  # "checked", "to_redo", "none" (not yet reviewed)


@dataclass(frozen=True)
class ReviewRow:
    dossier_id: int
    number: str | None
    deposited_at: datetime
    motif_code: str
    motif_label: str
    applicant: str
    agent_name: str
    counter_number: int | None
    complete: bool
    missing_count: int
    revoked: bool
    review_state: str | None
    review_comment: str | None

    @property
    def review_label(self) -> str:
        return review_label(self.review_state)


@dataclass(frozen=True)
class PieceLine:
    label: str
    requirement: str
    status: str
    note: str


@dataclass(frozen=True)
class ReviewDetail:
    row: ReviewRow
    reference: str
    request_kind: str
    catalogue_version: str
    situations: tuple[str, ...]
    pieces: tuple[PieceLine, ...]
    timbres: tuple[tuple[str, int], ...]
    arrived_at: datetime | None
    called_at: datetime | None
    service_started_at: datetime | None
    finished_at: datetime | None
    reprint_count: int
    prints: tuple[AuditEntry, ...]
    trail: tuple[AuditEntry, ...]


def _utc_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (datetime.combine(start, datetime.min.time(), PARIS),
            datetime.combine(end + timedelta(days=1), datetime.min.time(), PARIS))


class ReviewService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def list(self, actor: Actor, flt: ReviewFilter) -> list[ReviewRow]:
        self.ctx.require(actor, "review")
        start, end = check_range(flt.start, flt.end)
        low, high = _utc_bounds(start, end)
        query = self._base().where(Dossier.deposited_at >= low, Dossier.deposited_at < high)
        if flt.motif_code:
            query = query.where(Dossier.motif_code == flt.motif_code)
        if flt.agent_id is not None:
            query = query.where(Dossier.agent_id == flt.agent_id)
        if flt.counter_number is not None:
            query = query.where(Counter.number == flt.counter_number)
        if flt.complete is not None:
            query = query.where(Dossier.complete.is_(flt.complete))
        if flt.review_state == "none":
            query = query.where(Dossier.review_state.is_(None))
        elif flt.review_state:
            if flt.review_state not in REVIEW_STATES:
                raise ValidationError(f"État de contrôle inconnu : {flt.review_state}")
            query = query.where(Dossier.review_state == flt.review_state)
        query = query.order_by(Dossier.deposited_at, Dossier.id).limit(MAX_ROWS)
        with self.ctx.db.read() as s:
            return [self._row(*r) for r in s.execute(query)]

    @staticmethod
    def _base() -> Select[Any]:  # fourteen columns: more than Select's typed overloads
        """Plain columns only (no ORM entities): a list of thousands of dossiers stays fast."""
        missing = (select(func.count()).select_from(DossierPiece)
                   .where(DossierPiece.dossier_id == Dossier.id,
                          DossierPiece.status == "missing")
                   .correlate(Dossier).scalar_subquery())
        return (
            select(Dossier.id, Dossier.number, Dossier.deposited_at, Dossier.motif_code,
                   Dossier.motif_label, Appointment.family_name, Appointment.given_names,
                   User.display_name, Counter.number, Dossier.complete, missing,
                   Dossier.revoked_at, Dossier.review_state, Dossier.review_comment)
            .join(Appointment, Appointment.id == Dossier.appointment_id)
            .outerjoin(User, User.id == Dossier.agent_id)
            .outerjoin(Counter, Counter.id == Appointment.counter_id)
        )

    @staticmethod
    def _row(dossier_id: int, number: str | None, deposited_at: datetime, motif_code: str,
             motif_label: str, family: str, given: str, agent: str | None,
             counter: int | None, complete: bool, missing: int, revoked_at: datetime | None,
             state: str | None, comment: str | None) -> ReviewRow:
        return ReviewRow(dossier_id, number, deposited_at, motif_code, motif_label,
                         f"{family.upper()} {given}".strip(), agent or "", counter, complete,
                         int(missing or 0), revoked_at is not None, state, comment)

    def detail(self, actor: Actor, dossier_id: int) -> ReviewDetail:
        self.ctx.require(actor, "review")
        with self.ctx.db.read() as s:
            found = s.execute(self._base().where(Dossier.id == dossier_id)).first()
            d = s.get(Dossier, dossier_id)
            if found is None or d is None:
                raise NotFound("Dossier introuvable.")
            a = s.get_one(Appointment, d.appointment_id)
            trail = tuple(entry(e) for e in self._trail(s, d))
            return ReviewDetail(
                row=self._row(*found), reference=a.reference, request_kind=d.request_kind,
                catalogue_version=d.catalogue_version, situations=tuple(d.situations or ()),
                pieces=tuple(PieceLine(p.label, p.requirement, p.status, p.note)
                             for p in d.pieces),
                timbres=tuple((t.number, t.amount_cents) for t in d.timbres),
                arrived_at=a.arrived_at, called_at=a.called_at,
                service_started_at=a.service_started_at, finished_at=a.finished_at,
                reprint_count=d.reprint_count,
                prints=tuple(e for e in trail if e.action.endswith(("_printed", "_reprinted"))),
                trail=trail,
            )

    @staticmethod
    def _trail(s: Session, d: Dossier) -> builtins.list[AuditEvent]:
        ids = [str(d.id)] + ([d.number] if d.number else [])
        return list(s.scalars(
            select(AuditEvent).where(or_(
                AuditEvent.appointment_id == d.appointment_id,
                (AuditEvent.entity_type == "dossier") & AuditEvent.entity_id.in_(ids),
            )).order_by(AuditEvent.id)
        ))

    def mark(self, actor: Actor, dossier_ids: builtins.list[int], state: str, comment: str = ""
             ) -> builtins.list[ReviewRow]:
        """Mark each dossier « contrôlé » or « à reprendre »; « à reprendre » needs a comment."""
        self.ctx.require(actor, "review")
        if state not in REVIEW_STATES:
            raise ValidationError(f"État de contrôle inconnu : {state}")
        comment = checked_text("Commentaire", comment, COMMENT_MAX, lines=True)
        if state == "to_redo" and not comment:
            raise ValidationError("Indiquez ce qui est à reprendre dans le commentaire.")
        if not dossier_ids:
            raise ValidationError("Sélectionnez au moins un dossier.")
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            dossiers = s.scalars(select(Dossier).where(Dossier.id.in_(set(dossier_ids)))
                                 .with_for_update()).all()
            if len(dossiers) != len(set(dossier_ids)):
                raise NotFound("Un des dossiers sélectionnés n'existe plus.")
            for d in dossiers:
                before = {"review_state": d.review_state, "review_comment": d.review_comment}
                d.review_state, d.review_comment = state, comment or None
                record(s, actor, now, "dossier_reviewed", "dossier", d.number or d.id,
                       before=before, after={"review_state": state, "review_comment": comment},
                       reason=comment or None, appointment_id=d.appointment_id)
            s.flush()
            rows = s.execute(self._base().where(Dossier.id.in_(set(dossier_ids)))
                             .order_by(Dossier.id)).all()
            return [self._row(*r) for r in rows]
