"""Registering what the counter decided: a complete deposit (numbered, signed) or an incomplete one.

The number, the checklist snapshot, the signature, the appointment's outcome and the audit rows
are written in one transaction: after a crash a dossier is either wholly there or not at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...errors import InvalidTransition, NotFound, ValidationError
from ...models import Appointment, Dossier, DossierPiece, Timbre
from ..catalogue.rules import request_flags
from ..catalogue.service import CatalogueInfo, CatalogueService, MotifInfo
from ..core.actor import Actor
from ..core.audit import record
from ..core.clock import local
from ..core.site_settings import SiteSettings
from ..core.text_limits import NOTE_MAX, REASON_MAX, checked_text
from ..signing.keys import KeyService
from ..signing.signed_code import sign_code
from ..signing.signer import Signer
from .appointments import AppointmentService
from .booking import REQUEST_KINDS, set_motif
from .numbering import dossier_number
from .piece_checks import PieceCheck, Shortfall, checklist, shortfall
from .stage import Outcome

_TIMBRE_RE = re.compile(r"\d{16}")


@dataclass(frozen=True)
class TimbreEntry:
    number: str
    amount_cents: int


@dataclass(frozen=True)
class DepositRequest:
    appointment_id: int
    motif_code: str
    request_kind: str
    situations: frozenset[str] = frozenset()
    checks: tuple[PieceCheck, ...] = ()
    timbres: tuple[TimbreEntry, ...] = field(default_factory=tuple)
    handed_over: tuple[str, ...] = ()  # items of the motif's `handover` given at the counter

    @property
    def flags(self) -> frozenset[str]:
        """What the catalogue's conditions read: the situations and the request type."""
        return request_flags(self.situations, self.request_kind)


@dataclass(frozen=True)
class PreparedDeposit:
    """A checked request: its catalogue, motif, checks, what is missing and the signer."""

    request: DepositRequest
    catalogue: CatalogueInfo
    motif: MotifInfo
    checks: dict[str, PieceCheck]
    shortfall: Shortfall
    signer: Signer | None

    @property
    def registrable(self) -> bool:
        """No blocking piece missing: the dossier gets a number (maybe with pieces to send)."""
        return not self.shortfall.blocking

    @property
    def blocking_missing(self) -> tuple[str, ...]:
        return tuple(p.label for p in self.shortfall.blocking)

    @property
    def to_complete(self) -> tuple[str, ...]:
        return tuple(p.label for p in self.shortfall.to_complete)


@dataclass(frozen=True)
class DossierView:
    id: int
    number: str | None
    complete: bool
    appointment_id: int
    motif_label: str
    deposited_at: datetime
    qr_payload: str | None
    missing: tuple[str, ...]
    revoked: bool
    reprint_count: int


