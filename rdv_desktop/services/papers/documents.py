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
from ...models import Appointment, Dossier, Fee, Site, User
from ...printing import data as pd
from ...printing.french import fr_euros
from ..catalogue.conditions import compile_condition
from ..catalogue.rules import REQUEST_FLAG_LABELS
from ..catalogue.service import CatalogueInfo, CatalogueService, MotifInfo, PieceInfo, motif_in
from ..core.actor import Actor
from ..core.audit import record
from ..core.clock import add_months, at_paris, fr_time, local
from ..core.site_settings import SiteSettings
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
FEES_AT_DEPOSIT = ("DVR_DEPOT",)  # the share paid when the dossier is handed in


class DocumentKind(StrEnum):
    """What a paper is, so a screen decides by kind, never by reading its title."""

    ATTESTATION = "attestation"
    MISSING_PIECES = "missing_pieces"
    PIECES_REQUEST = "pieces_request"
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
    # What the paper is about (dossier number, dossier id or appointment id, by kind), so that
    # a later print can be asked as a counted, dated DUPLICATA; empty: the paper has no original.
    subject: str = ""
    duplicate: bool = False

    @property
    def print_name(self) -> str:
        return self.job_title or self.title

    @property
    def has_original(self) -> bool:
        """An original that may leave the station once (printed or saved); later copies are
        duplicates."""
        return bool(self.subject) and not self.duplicate


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

    def site_info(self, s: Session, settings: SiteSettings | None = None) -> pd.SiteInfo:
        """The site as printed, with the contacts and retention its settings give."""
        site = s.scalar(select(Site).where(Site.code == self.ctx.site_code))
        if site is None:
            raise NotFound(f"Site {self.ctx.site_code} absent de la base.")
        st = settings or SiteSettings.read(s)
        return pd.SiteInfo(site.name, site.service, site.address, site.code,
                           phone=st.service_phone, email=st.service_email,
                           pieces_address=st.pieces_postal_address, dpo=st.dpo_contact,
                           desk_hours=st.desk_hours, retention_months=st.retention_months)

    def _motif_as_printed(self, s: Session, d: Dossier, settings: SiteSettings
                          ) -> tuple[str, str]:
        """Motif and CESEDA article, or the card category alone when the site asks (the paper
        is shown to landlords and employers: « parent d'enfant malade » is nobody's business)."""
        motif = motif_in(s, d.catalogue_version, d.motif_code)
        if settings.print_card_category and motif is not None and motif.rules.card:
            return motif.rules.card, ""
        return d.motif_label, d.ceseda_ref

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
        reissue = self.keys.signer_to_reissue(number=number)
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            doc = self.attestation_in(s, actor, number, reprint=reprint, now=now,
                                      reissue=reissue)
        return self.keep(doc)

    def attestation_in(self, s: Session, actor: Actor, number: str, *, reprint: bool,
                       now: datetime, reissue: Signer | None = None) -> RenderedDocument:
        """Gather, audit and render inside the caller's transaction (a failed render undoes
        the act that asked for it). `reissue`: the active signer, when the stored code was
        signed by a compromised key (the paper is then signed again)."""
        from ...printing.attestation import render_attestation

        d = s.scalar(select(Dossier).where(Dossier.number == number).with_for_update())
        if d is None or not d.complete or d.qr_payload is None:
            raise NotFound(f"Aucune attestation pour le dossier {number}.")
        if d.revoked_at is not None:
            raise ValidationError(
                f"L'attestation {number} a été révoquée : elle ne peut plus être imprimée."
            )
        if reissue is not None and d.signing_key_id != reissue.key_id:
            self.keys.reissue_in(s, actor, d, reissue, now)
        assert d.qr_payload is not None
        a = s.get(Appointment, d.appointment_id)
        agent = s.get(User, d.agent_id)
        assert a is not None
        settings = SiteSettings.read(s)
        motif_label, ceseda = self._motif_as_printed(s, d, settings)
        motif = motif_in(s, d.catalogue_version, d.motif_code)
        months = motif.rules.decision_months if motif else 4
        awaited = d.pieces_due_by is not None and d.pieces_completed_at is None
        deposited = local(d.deposited_at)
        data = pd.AttestationData(
            site=self.site_info(s, settings), dossier_number=number,
            deposited_at=deposited, agent_id=agent.login if agent else "",
            applicant=applicant_of(a), motif_label=motif_label, ceseda_ref=ceseda,
            request_kind=d.request_kind,
            pieces_received=tuple(pd.PieceLine(p.label, p.note) for p in d.pieces
                                  if p.status == "received"),
            pieces_missing=tuple(pd.PieceLine(p.label, p.note) for p in d.pieces
                                 if p.status == "missing"),
            timbres=tuple(pd.Timbre(t.number, t.amount_cents) for t in d.timbres),
            qr_payload=d.qr_payload, human_code=short_code(d.qr_payload),
            duplicate_printed_at=local(now) if reprint else None,
            decision_date=None if awaited else add_months(
                local(d.pieces_completed_at).date() if d.pieces_completed_at
                else deposited.date(), months),
            decision_months=months,
            pieces_due_by=d.pieces_due_by if awaited else None,
            handed_over=tuple((d.extra or {}).get("handed_over", ())),
        )
        if reprint:
            d.reprint_count += 1
        record(s, actor, now, "attestation_reprinted" if reprint else "attestation_printed",
               "dossier", number, after={"reprint_count": d.reprint_count},
               appointment_id=a.id)
        suffix = f"-duplicata-{self._stamp(now)}" if reprint else ""
        pdf = render_attestation(data)
        return RenderedDocument(DocumentKind.ATTESTATION, f"Attestation de dépôt {number}",
                                f"attestation-{number}{suffix}.pdf", pdf, subject=number,
                                duplicate=reprint)

    def reprint_latest(self, actor: Actor, appointment_id: int) -> RenderedDocument:
        """« Réimprimer »: the appointment's latest paper (attestation, else its missing-pieces
        list) as a DUPLICATA, found, counted and rendered in one transaction."""
        self.ctx.require(actor, "dossier.reprint")
        reissue = self.keys.signer_to_reissue(appointment_id=appointment_id)
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            d = s.scalar(select(Dossier).where(Dossier.appointment_id == appointment_id)
                         .order_by(Dossier.id.desc()).limit(1))
            if d is None:
                raise NotFound("Aucun document à réimprimer pour cette ligne.")
            if d.complete and d.number:
                doc = self.attestation_in(s, actor, d.number, reprint=True, now=now,
                                          reissue=reissue)
            else:
                doc = self.missing_pieces_in(s, actor, d.id, reprint=True, now=now)
        return self.keep(doc)

    def duplicate_of(self, actor: Actor, doc: RenderedDocument) -> RenderedDocument:
        """A later print of a paper whose original has left the station: the same paper,
        marked DUPLICATA, dated, counted and audited."""
        if not doc.subject:
            raise ValidationError("Ce document n'a pas d'original : imprimez-le à nouveau.")
        if doc.kind is DocumentKind.ATTESTATION:
            return self.attestation(actor, doc.subject, reprint=True)
        if doc.kind is DocumentKind.PIECES_REQUEST:
            return self.pieces_request(actor, doc.subject, reprint=True)
        if doc.kind is DocumentKind.MISSING_PIECES:
            return self.missing_pieces(actor, int(doc.subject), reprint=True)
        if doc.kind is DocumentKind.CONVOCATION:
            return self.convocation(actor, int(doc.subject), reprint=True)
        raise ValidationError(f"Pas de duplicata pour ce document ({doc.title}).")

    # -- demande de pièces complémentaires ---------------------------------------------------

    def pieces_request(self, actor: Actor, number: str, *, reprint: bool = False
                       ) -> RenderedDocument:
        self.ctx.require(actor, "dossier.reprint" if reprint else "dossier.deposit")
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            doc = self.pieces_request_in(s, actor, number, reprint=reprint, now=now)
        return self.keep(doc)

    def pieces_request_in(self, s: Session, actor: Actor, number: str, *, reprint: bool,
                          now: datetime) -> RenderedDocument:
        """The dated request for the pieces a registered dossier lacks, in the caller's
        transaction."""
        from ...printing.pieces_request import render_pieces_request

        d = s.scalar(select(Dossier).where(Dossier.number == number))
        awaited = tuple(pd.PieceLine(p.label, p.note) for p in (d.pieces if d else ())
                        if p.status == "missing")
        if d is None or d.pieces_due_by is None or not awaited:
            raise NotFound(f"Aucune pièce attendue pour le dossier {number}.")
        a = s.get(Appointment, d.appointment_id)
        agent = s.get(User, d.agent_id)
        assert a is not None
        settings = SiteSettings.read(s)
        motif_label, _ceseda = self._motif_as_printed(s, d, settings)
        data = pd.PiecesRequestData(
            site=self.site_info(s, settings), applicant=applicant_of(a), dossier_number=number,
            deposited_at=local(d.deposited_at), motif_label=motif_label,
            pieces_to_send=awaited, due_by=d.pieces_due_by,
            agent_id=agent.login if agent else "",
            duplicate_printed_at=local(now) if reprint else None)
        record(s, actor, now, "pieces_request_reprinted" if reprint else "pieces_request_printed",
               "dossier", number, appointment_id=a.id)
        suffix = f"-duplicata-{self._stamp(now)}" if reprint else ""
        return RenderedDocument(DocumentKind.PIECES_REQUEST,
                                f"Demande de pièces complémentaires {number}",
                                f"demande-de-pieces-{number}{suffix}.pdf",
                                render_pieces_request(data),
                                job_title=f"Demande de pièces {number}", subject=number,
                                duplicate=reprint)

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
        if next_appointment is None:  # a duplicate names the new appointment the original gave
            next_appointment = _rebooked_slot(s, d)
        data = pd.MissingPiecesData(
            site=self.site_info(s), applicant=applicant_of(a), motif_label=d.motif_label,
            ceseda_ref=d.ceseda_ref, checked_at=local(d.deposited_at),
            agent_id=agent.login if agent else "",
            pieces_missing=tuple(pd.PieceLine(p.label, p.note) for p in d.pieces
                                 if p.status == "missing"),
            pieces_received=tuple(pd.PieceLine(p.label, p.note) for p in d.pieces
                                  if p.status == "received"),
            pieces_blocking=tuple(pd.PieceLine(p.label, p.note) for p in d.pieces
                                  if p.status == "missing" and p.blocking),
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
                                job_title=f"Pièces manquantes {safe_ref}",
                                subject=str(d.id), duplicate=reprint)

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
        settings = SiteSettings.read(s)
        labels = {**REQUEST_FLAG_LABELS, **dict(catalogue.situations)}
        fees: tuple[str, ...] = ()
        if a.motif_code:
            motif = catalogue.motif(a.motif_code)
            motif_label = (motif.rules.card if settings.print_card_category and motif.rules.card
                           else motif.label)
            pieces = tuple(_to_bring(p, labels) for p in motif.pieces)
            fees = _fees_due(s, motif, a.slot_date, labels)
        else:
            motif_label = "motif à confirmer à l'accueil"
            pieces = tuple(_to_bring(p, labels) for p in common_pieces(catalogue))
        code = self.checkin_code(a, signer)
        data = pd.ConvocationData(
            site=self.site_info(s, settings), applicant=applicant_of(a),
            booking_reference=a.reference, slot=at_paris(a.slot_date, a.slot_time),
            motif_label=motif_label, pieces_to_bring=pieces, checkin_payload=code,
            human_code=short_code(code), duplicate_printed_at=local(now) if reprint else None,
            fees=fees, late_after_minutes=settings.late_after_minutes,
            motif_confirmed=a.motif_code is not None, request_kind=a.request_kind or "",
            titre_expires_on=a.titre_expires_on,
        )
        record(s, actor, now, "convocation_reprinted" if reprint else "convocation_printed",
               "appointment", a.id, appointment_id=a.id, after={"key_id": signer.key_id})
        suffix = f"-duplicata-{self._stamp(now)}" if reprint else ""
        return RenderedDocument(DocumentKind.CONVOCATION, f"Convocation {a.reference}",
                                f"convocation-{_SAFE.sub('', a.reference)}{suffix}.pdf",
                                render_convocation(data), subject=str(a.id),
                                duplicate=reprint)

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


