"""The arrival desk: turn whatever a scanner, a webcam or a clerk typed into an arrival.

`scan` never raises for bad input: random bytes, a truncated QR, a forged signature, a code
from another site or a database outage all come back as a red `ScanResult` with a French
sentence, and change nothing. The state machine (`AppointmentService.check_in`) stays the only
writer, so the same code scanned at two stations gives one arrival and one « déjà enregistré ».
"""

from __future__ import annotations

import re
import time as _time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from ...errors import (
    DatabaseBusy,
    DatabaseUnavailable,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    RdvError,
    ValidationError,
)
from ...models import Appointment, Site
from ..core.actor import Actor
from ..core.audit import record
from ..core.clock import at_paris, fr_date, fr_time, local
from ..core.text_limits import SEARCH_MAX, checked_text
from ..counter.appointment_views import AppointmentView
from ..counter.appointments import AppointmentService, TimingWarning
from ..counter.booking import BookingService
from ..counter.stage import OUTCOME_LABELS, Outcome
from ..papers.documents import DocumentKind, RenderedDocument
from ..signing.keys import KeyService
from ..signing.signed_code import KIND_ATTESTATION, PREFIX
from ..signing.signer import KeyRing
from ..signing.verifier import Verification, VerificationStatus, verify
from .scan_input import candidates

GREEN, ORANGE, RED = "green", "orange", "red"
KEYRING_TTL_S = 60.0  # keys rotate rarely; an unknown key id forces a reload anyway
MAX_SCAN_CHARS = 512  # a real code is ~170 characters; more is a stuck key or garbage
SEARCH_LIMIT = 50
_REFERENCE = re.compile(r"[A-Z0-9][A-Z0-9_-]{0,63}")
_BIRTH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
DB_DOWN = "Base de données injoignable : rien n'a été enregistré"


@dataclass(frozen=True)
class ScanResult:
    """What the feedback panel shows: a colour, a headline read from a metre away, details."""

    kind: str  # green | orange | red
    reason: str  # checked_in, early, late, already, unknown, forged, ... (for tests and UI)
    headline: str
    details: tuple[str, ...] = ()
    view: AppointmentView | None = None
    minutes: int | None = None  # orange: how early or late

    @property
    def ticket(self) -> str | None:
        return self.view.ticket if self.view is not None else None


def _red(reason: str, headline: str, *details: str,
         view: AppointmentView | None = None) -> ScanResult:
    return ScanResult(RED, reason, headline, tuple(d for d in details if d), view)


