"""The arrival desk's acts that write more than one thing, each one command, one transaction."""

from __future__ import annotations

from ...errors import InvalidTransition
from ..core.actor import Actor
from ..core.audit import record
from ..counter.appointment_state import locked
from ..counter.appointments import AppointmentService
from ..counter.assistance import (
    CompanionEntry,
    assistance_state,
    check_assistance,
    set_assistance,
)
from ..counter.booking import BookingService, NewAppointment
from ..counter.results import CommandResult
from ..papers.documents import DocumentService, RenderedDocument
from ..signing.keys import KeyService


class DeskCommands:
    def __init__(self, appointments: AppointmentService, booking: BookingService,
                 documents: DocumentService, keys: KeyService) -> None:
        self.appointments = appointments
        self.booking = booking
        self.documents = documents
        self.keys = keys
        self.ctx = appointments.ctx

    def walk_in(self, actor: Actor, new: NewAppointment, *, check_in_now: bool,
                print_convocation: bool) -> CommandResult:
        """Create the appointment and, together, check the person in (walk-in) or render its
        convocation (a later slot): a refused step leaves no appointment behind."""
        self.ctx.require(actor, "appointment.create")
        if check_in_now:
            self.ctx.require(actor, "checkin")
        now = self.ctx.clock.now()
        self.booking.validate(new, now)
        signer = self.keys.signer(create_if_missing=True) if print_convocation else None
        catalogue = self.documents.catalogue.current() if print_convocation else None
        with self.ctx.db.write() as s:
            a = self.booking.insert(s, actor, new, now)
            if check_in_now:
                a = self.appointments.apply(s, actor, a.id, "checkin",
                                            self.appointments.arrival(actor, accept_timing=True),
                                            now)
            docs: tuple[RenderedDocument, ...] = ()
            if signer is not None and catalogue is not None:
                docs = (self.documents.convocation_in(s, actor, a.id, catalogue, signer,
                                                      reprint=False, now=now),)
            s.flush()
            view = self.appointments.builder(s).view(a)
        message = (f"Arrivée enregistrée : ticket {view.ticket} — {view.full_name}"
                   if check_in_now else
                   f"Rendez-vous créé pour {view.full_name} : réf. {view.reference}")
        message += self._age_warning(new)
        return CommandResult(message, (view,), None,
                             tuple(self.documents.keep(d) for d in docs))

    def _age_warning(self, new: NewAppointment) -> str:
        """The motif's birth-date window (L423-21, L423-13, L435-3), said at booking: the
        préfecture decides, the desk only warns."""
        if new.motif_code is None or new.birth_date is None:
            return ""
        motif = self.documents.catalogue.current().motif(new.motif_code)
        problem = motif.rules.age_problem(new.birth_date, new.slot_date)
        return f" — ⚠ {motif.label} : {problem}." if problem else ""

    def set_assistance(self, actor: Actor, appointment_id: int, priority: str | None,
                       companions: tuple[CompanionEntry, ...]) -> CommandResult:
        """Priority and companions, at the desk or the counter, until the appointment ends:
        validated first, written with its audit row (roles and languages, not the names)."""
        self.ctx.require(actor, "checkin")
        companions = check_assistance(priority, companions)
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            a = locked(s, appointment_id)
            if a.outcome != "pending":
                raise InvalidTransition("Rendez-vous clôturé : priorité et accompagnants ne "
                                        "changent plus.")
            before = assistance_state(a)
            after = set_assistance(s, a, priority, companions)
            a.updated_at = now
            record(s, actor, now, "assistance", "appointment", a.id, before=before,
                   after=after, appointment_id=a.id)
            s.flush()
            view = self.appointments.builder(s).view(a)
        said = view.assistance or "sans priorité ni accompagnant"
        return CommandResult(f"{view.full_name} : {said}.", (view,))
