"""The arrival desk queues a person who comes to collect a récépissé, from their attestation.

The attestation's QR is the dossier's signed code. A valid signature is necessary, not
sufficient: the code must equal the one stored for the dossier, the dossier must be complete
and not revoked, and no récépissé may stand for it yet. The visit is an appointment of its own
(`recepisse_for` names the dossier), created for now and checked in, ticket included, in one
transaction; the counter calls it like anyone else and records the récépissé.
"""

from __future__ import annotations

from sqlalchemy import select

from ...errors import InvalidTransition, NotFound
from ...models import Appointment, Dossier, Recepisse
from ..core.actor import Actor
from ..core.audit import record
from ..core.clock import fr_date, fr_time, local
from ..counter.appointment_views import AppointmentView
from ..counter.appointments import AppointmentService
from ..counter.booking import BookingService, NewAppointment, new_reference
from ..counter.stage import Outcome

VISIT_LABEL = "Remise du récépissé"


class AlreadyQueued(InvalidTransition):
    """This dossier's holder is already in today's queue for the récépissé."""

    def __init__(self, message: str, view: AppointmentView) -> None:
        super().__init__(message)
        self.view = view


class CollectionDesk:
    def __init__(self, appointments: AppointmentService, booking: BookingService) -> None:
        self.appointments = appointments
        self.booking = booking
        self.ctx = appointments.ctx

    def queue(self, actor: Actor, dossier_number: str, payload: str) -> AppointmentView:
        """Create and check in today's collection visit for the dossier the scanned
        attestation names; `payload` is the verified code, compared with the stored one."""
        self.ctx.require(actor, "checkin")
        now = self.ctx.clock.now()
        today = local(now).date()
        with self.ctx.db.write() as s:
            d = s.scalar(select(Dossier).where(Dossier.number == dossier_number)
                         .with_for_update())
            if d is None:
                raise NotFound(f"Code authentique, mais le dossier {dossier_number} n'est pas "
                               "dans la base.")
            if d.qr_payload != payload:
                raise InvalidTransition(f"Ce code n'est pas celui de l'attestation du dossier "
                                        f"{dossier_number} : une autre attestation porte ce "
                                        "numéro. Prévenez l'encadrement.")
            if d.revoked_at is not None:
                raise InvalidTransition(f"L'attestation {dossier_number} est révoquée : pas "
                                        "de récépissé à remettre.")
            if not d.complete:
                raise InvalidTransition(f"Le dossier {dossier_number} est incomplet : pas de "
                                        "récépissé à remettre.")
            handed = s.scalar(select(Recepisse.handed_at).where(
                Recepisse.dossier_id == d.id, Recepisse.cancelled_at.is_(None)))
            if handed is not None:
                raise InvalidTransition(f"Récépissé déjà remis pour le dossier "
                                        f"{dossier_number}, le {fr_date(local(handed).date())}.")
            waiting = s.scalar(select(Appointment).where(
                Appointment.recepisse_for == dossier_number, Appointment.slot_date == today,
                Appointment.outcome == Outcome.PENDING))
            if waiting is not None:
                view = self.appointments.builder(s).view(waiting)
                raise AlreadyQueued(f"Déjà dans la file pour le récépissé : ticket "
                                    f"{waiting.ticket}, arrivée à "
                                    f"{fr_time(waiting.arrived_at or now)}.", view)
            person = s.get_one(Appointment, d.appointment_id)
            visit = NewAppointment(
                family_name=person.family_name, given_names=person.given_names,
                slot_date=today, slot_time=local(now).time().replace(second=0, microsecond=0),
                motif_code=None, birth_date=person.birth_date, birth_place=person.birth_place,
                nationality=person.nationality, phone=person.phone, email=person.email,
                foreign_number=person.foreign_number, source="walk_in",
                reference=new_reference("R"), motif_source_label=VISIT_LABEL)
            a = self.booking.insert(s, actor, visit, now)
            a.recepisse_for, a.motif_to_confirm = dossier_number, False
            record(s, actor, now, "recepisse_visit_queued", "dossier", dossier_number,
                   after={"visit_appointment_id": a.id}, appointment_id=a.id)
            a = self.appointments.apply(s, actor, a.id, "checkin",
                                        self.appointments.arrival(actor, accept_timing=True),
                                        now)
            s.flush()
            return self.appointments.builder(s).view(a)
