"""The guichet's acts, one command each: one transaction, validated first, whole or nothing.

A widget calls exactly one of these per user act and gets a `CommandResult` back; it never
chains service calls. The counter's actions apply to the counter's current person (see
`appointment_seat`), never to a selected row; calling a chosen person is its own command.
Documents an act produces are rendered inside its transaction, so a failed render undoes the act.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...errors import InvalidTransition, NotFound, ValidationError
from ...models import Appointment, AuditEvent, Dossier
from ..core.actor import Actor
from ..core.clock import at_paris, fr_date, fr_time, local
from ..papers.documents import DocumentService, RenderedDocument
from .appointment_seat import current_at, seat_of
from .appointment_state import locked
from .appointment_undo import last_step, rebooking_taken_back
from .appointment_views import AppointmentView
from .appointments import AppointmentService
from .booking import BookingService, rebook_request, set_motif
from .counter_change import change_counter
from .dossiers import DepositRequest, DossierService, PreparedDeposit, view_of
from .results import ChecklistSetup, CommandResult, PendingOutcome, UndoPreview
from .stage import Outcome

REBOOK_HORIZON_DAYS = 366
STEP_LABELS = {
    "checkin": "l'arrivée",
    "call": "l'appel au guichet",
    "recall": "le rappel",
    "send_back": "le renvoi en attente",
    "start_service": "la réception au guichet",
    "outcome": "l'issue du dossier",
    "no_show": "l'absence",
    "cancel": "l'annulation",
}
OUTCOME_STEP_LABELS = {
    "deposited": "l'enregistrement du dépôt",
    "incomplete": "le dossier incomplet",
    "redirected": "la réorientation vers l'ANEF",
    "recepisse": "la remise du récépissé",
}


class CounterCommands:
    def __init__(self, appointments: AppointmentService, booking: BookingService,
                 dossiers: DossierService, documents: DocumentService) -> None:
        self.appointments = appointments
        self.booking = booking
        self.dossiers = dossiers
        self.documents = documents
        self.ctx = appointments.ctx

    def change_counter(self, actor: Actor, number: int | None) -> Actor:
        """This station's person at another guichet (see `counter_change`)."""
        return change_counter(self.ctx, actor, number)

    # -- the counter's current person --------------------------------------------------------

    def current(self, actor: Actor) -> AppointmentView | None:
        """Who this station's counter holds today (called or at the desk), if anyone."""
        self.ctx.require(actor, "queue.view")
        if actor.counter_number is None:
            return None
        now = self.ctx.clock.now()
        with self.ctx.db.read() as s:
            seat = seat_of(s, actor.counter_number, lock=False)
            a = current_at(s, seat.counter_id, local(now).date())
            return self.appointments.builder(s).view(a) if a is not None else None

    def _current(self, s: Session, actor: Actor, now: datetime) -> Appointment:
        seat = seat_of(s, actor.counter_number, lock=True)
        a = current_at(s, seat.counter_id, local(now).date())
        if a is None:
            raise InvalidTransition(
                f"Personne n'est appelé au guichet {seat.number} : F2 appelle la personne "
                "suivante, Maj+F2 la personne choisie dans la file.")
        return locked(s, a.id)

    def _result(self, s: Session, message: str, *rows: Appointment,
                dossier: Dossier | None = None,
                documents: tuple[RenderedDocument, ...] = ()) -> CommandResult:
        s.flush()
        build = self.appointments.builder(s)
        return CommandResult(message, tuple(build.view(a) for a in rows),
                             view_of(dossier) if dossier is not None else None, documents)

    def _kept(self, result: CommandResult) -> CommandResult:
        """After the commit: keep each rendered document on disk (best effort)."""
        kept = tuple(self.documents.keep(doc) for doc in result.documents)
        return CommandResult(result.message, result.views, result.dossier, kept)

    # -- calling -----------------------------------------------------------------------------

    def call_next(self, actor: Actor) -> CommandResult:
        view = self.appointments.call_next(actor)
        if view is None:
            return CommandResult("Personne n'attend pour le moment.")
        return CommandResult(f"Appelé : ticket {view.ticket} — {view.full_name}", (view,))

    def call_person(self, actor: Actor, appointment_id: int) -> CommandResult:
        view = self.appointments.call(actor, appointment_id)
        return CommandResult(f"Appelé : ticket {view.ticket} — {view.full_name}", (view,))

    def recall(self, actor: Actor) -> CommandResult:
        self.ctx.require(actor, "counter.serve")
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            a = self._current(s, actor, now)
            if a.service_started_at is not None:
                raise InvalidTransition(f"{a.ticket} est déjà au guichet : rien à rappeler.")
            a = self.appointments.seat(s, actor, a.id, actor.counter_number, now)
            return self._result(s, f"Rappelé : ticket {a.ticket} — {a.family_name.upper()}", a)

    def send_back(self, actor: Actor) -> CommandResult:
        self.ctx.require(actor, "counter.serve")
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            a = self._current(s, actor, now)
            if a.service_started_at is not None:
                raise InvalidTransition(
                    f"{a.ticket} est au guichet : terminez son dossier (ou annulez la réception "
                    "avec Ctrl+Z) avant de le renvoyer en attente.")
            a = self.appointments.apply(s, actor, a.id, "send_back", _unseat, now)
            return self._result(s, f"Renvoyé en attente : ticket {a.ticket}", a)

    def receive(self, actor: Actor) -> CommandResult:
        """The current person comes to the desk (F4); already there: nothing changes."""
        self.ctx.require(actor, "counter.serve")
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            a = self._current(s, actor, now)
            if a.service_started_at is None:
                a = self.appointments.apply(s, actor, a.id, "start_service", _start(actor), now)
            return self._result(s, f"Au guichet : ticket {a.ticket} — {a.family_name.upper()}",
                                a)

    def checklist_setup(self, actor: Actor) -> ChecklistSetup:
        """The catalogue and today's deposit fee, read before the checklist opens."""
        self.ctx.require(actor, "counter.serve")
        today = local(self.ctx.clock.now()).date()
        catalogue = self.dossiers.catalogue.current()
        return ChecklistSetup(catalogue, self.dossiers.catalogue.fee_on("DVR_DEPOT", today),
                              today)

    # -- outcomes ----------------------------------------------------------------------------

    def _at_my_desk(self, s: Session, actor: Actor, appointment_id: int) -> None:
        """Outcomes apply to this counter's current person only."""
        if actor.counter_number is None:
            return
        a = self._current(s, actor, self.ctx.clock.now())
        if a.id != appointment_id:
            raise InvalidTransition(
                f"Cette personne n'est pas au guichet {actor.counter_number} : le guichet "
                f"reçoit {a.ticket or a.reference}.")
        if a.service_started_at is None:
            raise InvalidTransition("Recevez d'abord la personne au guichet (F4).")

    def register_deposit(self, actor: Actor, request: DepositRequest) -> CommandResult:
        """A registrable dossier: numbered, signed, its attestation rendered, all in one act;
        with pieces « à compléter », also the dated request for them (R431-11)."""
        self.ctx.require(actor, "dossier.deposit")
        prepared = self.dossiers.prepare(request)
        if not prepared.registrable:
            raise ValidationError(
                "Enregistrement impossible : pièce(s) bloquante(s) manquante(s) — "
                + " ; ".join(prepared.blocking_missing)
                + ". Sans elles (identité, nationalité, formulaire) le dossier ne peut pas être "
                "instruit : enregistrez un dossier incomplet.")
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            self._at_my_desk(s, actor, request.appointment_id)
            dossier = self.dossiers.register_in(s, actor, prepared, now)
            number = dossier.number or ""
            docs = [self.documents.attestation_in(s, actor, number, reprint=False, now=now)]
            message = f"Dépôt enregistré : dossier {number}."
            if dossier.pieces_due_by is not None:
                docs.append(self.documents.pieces_request_in(s, actor, number, reprint=False,
                                                             now=now))
                message += (f" {len(prepared.to_complete)} pièce(s) à compléter avant le "
                            f"{fr_date(dossier.pieces_due_by)}.")
            a = locked(s, request.appointment_id)
            result = self._result(s, message, a, dossier=dossier, documents=tuple(docs))
        return self._kept(result)

    def check_rebook(self, when: datetime | None) -> None:
        """A new appointment must be on a later working day, within a year."""
        if when is None:
            return
        today = local(self.ctx.clock.now()).date()
        day = when.date()
        if day <= today:
            raise ValidationError(
                f"Nouveau rendez-vous refusé : le {fr_date(day)} n'est pas postérieur à "
                "aujourd'hui. Choisissez une date à venir.")
        if day.weekday() >= 5:
            raise ValidationError(
                f"Nouveau rendez-vous refusé : le {fr_date(day)} tombe un week-end.")
        if day > today + timedelta(days=REBOOK_HORIZON_DAYS):
            raise ValidationError("Nouveau rendez-vous refusé : plus d'un an à l'avance.")

    def register_incomplete(self, actor: Actor, request: DepositRequest,
                            rebook_at: datetime | None = None) -> CommandResult:
        """The missing-pieces outcome, with its list and (if asked) a new appointment and its
        convocation: validated first, then written and rendered in one transaction."""
        self.ctx.require(actor, "dossier.deposit")
        self.check_rebook(rebook_at)
        prepared: PreparedDeposit = self.dossiers.prepare(request)
        if prepared.registrable:
            raise ValidationError(
                "Aucune pièce bloquante ne manque : enregistrez le dépôt (les pièces à compléter "
                "seront demandées par courrier daté)." if prepared.to_complete else
                "Toutes les pièces requises sont reçues : enregistrez le dépôt.")
        catalogue = prepared.catalogue
        signer = (self.dossiers.keys.signer(create_if_missing=True)
                  if rebook_at is not None else None)
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            self._at_my_desk(s, actor, request.appointment_id)
            rebooked: Appointment | None = None
            extra: dict[str, int] = {}
            if rebook_at is not None:
                view = self.appointments.builder(s).view(locked(s, request.appointment_id))
                new = rebook_request(view, rebook_at.date(), rebook_at.time().replace(
                    second=0, microsecond=0))
                new = replace(new, motif_code=request.motif_code)
                self.booking.validate(new, now)
                self.ctx.require(actor, "appointment.create")
                rebooked = self.booking.insert(s, actor, new, now)
                extra["rebooked_appointment_id"] = rebooked.id
            dossier = self.dossiers.register_in(s, actor, prepared, now, extra)
            if rebooked is not None:  # so that a duplicate of the list names it too
                dossier.extra = {**(dossier.extra or {}), **extra}
            when = at_paris(rebooked.slot_date, rebooked.slot_time) if rebooked else None
            docs = [self.documents.missing_pieces_in(s, actor, dossier.id, reprint=False,
                                                     now=now, next_appointment=when)]
            if rebooked is not None and signer is not None:
                docs.append(self.documents.convocation_in(s, actor, rebooked.id, catalogue,
                                                          signer, reprint=False, now=now))
            a = locked(s, request.appointment_id)
            message = (f"Dossier incomplet : {len(prepared.blocking_missing)} pièce(s) "
                       "bloquante(s) manquante(s).")
            if rebooked is not None:
                message += (f" Nouveau rendez-vous le {fr_date(rebooked.slot_date)} à "
                            f"{fr_time(rebooked.slot_time)}.")
            rows = (a, rebooked) if rebooked is not None else (a,)
            result = self._result(s, message, *rows, dossier=dossier, documents=tuple(docs))
        return self._kept(result)

    def redirect(self, actor: Actor, appointment_id: int, motif_code: str) -> CommandResult:
        """Settle the motif (an ANEF one) and close the appointment as redirected, together."""
        self.ctx.require(actor, "dossier.deposit")
        motif = self.dossiers.catalogue.current().motif(motif_code)
        if not motif.anef_redirect:
            raise ValidationError(f"Le motif « {motif.label} » ne relève pas de l'ANEF.")
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            self._at_my_desk(s, actor, appointment_id)
            a = locked(s, appointment_id)
            self.appointments.require_pending(a)
            set_motif(s, actor, a, motif.code, now)
            self.appointments.finish(s, actor, a, Outcome.REDIRECTED, now)
            return self._result(s, f"{a.family_name.upper()} {a.given_names} réorienté(e) vers "
                                   "l'ANEF.", a)

    # -- undo and the end of the day ---------------------------------------------------------

    def undo_preview(self, actor: Actor, appointment_id: int) -> UndoPreview:
        """What an undo would take back now, in French, before the agent confirms it."""
        self.ctx.require(actor, "queue.view")
        with self.ctx.db.read() as s:
            event = last_step(s, appointment_id)
            if event is None or event.after is None:
                raise InvalidTransition("Aucune étape à annuler pour ce rendez-vous.")
            label = STEP_LABELS[event.action]
            outcome = event.after.get("outcome")
            if event.action == "outcome" and outcome in OUTCOME_STEP_LABELS:
                label = OUTCOME_STEP_LABELS[outcome]
            takes_back = list(self._consequences(s, event))
            return UndoPreview(appointment_id, label, tuple(takes_back))

    @staticmethod
    def _consequences(s: Session, event: AuditEvent) -> list[str]:
        after = event.after or {}
        lines = []
        if after.get("dossier_id") is not None:
            number = after.get("number")
            lines.append(f"L'attestation {number} sera révoquée." if number else
                         "La liste des pièces manquantes sera révoquée.")
        if after.get("recepisse_id") is not None:
            lines.append("L'enregistrement du récépissé remis sera annulé.")
        rebooked_id = after.get("rebooked_appointment_id")
        if rebooked_id is not None:
            rebooked = rebooking_taken_back(s, rebooked_id)
            lines.append(f"Le nouveau rendez-vous du {fr_date(rebooked.slot_date)} à "
                         f"{fr_time(rebooked.slot_time)} sera annulé.")
        return lines

    def undo(self, actor: Actor, appointment_id: int, reason: str) -> CommandResult:
        view = self.appointments.undo(actor, appointment_id, reason)
        with self.ctx.db.read() as s:
            undo_row = s.scalar(select(AuditEvent).where(
                AuditEvent.appointment_id == appointment_id, AuditEvent.action == "undo")
                .order_by(AuditEvent.id.desc()).limit(1))
            rows = [view]
            cancelled = (undo_row.after or {}).get("cancelled_appointment") if undo_row else None
            if cancelled is not None:
                other = s.get(Appointment, cancelled)
                if other is not None:
                    rows.append(self.appointments.builder(s).view(other))
        return CommandResult(f"Étape annulée pour {view.full_name}.", tuple(rows))

    def mark_no_show(self, actor: Actor, appointment_id: int) -> CommandResult:
        view = self.appointments.mark_no_show(actor, appointment_id)
        return CommandResult(f"Marqué absent : {view.full_name}", (view,))

    def close_day(self, actor: Actor, day: date) -> CommandResult:
        marked = self.appointments.close_day(actor, day)
        return CommandResult(f"Journée clôturée : {marked} personne(s) marquée(s) absente(s).")

    # -- an outcome nobody knows -------------------------------------------------------------

    def settle(self, actor: Actor, pending: PendingOutcome) -> CommandResult:
        """Once the database answers again: did the act whose reply was lost happen?"""
        self.ctx.require(actor, "queue.view")
        with self.ctx.db.read() as s:
            a = s.get(Appointment, pending.appointment_id)
            if a is None:
                raise NotFound("Rendez-vous introuvable.")
            dossier = s.scalar(select(Dossier).where(
                Dossier.appointment_id == a.id, Dossier.deposited_at >= pending.started_at,
                Dossier.agent_id == actor.user_id).order_by(Dossier.id.desc()).limit(1))
            view = self.appointments.builder(s).view(a)
            found = view_of(dossier) if dossier is not None else None
        if dossier is None or found is None:
            return CommandResult(
                "La base a répondu : l'enregistrement n'avait pas été pris en compte. Rien n'a "
                "été enregistré ; recommencez.", (view,))
        docs: tuple[RenderedDocument, ...] = ()
        if dossier.complete and dossier.number and dossier.revoked_at is None:
            docs = (self.documents.attestation(actor, dossier.number, reprint=False),)
            if dossier.pieces_due_by is not None and dossier.pieces_completed_at is None:
                docs += (self.documents.pieces_request(actor, dossier.number),)
            message = (f"La base a répondu : le dépôt avait bien été enregistré (dossier "
                       f"{dossier.number}). Impression de l'attestation.")
        else:
            docs = (self.documents.missing_pieces(actor, dossier.id),)
            message = ("La base a répondu : le dossier incomplet avait bien été enregistré. "
                       "Impression de la liste des pièces manquantes.")
        return CommandResult(message, (view,), found, docs)


def _unseat(_s: Session, a: Appointment, _now: datetime) -> None:
    a.called_at = a.counter_id = a.agent_id = None


def _start(actor: Actor) -> Callable[[Session, Appointment, datetime], None]:
    def change(_s: Session, a: Appointment, now: datetime) -> None:
        a.service_started_at, a.agent_id = now, actor.user_id

    return change

