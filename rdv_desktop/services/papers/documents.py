"""The printed papers: gather the data from the database, render, count reprints, keep a copy.

Renderers live in rdv_desktop.printing and see only plain dataclasses; this module is where
a dossier or an appointment becomes one. Every print is audited; a reprint is counted, marked
« DUPLICATA » and dated. Each rendered PDF is also kept on disk so nothing is lost when a
printer fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...errors import NotFound, ValidationError
from ...french import name_line
from ...models import Appointment, Dossier, Site, User
from ...printing import data as pd
from ..catalogue.service import CatalogueInfo, CatalogueService
from ..core.actor import Actor
from ..core.audit import record
from ..core.clock import at_paris, fr_time, local
from ..counter.appointments import AppointmentService
from ..signing.keys import KeyService
from ..signing.signed_code import short_code, sign_code
from ..signing.signer import Signer

HOW_TO_COME_BACK = (
    "Rassemblez les pièces manquantes puis présentez-vous avec cette liste au rendez-vous "
    "indiqué ci-dessus."
)
HOW_TO_BOOK_AGAIN = (
    "Rassemblez les pièces manquantes puis reprenez rendez-vous en ligne (rubrique « Étrangers » "
    "du site de la préfecture) et venez avec cette liste."
)
_SAFE = re.compile(r"[^A-Za-z0-9-]+")


class DocumentKind(StrEnum):
    """What a paper is, so a screen decides by kind, never by reading its title."""

    ATTESTATION = "attestation"
    MISSING_PIECES = "missing_pieces"
    CONVOCATION = "convocation"
    TICKET = "ticket"
    DAY_LIST = "day_list"


@dataclass(frozen=True)
class RenderedDocument:
    kind: DocumentKind
    title: str
    filename: str
    pdf: bytes
    kept_at: Path | None = None
    job_title: str = ""  # what the print queue shows: kind and number, never a name

    @property
    def print_name(self) -> str:
        return self.job_title or self.title


def applicant_of(a: Appointment) -> pd.Applicant:
    return pd.Applicant(a.family_name, a.given_names, a.birth_date, a.birth_place,
                        a.nationality, a.foreign_number)


class DocumentService:
    def __init__(self, appointments: AppointmentService, catalogue: CatalogueService,
                 keys: KeyService) -> None:
        self.ctx = appointments.ctx
        self.appointments = appointments
        self.catalogue = catalogue
        self.keys = keys

    # -- shared pieces -----------------------------------------------------------------------

    def site_info(self, s: Session) -> pd.SiteInfo:
        site = s.scalar(select(Site).where(Site.code == self.ctx.site_code))
        if site is None:
            raise NotFound(f"Site {self.ctx.site_code} absent de la base.")
        return pd.SiteInfo(site.name, site.service, site.address, site.code)

    def keep(self, doc: RenderedDocument) -> RenderedDocument:
        """Write a copy under pdf_dir/YYYY/MM/ (best effort: a full disk must not stop a print)."""
        now = local(self.ctx.clock.now())
        folder = self.ctx.pdf_dir / f"{now:%Y}" / f"{now:%m}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / doc.filename
            path.write_bytes(doc.pdf)
        except OSError:
            return doc
        return replace(doc, kept_at=path)

    def _stamp(self, now: datetime) -> str:
        return f"{local(now):%Y%m%d-%H%M%S}"

    # -- attestation de dépôt ----------------------------------------------------------------

    def attestation(self, actor: Actor, number: str, *, reprint: bool) -> RenderedDocument:
        """The attestation of a complete dossier; `reprint` marks it DUPLICATA and counts it."""
        self.ctx.require(actor, "dossier.reprint" if reprint else "dossier.deposit")
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            doc = self.attestation_in(s, actor, number, reprint=reprint, now=now)
        return self.keep(doc)

    def attestation_in(self, s: Session, actor: Actor, number: str, *, reprint: bool,
                       now: datetime) -> RenderedDocument:
        """Gather, audit and render inside the caller's transaction (a failed render undoes
        the act that asked for it)."""
        from ...printing.attestation import render_attestation

        d = s.scalar(select(Dossier).where(Dossier.number == number).with_for_update())
        if d is None or not d.complete or d.qr_payload is None:
            raise NotFound(f"Aucune attestation pour le dossier {number}.")
        if d.revoked_at is not None:
            raise ValidationError(
                f"L'attestation {number} a été révoquée : elle ne peut plus être imprimée."
            )
        a = s.get(Appointment, d.appointment_id)
        agent = s.get(User, d.agent_id)
        assert a is not None
        data = pd.AttestationData(
            site=self.site_info(s), dossier_number=number,
            deposited_at=local(d.deposited_at), agent_id=agent.login if agent else "",
            applicant=applicant_of(a), motif_label=d.motif_label, ceseda_ref=d.ceseda_ref,
            request_kind=d.request_kind,
            pieces_received=tuple(pd.PieceLine(p.label, p.note) for p in d.pieces
                                  if p.status == "received"),
            pieces_missing=tuple(pd.PieceLine(p.label, p.note) for p in d.pieces
                                 if p.status == "missing"),
            timbres=tuple(pd.Timbre(t.number, t.amount_cents) for t in d.timbres),
            qr_payload=d.qr_payload, human_code=short_code(d.qr_payload),
            duplicate_printed_at=local(now) if reprint else None,
        )
        if reprint:
            d.reprint_count += 1
        record(s, actor, now, "attestation_reprinted" if reprint else "attestation_printed",
               "dossier", number, after={"reprint_count": d.reprint_count},
               appointment_id=a.id)
        suffix = f"-duplicata-{self._stamp(now)}" if reprint else ""
        pdf = render_attestation(data)
        return RenderedDocument(DocumentKind.ATTESTATION, f"Attestation de dépôt {number}",
                                f"attestation-{number}{suffix}.pdf", pdf)

    def reprint_latest(self, actor: Actor, appointment_id: int) -> RenderedDocument:
        """« Réimprimer »: the appointment's latest paper (attestation, else its missing-pieces
        list) as a DUPLICATA, found, counted and rendered in one transaction."""
        self.ctx.require(actor, "dossier.reprint")
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            d = s.scalar(select(Dossier).where(Dossier.appointment_id == appointment_id)
                         .order_by(Dossier.id.desc()).limit(1))
            if d is None:
                raise NotFound("Aucun document à réimprimer pour cette ligne.")
            if d.complete and d.number:
                doc = self.attestation_in(s, actor, d.number, reprint=True, now=now)
            else:
                doc = self.missing_pieces_in(s, actor, d.id, reprint=True, now=now)
        return self.keep(doc)

    # -- liste des pièces manquantes ---------------------------------------------------------

    def missing_pieces(self, actor: Actor, dossier_id: int, *, reprint: bool = False,
                       next_appointment: datetime | None = None) -> RenderedDocument:
        self.ctx.require(actor, "dossier.reprint" if reprint else "dossier.deposit")
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            doc = self.missing_pieces_in(s, actor, dossier_id, reprint=reprint, now=now,
                                         next_appointment=next_appointment)
        return self.keep(doc)

    def missing_pieces_in(self, s: Session, actor: Actor, dossier_id: int, *, reprint: bool,
                          now: datetime, next_appointment: datetime | None = None
                          ) -> RenderedDocument:
        """The list of missing pieces, gathered, audited and rendered in the caller's
        transaction."""
        from ...printing.missing_pieces import render_missing_pieces

        d = s.get(Dossier, dossier_id)
        if d is None or d.complete:
            raise NotFound("Aucune liste de pièces manquantes pour ce dossier.")
        a = s.get(Appointment, d.appointment_id)
        agent = s.get(User, d.agent_id)
        assert a is not None
        data = pd.MissingPiecesData(
            site=self.site_info(s), applicant=applicant_of(a), motif_label=d.motif_label,
            ceseda_ref=d.ceseda_ref, checked_at=local(d.deposited_at),
            agent_id=agent.login if agent else "",
            pieces_missing=tuple(pd.PieceLine(p.label, p.note) for p in d.pieces
                                 if p.status == "missing"),
            pieces_received=tuple(pd.PieceLine(p.label, p.note) for p in d.pieces
                                  if p.status == "received"),
            next_appointment=local(next_appointment) if next_appointment else None,
            how_to_come_back=HOW_TO_COME_BACK if next_appointment else HOW_TO_BOOK_AGAIN,
            reference=a.reference,
            duplicate_printed_at=local(now) if reprint else None,
        )
        if reprint:
            d.reprint_count += 1
        record(s, actor, now, "missing_list_reprinted" if reprint else "missing_list_printed",
               "dossier", d.id, appointment_id=a.id)
        suffix = f"-duplicata-{self._stamp(now)}" if reprint else f"-{self._stamp(now)}"
        safe_ref = _SAFE.sub("", a.reference)
        return RenderedDocument(DocumentKind.MISSING_PIECES,
                                f"Pièces manquantes — {a.family_name}",
                                f"pieces-manquantes-{safe_ref}{suffix}.pdf",
                                render_missing_pieces(data),
                                job_title=f"Pièces manquantes {safe_ref}")

    # -- convocation -------------------------------------------------------------------------

    def checkin_code(self, appointment: Appointment, signer: Signer) -> str:
        """Kind C code; get `signer` before opening a transaction (it may publish a key)."""
        reference = appointment.reference.upper()
        if not re.fullmatch(r"[A-Z0-9-]{1,32}", reference):
            raise ValidationError(
                f"La référence {appointment.reference} ne peut pas figurer dans un code signé."
            )
        slot = at_paris(appointment.slot_date, appointment.slot_time)
        return sign_code("C", self.ctx.site_code, reference, slot, signer)

    def convocation(self, actor: Actor, appointment_id: int, *, reprint: bool = False
                    ) -> RenderedDocument:
        self.ctx.require(actor, "appointment.create")
        catalogue = self.catalogue.current()
        signer = self.keys.signer(create_if_missing=True)
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            doc = self.convocation_in(s, actor, appointment_id, catalogue, signer,
                                      reprint=reprint, now=now)
        return self.keep(doc)

    def convocation_in(self, s: Session, actor: Actor, appointment_id: int,
                       catalogue: CatalogueInfo, signer: Signer, *, reprint: bool,
                       now: datetime) -> RenderedDocument:
        """The convocation, signed, audited and rendered in the caller's transaction."""
        from ...printing.convocation import render_convocation

        a = s.get(Appointment, appointment_id)
        if a is None:
            raise NotFound("Rendez-vous introuvable.")
        pieces: tuple[pd.PieceLine, ...] = ()
        motif_label = a.motif_source_label or "à préciser au guichet"
        if a.motif_code:
            motif = catalogue.motif(a.motif_code)
            motif_label = motif.label
            pieces = tuple(
                pd.PieceLine(p.label, "" if p.requirement == "required" else
                             "selon votre situation" if p.requirement == "conditional"
                             else "facultatif")
                for p in motif.pieces)
        code = self.checkin_code(a, signer)
        data = pd.ConvocationData(
            site=self.site_info(s), applicant=applicant_of(a), booking_reference=a.reference,
            slot=at_paris(a.slot_date, a.slot_time), motif_label=motif_label,
            pieces_to_bring=pieces, checkin_payload=code, human_code=short_code(code),
            duplicate_printed_at=local(now) if reprint else None,
        )
        record(s, actor, now, "convocation_reprinted" if reprint else "convocation_printed",
               "appointment", a.id, appointment_id=a.id)
        suffix = f"-duplicata-{self._stamp(now)}" if reprint else ""
        return RenderedDocument(DocumentKind.CONVOCATION, f"Convocation {a.reference}",
                                f"convocation-{_SAFE.sub('', a.reference)}{suffix}.pdf",
                                render_convocation(data))

    # -- the day's list ----------------------------------------------------------------------

    def day_list(self, actor: Actor, day: date) -> RenderedDocument:
        from ...printing.day_list import render_day_list

        views = self.appointments.day(actor, day)
        now = self.ctx.clock.now()
        with self.ctx.db.read() as s:
            site = self.site_info(s)
        rows = tuple(pd.DayListRow(fr_time(v.slot_time), v.ticket or "",
                                   name_line(v.family_name, v.given_names),
                                   v.motif_label or "motif à confirmer", v.stage.value)
                     for v in views)
        pdf = render_day_list(pd.DayListData(site, day, rows, local(now)))
        return self.keep(RenderedDocument(DocumentKind.DAY_LIST, f"Liste du {day:%d/%m/%Y}",
                                          f"liste-du-jour-{day.isoformat()}.pdf", pdf))
