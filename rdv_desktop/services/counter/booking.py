"""Creating appointments at the préfecture (walk-ins, bookings by e-mail or post)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import String, select
from sqlalchemy.orm import Session

from ...errors import ValidationError
from ...models import Appointment, CatalogueVersion, Motif
from ..core.actor import Actor
from ..core.audit import record
from ..core.clock import fr_date, local
from ..core.text_limits import checked_text
from .appointment_views import AppointmentView
from .appointments import AppointmentService
from .assistance import CompanionEntry, check_assistance, set_assistance
from .stage import Outcome

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no I, O, 0, 1: read aloud without doubt


@dataclass(frozen=True)
class NewAppointment:
    family_name: str
    given_names: str
    slot_date: date
    slot_time: time
    motif_code: str | None
    birth_date: date | None = None
    birth_place: str = ""
    nationality: str = ""
    phone: str = ""
    email: str = ""
    foreign_number: str = ""
    source: str = "manual"  # manual | walk_in | import
    reference: str | None = None
    motif_source_label: str = ""
    priority: str | None = None  # see assistance.py
    companions: tuple[CompanionEntry, ...] = ()
    request_kind: str | None = None  # one of dossiers.REQUEST_KINDS, when the person said it
    titre_expires_on: date | None = None  # a renewal's current titre


# Typed fields of an appointment, as the person at the desk reads them in a refusal.
FIELD_LABELS = {
    "family_name": "Nom de famille",
    "given_names": "Prénoms",
    "birth_place": "Lieu de naissance",
    "nationality": "Nationalité",
    "phone": "Téléphone",
    "email": "Courriel",
    "foreign_number": "Numéro étranger",
    "motif_source_label": "Motif indiqué",
}


def check_identity(new: NewAppointment) -> None:
    """Lengths the database holds and no control characters: refused in French, before any
    write (a 10,000-character name from online booking must not reach the INSERT)."""
    for name, label in FIELD_LABELS.items():
        column_type = Appointment.__table__.c[name].type
        limit = column_type.length if isinstance(column_type, String) else None
        checked_text(label, getattr(new, name), limit or 10_000)


def new_reference(prefix: str = "P") -> str:
    return f"{prefix}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


class BookingService:
    def __init__(self, appointments: AppointmentService) -> None:
        self.appointments = appointments
        self.ctx = appointments.ctx

    def create(self, actor: Actor, new: NewAppointment) -> AppointmentView:
        self.ctx.require(actor, "appointment.create")
        now = self.ctx.clock.now()
        self.validate(new, now)
        with self.ctx.db.write() as s:
            a = self.insert(s, actor, new, now)
            return self.appointments.builder(s).view(a)

    @staticmethod
    def validate(new: NewAppointment, now: datetime) -> None:
        """Everything that can be checked before a transaction opens."""
        if not new.family_name.strip():
            raise ValidationError("Le nom de famille est obligatoire.")
        check_identity(new)
        check_assistance(new.priority, new.companions)
        check_request(new)
        if new.source not in ("manual", "walk_in", "import"):
            raise ValidationError(f"Origine inconnue : {new.source}")
        if new.source != "import" and new.slot_date < local(now).date():
            raise ValidationError("Impossible de créer un rendez-vous dans le passé.")

    def insert(self, s: Session, actor: Actor, new: NewAppointment, now: datetime
               ) -> Appointment:
        """Create the (validated) appointment and its audit row in the caller's transaction."""
        check_motif_open(s, new.motif_code, new.slot_date)
        reference = new.reference or new_reference("G" if new.source == "walk_in" else "P")
        if s.scalar(select(Appointment.id).where(Appointment.reference == reference)):
            raise ValidationError(f"La référence {reference} existe déjà.")
        a = Appointment(
            reference=reference, source=new.source, site_id=self.appointments.site_id(s),
            slot_date=new.slot_date, slot_time=new.slot_time,
            family_name=new.family_name.strip(), given_names=new.given_names.strip(),
            birth_date=new.birth_date, birth_place=new.birth_place.strip(),
            nationality=new.nationality.strip(), phone=new.phone.strip(),
            email=new.email.strip(), foreign_number=new.foreign_number.strip(),
            motif_code=new.motif_code, motif_source_label=new.motif_source_label,
            motif_to_confirm=new.motif_code is None, outcome=Outcome.PENDING,
            created_at=now, updated_at=now, request_kind=new.request_kind,
            titre_expires_on=new.titre_expires_on,
        )
        s.add(a)
        s.flush()
        assistance = set_assistance(s, a, new.priority,
                                    check_assistance(new.priority, new.companions))
        record(s, actor, now, "appointment_created", "appointment", a.id,
               after={"reference": reference, "source": new.source,
                      "slot": f"{new.slot_date.isoformat()} {new.slot_time.isoformat()}",
                      "motif": new.motif_code, **assistance}, appointment_id=a.id)
        return a

RENEWAL = "Renouvellement"
REQUEST_KINDS = ("Première demande", RENEWAL, "Changement de statut")


def check_request(new: NewAppointment) -> None:
    """The request type is one of the three; an expiry date belongs to a renewal only."""
    if new.request_kind is not None and new.request_kind not in REQUEST_KINDS:
        raise ValidationError(f"Type de demande inconnu : {new.request_kind}")
    if new.titre_expires_on is not None and new.request_kind != RENEWAL:
        raise ValidationError("La date de fin du titre actuel ne se donne que pour un "
                              "renouvellement.")


def check_motif_open(s: Session, motif_code: str | None, day: date) -> None:
    """A motif with an end date (L435-4 until 31 Dec 2026) takes no appointment after it."""
    if motif_code is None:
        return
    found = s.execute(
        select(Motif.label, Motif.valid_until)
        .join(CatalogueVersion, CatalogueVersion.id == Motif.catalogue_version_id)
        .where(CatalogueVersion.current.is_(True), Motif.code == motif_code)).first()
    if found is not None and found.valid_until is not None and day > found.valid_until:
        raise ValidationError(
            f"« {found.label} » ne s'applique que jusqu'au {fr_date(found.valid_until)} : pas "
            f"de rendez-vous le {fr_date(day)} sous ce motif.")


def set_motif(s: Session, actor: Actor, a: Appointment, motif_code: str, now: datetime) -> None:
    """Settle the (locked) appointment's motif, audited, unless it is already that one."""
    if a.motif_code == motif_code and not a.motif_to_confirm:
        return
    record(s, actor, now, "motif_corrected", "appointment", a.id,
           before={"motif_code": a.motif_code}, after={"motif_code": motif_code},
           appointment_id=a.id)
    a.motif_code, a.motif_to_confirm, a.updated_at = motif_code, False, now


def rebook_request(view: AppointmentView, slot_date: date, slot_time: time) -> NewAppointment:
    """A new appointment for the same person and motif (after an incomplete dossier)."""
    return NewAppointment(
        family_name=view.family_name, given_names=view.given_names, slot_date=slot_date,
        slot_time=slot_time, motif_code=view.motif_code, birth_date=view.birth_date,
        birth_place=view.birth_place, nationality=view.nationality, phone=view.phone,
        email=view.email, foreign_number=view.foreign_number, source="manual",
    )