def _rebooked_slot(s: Session, d: Dossier) -> datetime | None:
    """The new appointment an incomplete outcome gave, while it still stands."""
    rebooked_id = (d.extra or {}).get("rebooked_appointment_id")
    rebooked = s.get(Appointment, rebooked_id) if isinstance(rebooked_id, int) else None
    if rebooked is None or rebooked.outcome != "pending":
        return None
    return at_paris(rebooked.slot_date, rebooked.slot_time)


def _to_bring(piece: PieceInfo, labels: dict[str, str]) -> pd.PieceLine:
    """A piece for the convocation, its situation said in words (« Si : « Marié(e)… » »)."""
    if piece.requirement == "optional":
        return pd.PieceLine(piece.label, "facultatif")
    if piece.condition is None:
        return pd.PieceLine(piece.label)
    return pd.PieceLine(piece.label, compile_condition(piece.condition).when(labels))


def common_pieces(catalogue: CatalogueInfo) -> tuple[PieceInfo, ...]:
    """The pieces every paper motif asks for: what a convocation can list before the motif is
    confirmed."""
    paper = [m for m in catalogue.motifs if not m.anef_redirect and m.pieces]
    if not paper:
        return ()
    shared = set.intersection(*({p.code for p in m.pieces} for m in paper))
    return tuple(p for p in paper[0].pieces if p.code in shared)


def _fees_due(s: Session, motif: MotifInfo, day: date, labels: dict[str, str]
              ) -> tuple[str, ...]:
    """The timbres due at the deposit for this motif, with their amount on the day."""
    lines = []
    for piece in motif.pieces:
        if piece.category != "fiscal" or piece.code not in FEES_AT_DEPOSIT:
            continue
        fee = s.scalar(select(Fee).where(Fee.code == piece.code, Fee.valid_from <= day)
                       .order_by(Fee.valid_from.desc()).limit(1))
        if fee is None:
            continue
        when = ("" if piece.condition is None else
                " — " + compile_condition(piece.condition).when(labels).lower())
        lines.append(f"{fee.label} : {fr_euros(fee.amount_cents)}{when}")
    return tuple(lines)