def fold(text: str) -> str:
    """Case- and accent-insensitive form: « celik » finds « Çelik »."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _person(view: AppointmentView) -> tuple[str, str, str]:
    slot = f"Rendez-vous à {fr_time(view.slot_time)}"
    if view.source == "walk_in":
        slot = f"Sans rendez-vous ({fr_time(view.slot_time)})"
    return view.full_name, slot, view.motif_label or "Motif à confirmer au guichet"


def arrived(view: AppointmentView) -> ScanResult:
    """The green answer for an arrival, however it was recorded (scan, search, walk-in)."""
    name, slot, motif = _person(view)
    return ScanResult(GREEN, "checked_in", "Arrivée enregistrée", (name, slot, motif), view)


@dataclass(frozen=True)
class _Collect:
    """An authentic attestation: the dossier number it names and the verified code."""

    number: str
    payload: str


@dataclass
class _KeyCache:
    ring: KeyRing | None = None
    loaded_at: float = field(default=0.0)


class CheckInService:
    def __init__(self, appointments: AppointmentService, keys: KeyService) -> None:
        self.appointments = appointments
        self.keys = keys
        self.ctx = appointments.ctx
        self._keys = _KeyCache()

    # -- scanning ----------------------------------------------------------------------------

    def scan(self, actor: Actor, raw: str, accept_timing: bool = False) -> ScanResult:
        """Resolve `raw` to an appointment and check the person in; never raises on input."""

        def run() -> ScanResult:
            self.ctx.require(actor, "checkin")
            text = raw if isinstance(raw, str) else ""
            if not text.strip():
                return _red("empty", "Aucun code lu",
                            "Scannez de nouveau le QR code de la convocation.")
            if len(text) > MAX_SCAN_CHARS:
                return _red("unknown", "Code inconnu",
                            "Texte trop long pour un code de convocation : scannez de nouveau.")
            found = self._resolve(text)
            if isinstance(found, ScanResult):
                return found
            if isinstance(found, _Collect):
                return self._collect(actor, found)
            return self._arrive(actor, found, accept_timing)

        result = _answered(run)
        if result.kind == RED and result.reason not in UNAUDITED_REFUSALS:
            self._audit_refusal(actor, result)
        return result

    def _audit_refusal(self, actor: Actor, result: ScanResult) -> None:
        """A refused scan leaves a trace (the reason and, if known, the appointment id; never
        the scanned text); auditing must not turn the desk's answer into an error."""
        now = self.ctx.clock.now()
        appointment_id = result.view.id if result.view is not None else None
        try:
            with self.ctx.db.write() as s:
                record(s, actor, now, "scan_refused", "scan", result.reason,
                       after={"reason": result.reason}, appointment_id=appointment_id)
        except RdvError:
            return

    def check_in_id(self, actor: Actor, appointment_id: int, accept_timing: bool = False
                    ) -> ScanResult:
        """The manual path (search list, accepted orange): same answers as a scan."""
        return _answered(lambda: self._arrive(actor, appointment_id, accept_timing))

    def _resolve(self, raw: str) -> int | _Collect | ScanResult:
        """The appointment id a scanned text designates, or the red answer explaining why not."""
        texts = candidates(raw)
        signed = [t for t in texts if t.upper().startswith(PREFIX + ":")]
        if signed:
            return self._resolve_signed(raw)
        references = self._reference_candidates(texts)
        if references:
            with self.ctx.db.read() as s:
                rows = dict(s.execute(
                    select(Appointment.reference, Appointment.id)
                    .where(Appointment.reference.in_(references))
                ).tuples().all())
            for reference in references:
                if reference in rows:
                    return rows[reference]
        return _red("unknown", "Code inconnu",
                    "Ce code ne correspond à aucun rendez-vous.",
                    "Cherchez la personne par son nom ou sa date de naissance.")

    @staticmethod
    def _reference_candidates(texts: list[str]) -> list[str]:
        """Upper-cased booking references; the human code under a QR starts with one too."""
        seen: dict[str, None] = {}
        for text in texts:
            head = text.split("·")[0].strip().upper()
            for value in (text.strip().upper(), head):
                if _REFERENCE.fullmatch(value):
                    seen.setdefault(value, None)
        return list(seen)

    def _keyring(self, fresh: bool = False) -> KeyRing:
        cache = self._keys
        now = _time.monotonic()
        if fresh or cache.ring is None or now - cache.loaded_at > KEYRING_TTL_S:
            cache.ring = self.keys.keyring()
            cache.loaded_at = now
        return cache.ring

    def _verify(self, raw: str, fresh: bool = False) -> Verification:
        # Both kinds: a convocation checks its holder in, an attestation queues its holder
        # for the récépissé.
        return verify(raw, self._keyring(fresh), expected_kind=None, site=self.ctx.site_code)

    def _resolve_signed(self, raw: str) -> int | _Collect | ScanResult:
        result = self._verify(raw)
        if result.status is VerificationStatus.UNKNOWN_KEY:
            result = self._verify(raw, fresh=True)  # a key published since the last load
        if result.ok and result.other_site:
            return _red("other_site", "Convocation d'un autre site",
                        f"Ce code a été émis pour le site {result.site}, "
                        f"pas pour {self.ctx.site_code}.",
                        "Orientez la personne vers le bon site.")
        result = self.keys.confirm(result, self._keyring())
        status = result.status
        if result.kind == KIND_ATTESTATION:  # its holder comes for the récépissé
            if status is VerificationStatus.AUTHENTIC:
                return _Collect(result.reference or "", result.payload or "")
            if status is VerificationStatus.REVOKED:
                return _red("recepisse_refused", "Remise de récépissé impossible",
                            f"L'attestation du dossier {result.reference} est révoquée : pas "
                            "de récépissé pour ce dépôt.",
                            "Prévenez l'encadrement si la personne conteste.")
        if status in (VerificationStatus.AUTHENTIC, VerificationStatus.REVOKED):
            # A cancelled appointment is answered by the check-in itself (« Rendez-vous annulé »).
            with self.ctx.db.read() as s:
                found = s.scalar(select(Appointment.id)
                                 .where(Appointment.reference == result.reference))
            if found is not None:
                return found
            return _red("not_found", "Rendez-vous introuvable",
                        f"Le rendez-vous {result.reference} n'est pas dans la base.",
                        "Cherchez la personne par son nom.")
        if status is VerificationStatus.NO_RECORD and result.kind == KIND_ATTESTATION:
            return _red(result.refusal or "no_record", "Attestation non conforme",
                        result.message, "Pas de récépissé sur ce code : cherchez le dossier "
                        "par le nom de la personne et prévenez l'encadrement.")
        if status is VerificationStatus.NO_RECORD:
            reason = result.refusal or "no_record"
            headline = ("Rendez-vous introuvable" if reason == "unknown_reference"
                        else "Convocation non conforme")
            return _red("not_found" if reason == "unknown_reference" else reason, headline,
                        result.message, "N'enregistrez pas cette arrivée sur ce code ; "
                        "cherchez la personne par son nom et prévenez l'encadrement.")
        if status in (VerificationStatus.RETIRED_KEY, VerificationStatus.COMPROMISED_KEY):
            return _red(result.refusal or status.value, "Convocation à réémettre",
                        result.message + ".", "Cherchez la personne par son nom ; "
                        "la convocation doit être réimprimée.")
        if status is VerificationStatus.FORGED:
            return _red("forged", "Code falsifié", result.message + ".",
                        "N'enregistrez pas cette arrivée ; prévenez l'encadrement.")
        if status is VerificationStatus.UNKNOWN_KEY:
            return _red("unknown_key", "Code non vérifiable", result.message + ".",
                        "Cherchez la personne par son nom.")
        return _red("truncated", "Code incomplet ou abîmé",
                    "Le QR code n'a été lu qu'en partie.",
                    "Scannez de nouveau, ou cherchez la personne par son nom.")

    def _collect(self, actor: Actor, found: _Collect) -> ScanResult:
        """An attestation: its holder comes for the récépissé and is queued for it."""
        from ..recepisse.desk import AlreadyQueued, CollectionDesk

        desk = CollectionDesk(self.appointments, BookingService(self.appointments))
        try:
            view = desk.queue(actor, found.number, found.payload)
        except AlreadyQueued as queued:
            return _red("already", "Déjà enregistré", queued.view.full_name, queued.message,
                        view=queued.view)
        except InvalidTransition as refused:
            return _red("recepisse_refused", "Remise de récépissé impossible", refused.message,
                        "Prévenez l'encadrement si la personne conteste.")
        except NotFound as missing:
            return _red("not_found", "Dossier introuvable", missing.message)
        return ScanResult(GREEN, "recepisse_queued", "Remise du récépissé : arrivée enregistrée",
                          (view.full_name, f"Dossier {found.number}",
                           "Attend son récépissé au guichet"), view)

    def _arrive(self, actor: Actor, appointment_id: int, accept_timing: bool) -> ScanResult:
        try:
            view = self.appointments.check_in(actor, appointment_id,
                                              accept_timing=accept_timing)
        except TimingWarning as warning:
            view = self.appointments.get(appointment_id)
            early = self.ctx.clock.now() < at_paris(view.slot_date, view.slot_time)
            name, slot, motif = _person(view)
            headline = (f"En avance de {_duration(warning.minutes)}" if early
                        else f"En retard de {_duration(warning.minutes)}")
            return ScanResult(ORANGE, "early" if early else "late", headline,
                              (name, slot, motif, "Accepter l'arrivée ?"), view,
                              warning.minutes)
        except InvalidTransition as refused:
            return self._refused(appointment_id, refused.message)
        except NotFound as missing:
            return _red("not_found", "Rendez-vous introuvable", missing.message)
        return arrived(view)

    def _refused(self, appointment_id: int, message: str) -> ScanResult:
        view = self.appointments.get(appointment_id)
        name = view.full_name
        if view.arrived_at is not None:
            station = view.arrival_station or "inconnu"
            return _red("already", "Déjà enregistré", name,
                        f"Arrivée enregistrée à {fr_time(view.arrived_at)} "
                        f"au poste {station}, ticket {view.ticket}.", view=view)
        if view.outcome != Outcome.PENDING:
            headline = ("Rendez-vous annulé" if view.outcome == Outcome.CANCELLED
                        else "Rendez-vous clôturé")
            return _red(view.outcome, headline,
                        f"Ce rendez-vous est {OUTCOME_LABELS[view.outcome]}.", name, view=view)
        today = local(self.ctx.clock.now()).date()
        if view.slot_date != today:
            when = "passé" if view.slot_date < today else "à venir"
            return _red("other_day", "Rendez-vous d'un autre jour",
                        f"Prévu le {fr_date(view.slot_date)} à {fr_time(view.slot_time)} "
                        f"({when}).", name, view=view)
        return _red("refused", "Arrivée non enregistrée", message, name, view=view)

    # -- manual search -----------------------------------------------------------------------

    def search(self, actor: Actor, text: str, day: date) -> list[AppointmentView]:
        """The day's appointments matching every term: name, birth date jj/mm/aaaa, reference.

        A full booking reference also finds an appointment of another day (then the scan path
        says why it cannot be checked in today).
        """
        self.ctx.require(actor, "checkin")
        terms = fold(checked_text("Recherche", text, SEARCH_MAX)).split()
        if not terms:
            return []
        dates: list[date] = []
        words: list[str] = []
        for term in terms:
            match = _BIRTH_DATE.fullmatch(term)
            if match is None:
                words.append(term)
                continue
            try:
                dates.append(date(int(match[3]), int(match[2]), int(match[1])))
            except ValueError:
                raise ValidationError(f"Date de naissance impossible : {term}.") from None
        with self.ctx.db.read() as s:
            rows = s.execute(
                select(Appointment.id, Appointment.family_name, Appointment.given_names,
                       Appointment.birth_date, Appointment.reference, Appointment.ticket)
                .where(Appointment.slot_date == day)
            ).all()
            ids = [r.id for r in rows
                   if all(d == r.birth_date for d in dates)
                   and all(w in fold(f"{r.family_name} {r.given_names} {r.reference} "
                                     f"{r.ticket or ''}") for w in words)]
            if not ids and len(terms) == 1 and not dates:
                other = s.scalar(select(Appointment.id)
                                 .where(Appointment.reference == text.strip().upper()))
                ids = [other] if other is not None else []
            found = s.scalars(select(Appointment).where(Appointment.id.in_(ids[:SEARCH_LIMIT]))
                              .order_by(Appointment.slot_time, Appointment.id)).all()
            build = self.appointments.builder(s)
            return [build.view(a) for a in found]

    # -- the ticket --------------------------------------------------------------------------

    def ticket(self, actor: Actor, appointment_id: int) -> RenderedDocument:
        """The small queue ticket for the desk printer (audited, like every printed paper)."""
        self.ctx.require(actor, "checkin")
        from ...printing.ticket import TicketData, render_ticket

        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            a = s.get(Appointment, appointment_id)
            if a is None:
                raise NotFound("Rendez-vous introuvable.")
            if a.ticket is None or a.arrived_at is None:
                raise ValidationError("Pas encore de ticket : enregistrez d'abord l'arrivée.")
            site = s.scalar(select(Site).where(Site.code == self.ctx.site_code))
            data = TicketData(
                prefecture=site.name if site else self.ctx.site_code,
                service=site.service if site else "",
                ticket=a.ticket, arrived_at=local(a.arrived_at),
                slot=at_paris(a.slot_date, a.slot_time), printed_at=local(now),
            )
            record(s, actor, now, "ticket_printed", "appointment", a.id,
                   after={"ticket": a.ticket}, appointment_id=a.id)
        return RenderedDocument(DocumentKind.TICKET, f"Ticket {data.ticket}",
                                f"ticket-{data.ticket}.pdf",
                                render_ticket(data))


# Refusals not worth an audit row: nothing was read, or nothing can be written anyway.
UNAUDITED_REFUSALS = frozenset({"empty", "db_down", "denied"})


def _answered(run: Callable[[], ScanResult]) -> ScanResult:
    """Every failure becomes a red answer: the desk screen never sees an exception."""
    try:
        return run()
    except (DatabaseUnavailable, DatabaseBusy) as exc:
        return _red("db_down", DB_DOWN, exc.message)
    except PermissionDenied as exc:
        return _red("denied", "Action non autorisée", exc.message)
    except RdvError as exc:
        return _red("error", "Arrivée non enregistrée", exc.message)


def _duration(minutes: int) -> str:
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"