def working_day(day: date) -> date:
    """A deadline that falls on a weekend moves to the Monday after (public holidays are not
    known to the app: see docs/design.md)."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def validate_timbres(timbres: tuple[TimbreEntry, ...]) -> None:
    seen: set[str] = set()
    for i, t in enumerate(timbres, start=1):
        number = t.number.replace(" ", "")
        if not _TIMBRE_RE.fullmatch(number):
            raise ValidationError(f"Timbre {i} : le numéro doit compter exactement 16 chiffres.")
        if number in seen:
            raise ValidationError(f"Timbre {i} : numéro saisi deux fois.")
        if t.amount_cents <= 0:
            raise ValidationError(f"Timbre {i} : montant invalide.")
        seen.add(number)


def view_of(d: Dossier) -> DossierView:
    missing = tuple(p.label for p in d.pieces if p.status == "missing")
    return DossierView(d.id, d.number, d.complete, d.appointment_id, d.motif_label,
                       d.deposited_at, d.qr_payload, missing, d.revoked_at is not None,
                       d.reprint_count)


class DossierService:
    def __init__(self, appointments: AppointmentService, catalogue: CatalogueService,
                 keys: KeyService) -> None:
        self.appointments = appointments
        self.catalogue = catalogue
        self.keys = keys
        self.ctx = appointments.ctx

    def register(self, actor: Actor, request: DepositRequest) -> DossierView:
        """Complete when every applicable required piece is received; otherwise incomplete."""
        self.ctx.require(actor, "dossier.deposit")
        prepared = self.prepare(request)
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            return view_of(self.register_in(s, actor, prepared, now))

    def prepare(self, request: DepositRequest) -> PreparedDeposit:
        """Validate the request and decide completeness before any transaction opens."""
        if request.request_kind not in REQUEST_KINDS:
            raise ValidationError(f"Type de demande inconnu : {request.request_kind}")
        validate_timbres(request.timbres)
        for check in request.checks:
            checked_text(f"Note de la pièce {check.code}", check.note, NOTE_MAX)
        cat = self.catalogue.current()
        motif = cat.motif(request.motif_code)
        if motif.anef_redirect:
            raise ValidationError("Ce motif relève de l'ANEF : réorientez la personne.")
        ended = motif.rules.validity_problem(local(self.ctx.clock.now()).date())
        if ended:
            raise ValidationError(f"« {motif.label} » : {ended}. Aucun dépôt n'est possible "
                                  "sous ce motif ; choisissez le motif qui s'applique.")
        unknown = [h for h in request.handed_over if h not in motif.rules.handover]
        if unknown:
            raise ValidationError(f"Remise inconnue pour ce motif : {unknown[0]}")
        checks = {c.code: c for c in request.checks}
        short = shortfall(motif, request.flags, checks)
        signer = self.keys.signer(create_if_missing=True) if not short.blocking else None
        return PreparedDeposit(request, cat, motif, checks, short, signer)

    def register_in(self, s: Session, actor: Actor, prepared: PreparedDeposit,
                    now: datetime, extra: dict[str, Any] | None = None) -> Dossier:
        """Write the dossier and close the appointment inside the caller's transaction."""
        request, motif = prepared.request, prepared.motif
        a = s.scalar(select(Appointment).where(Appointment.id == request.appointment_id)
                     .with_for_update())
        if a is None:
            raise NotFound("Rendez-vous introuvable.")
        self.appointments.require_pending(a)
        if a.service_started_at is None:
            raise InvalidTransition("La personne n'est pas au guichet.")
        if a.recepisse_for is not None:
            raise InvalidTransition(f"Cette personne vient chercher le récépissé du dossier "
                                    f"{a.recepisse_for} : enregistrez la remise du récépissé.")
        set_motif(s, actor, a, motif.code, now)
        dossier = self.build(s, actor, a, prepared.catalogue, motif, request, prepared.checks,
                             now, prepared.registrable, prepared.signer)
        if prepared.registrable and prepared.shortfall.to_complete:
            settings = SiteSettings.read(s)
            dossier.pieces_due_by = working_day(
                local(now).date() + timedelta(days=settings.pieces_due_days))
            dossier.recepisse_due_on = None  # R431-12: due once the dossier is complete
        outcome = Outcome.DEPOSITED if prepared.registrable else Outcome.INCOMPLETE
        self.appointments.finish(s, actor, a, outcome, now,
                                 {"dossier_id": dossier.id, "number": dossier.number,
                                  **(extra or {})})
        return dossier

    def build(self, s: Session, actor: Actor, a: Appointment, cat: CatalogueInfo,
              motif: MotifInfo, request: DepositRequest, checks: dict[str, PieceCheck],
              now: datetime, complete: bool, signer: Signer | None) -> Dossier:
        """Snapshot the checklist into a new dossier row (shared with the demo generator)."""
        number = dossier_number(s, self.ctx.site_code, local(now).year) if complete else None
        payload = None
        if number is not None and signer is not None:  # a number is given to complete ones only
            payload = sign_code("A", self.ctx.site_code, number, now, signer)
        dossier = Dossier(
            number=number, appointment_id=a.id, motif_code=motif.code, motif_label=motif.label,
            ceseda_ref=motif.ceseda_ref, catalogue_version=cat.version,
            request_kind=request.request_kind, situations=sorted(request.situations),
            complete=complete, deposited_at=now, agent_id=actor.user_id,
            station=actor.station, signing_key_id=getattr(signer, "key_id", None),
            qr_payload=payload, reprint_count=0,
            extra={"handed_over": list(request.handed_over)} if request.handed_over else {},
            recepisse_due_on=(local(now).date() + timedelta(
                days=SiteSettings.read(s).recepisse_due_days) if complete else None),
        )
        for position, line in enumerate(checklist(motif, request.flags)):
            check = checks.get(line.piece.code)
            status = check.status if check else ("missing" if line.mandatory else "not_applicable")
            if not line.applies and check is None:
                status = "not_applicable"
            dossier.pieces.append(DossierPiece(
                position=position, code=line.piece.code, label=line.piece.label,
                category=line.piece.category, requirement=line.piece.requirement,
                status=status, note=check.note if check else "", blocking=line.piece.blocking))
        dossier.timbres = [Timbre(number=t.number.replace(" ", ""), amount_cents=t.amount_cents)
                           for t in request.timbres]
        s.add(dossier)
        s.flush()
        record(s, actor, now, "dossier_registered", "dossier", dossier.number or dossier.id,
               after={"dossier_id": dossier.id, "number": number, "complete": complete,
                      "missing": [p.code for p in dossier.pieces if p.status == "missing"],
                      "key_id": dossier.signing_key_id,
                      **({"handed_over": len(request.handed_over)}
                         if request.handed_over else {})},
               appointment_id=a.id)
        return dossier

    def get(self, number: str) -> DossierView:
        with self.ctx.db.read() as s:
            d = s.scalar(select(Dossier).where(Dossier.number == number))
            if d is None:
                raise NotFound(f"Dossier {number} introuvable.")
            return view_of(d)

    def latest_for(self, appointment_id: int) -> DossierView | None:
        """The appointment's most recent dossier (an undone one stays, revoked)."""
        with self.ctx.db.read() as s:
            d = s.scalar(select(Dossier).where(Dossier.appointment_id == appointment_id)
                         .order_by(Dossier.id.desc()).limit(1))
            return view_of(d) if d is not None else None

    def revoke(self, actor: Actor, number: str, reason: str) -> DossierView:
        self.ctx.require(actor, "dossier.revoke")
        reason = checked_text("Motif de la révocation", reason, REASON_MAX)
        if not reason:
            raise ValidationError("Indiquez le motif de la révocation.")
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            d = s.scalar(select(Dossier).where(Dossier.number == number).with_for_update())
            if d is None:
                raise NotFound(f"Dossier {number} introuvable.")
            if d.revoked_at is not None:
                raise ValidationError(f"L'attestation {number} est déjà révoquée.")
            d.revoked_at, d.revoked_reason = now, reason.strip()
            record(s, actor, now, "attestation_revoked", "dossier", number,
                   reason=reason.strip(), appointment_id=d.appointment_id)
            return view_of(d)
