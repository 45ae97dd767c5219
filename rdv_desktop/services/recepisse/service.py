"""The récépissé follow-up (R431-12): who must get one, by when, and who has had it.

A complete dossier is given a due date at deposit (`Dossier.recepisse_due_on`). « Récépissé
remis » records the récépissé's number, validity and work mention, who and when; at the counter
it also closes the collection visit the arrival desk queued, in the same transaction. A wrong
record is cancelled with a reason (the row stays, dated): both are audited. The manager's list
shows the overdue ones first and exports as CSV for French Excel (never a formula).
"""

from __future__ import annotations

import csv
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Select, and_, case, func, select, true
from sqlalchemy.orm import Session, aliased

from ...errors import InvalidTransition, NotFound, ValidationError
from ...models import Appointment, Dossier, Recepisse, User
from ..core.actor import Actor
from ..core.audit import record
from ..core.clock import fr_date, local
from ..core.context import ServiceContext
from ..core.text_limits import REASON_MAX, checked_text
from ..counter.appointment_seat import current_at, seat_of
from ..counter.appointment_state import locked
from ..counter.appointment_views import AppointmentView
from ..counter.appointments import AppointmentService
from ..counter.stage import Outcome
from ..office.exports import ExportResult, check_target, csv_cell, write_atomically
from .records import cancel_in
from .views import (
    WORK_MENTION_LABELS,
    HandOver,
    RecepisseCounts,
    RecepisseFilter,
    RecepisseResult,
    RecepisseRow,
)

MAX_ROWS = 5000
MAX_VALIDITY_DAYS = 366
NUMBER_LENGTH = 40
_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ./-]*")
EXPORT_HEADERS = (
    "Dossier", "Demandeur", "Motif", "Déposé le", "À remettre au plus tard le", "État",
    "Numéro du récépissé", "Valable du", "Valable au", "Mention travail", "Remis le", "Remis par",
)
_Handed = aliased(Recepisse, name="handed")


def check_hand_over(request: HandOver) -> HandOver:
    """The request with its number trimmed, or a French refusal; nothing is read or written."""
    number = request.number.strip()
    if not number:
        raise ValidationError("Indiquez le numéro du récépissé.")
    if len(number) > NUMBER_LENGTH or not _NUMBER.fullmatch(number):
        raise ValidationError(
            f"Numéro du récépissé invalide : lettres, chiffres, espace, point, tiret ou barre "
            f"oblique, {NUMBER_LENGTH} caractères au plus.")
    if not request.dossier_number.strip():
        raise ValidationError("Indiquez le numéro du dossier.")
    if request.work_mention not in WORK_MENTION_LABELS:
        raise ValidationError("Choisissez la mention relative au travail portée sur le "
                              "récépissé.")
    if request.valid_until < request.valid_from:
        raise ValidationError(
            f"Validité impossible : le {fr_date(request.valid_until)} précède le "
            f"{fr_date(request.valid_from)}.")
    if request.valid_until - request.valid_from > timedelta(days=MAX_VALIDITY_DAYS):
        raise ValidationError("Validité impossible : un récépissé vaut au plus un an.")
    return HandOver(request.dossier_number.strip().upper(), number, request.valid_from,
                    request.valid_until, request.work_mention, request.appointment_id)


def _rows_query(valid_only: bool = True) -> Select[Any]:  # more columns than typed overloads
    """Complete dossiers with a due date (valid ones only, unless asked) and their récépissé
    if one stands."""
    handed_by = aliased(User, name="handed_by_user")
    return (
        select(Dossier.id, Dossier.number, Appointment.family_name, Appointment.given_names,
               Dossier.motif_label, Dossier.deposited_at, Dossier.recepisse_due_on,
               _Handed.id, _Handed.number, _Handed.valid_from, _Handed.valid_until,
               _Handed.work_mention, _Handed.handed_at, handed_by.display_name)
        .join(Appointment, Appointment.id == Dossier.appointment_id)
        .outerjoin(_Handed, and_(_Handed.dossier_id == Dossier.id,
                                 _Handed.cancelled_at.is_(None)))
        .outerjoin(handed_by, handed_by.id == _Handed.handed_by)
        .where(Dossier.complete.is_(True), Dossier.number.is_not(None),
               Dossier.recepisse_due_on.is_not(None),
               Dossier.revoked_at.is_(None) if valid_only else true())
    )


def _row(values: Any) -> RecepisseRow:
    (dossier_id, number, family, given, motif, deposited_at, due_on, recepisse_id,
     recepisse_number, valid_from, valid_until, mention, handed_at, handed_by) = values
    return RecepisseRow(dossier_id, number, f"{family.upper()} {given}".strip(), motif,
                        deposited_at, due_on, recepisse_id, recepisse_number, valid_from,
                        valid_until, mention, handed_at, handed_by or "")


class RecepisseService:
    def __init__(self, appointments: AppointmentService) -> None:
        self.appointments = appointments
        self.ctx: ServiceContext = appointments.ctx

    def today(self) -> date:
        return local(self.ctx.clock.now()).date()

    # -- reading -----------------------------------------------------------------------------

    def rows(self, actor: Actor, which: RecepisseFilter) -> list[RecepisseRow]:
        """The manager's list: to hand over (overdue first, by due date) or handed over."""
        self.ctx.require(actor, "recepisse.follow")
        query = self._filtered(RecepisseFilter(which), self.today())
        with self.ctx.db.read() as s:
            return [_row(r) for r in s.execute(query.limit(MAX_ROWS))]

    @staticmethod
    def _filtered(which: RecepisseFilter, today: date) -> Select[Any]:
        query = _rows_query()
        if which is RecepisseFilter.HANDED:
            return query.where(_Handed.id.is_not(None)).order_by(_Handed.handed_at.desc(),
                                                                 Dossier.id)
        query = query.where(_Handed.id.is_(None))
        if which is RecepisseFilter.OVERDUE:
            query = query.where(Dossier.recepisse_due_on < today)
        return query.order_by(Dossier.recepisse_due_on, Dossier.number)

    def counts(self, actor: Actor) -> RecepisseCounts:
        """How many récépissés are still to hand over, and how many of them are overdue."""
        self.ctx.require(actor, "recepisse.follow")
        pending = _rows_query().where(_Handed.id.is_(None)).subquery()
        late = case((pending.c.recepisse_due_on < self.today(), 1), else_=0)
        with self.ctx.db.read() as s:
            total, overdue = s.execute(select(func.count(), func.coalesce(func.sum(late), 0))
                                       .select_from(pending)).one()
        return RecepisseCounts(int(total), int(overdue))

    # -- recording ---------------------------------------------------------------------------

    def hand_over(self, actor: Actor, request: HandOver) -> RecepisseResult:
        """« Récépissé remis »: validated first, then recorded (with the visit it ends, if
        any) and audited in one transaction."""
        self.ctx.require(actor, "recepisse.record")
        request = check_hand_over(request)
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            visit = (self._visit_at_desk(s, actor, request)
                     if request.appointment_id is not None else None)
            d = self._dossier(s, request.dossier_number)
            deposited = local(d.deposited_at).date()
            if request.valid_from < deposited:
                raise ValidationError(
                    f"Validité impossible : le récépissé ne peut pas commencer avant le dépôt "
                    f"du dossier ({fr_date(deposited)}).")
            standing = self._standing(s, d.id)
            if standing is not None:
                raise InvalidTransition(
                    f"Récépissé déjà remis pour le dossier {d.number} : n° {standing.number}, "
                    f"le {fr_date(local(standing.handed_at).date())}. Annulez d'abord cet "
                    "enregistrement s'il est faux.")
            r = Recepisse(dossier_id=d.id, appointment_id=visit.id if visit else None,
                          number=request.number, valid_from=request.valid_from,
                          valid_until=request.valid_until, work_mention=request.work_mention,
                          handed_at=now, handed_by=actor.user_id, station=actor.station)
            s.add(r)
            s.flush()
            record(s, actor, now, "recepisse_handed", "dossier", d.number,
                   after={"recepisse_id": r.id, "number": r.number,
                          "valid_from": r.valid_from, "valid_until": r.valid_until,
                          "work_mention": r.work_mention,
                          "visit_appointment_id": r.appointment_id},
                   appointment_id=d.appointment_id)
            views: tuple[AppointmentView, ...] = ()
            if visit is not None:
                self.appointments.finish(s, actor, visit, Outcome.RECEPISSE_HANDED, now,
                                         {"recepisse_id": r.id})
                s.flush()
                views = (self.appointments.builder(s).view(visit),)
            row = self._row_of(s, d.id)
        return RecepisseResult(f"Récépissé {request.number} remis pour le dossier {d.number} "
                               f"({WORK_MENTION_LABELS[request.work_mention]}).", row, views)

    def cancel(self, actor: Actor, recepisse_id: int, reason: str) -> RecepisseResult:
        """Cancel a wrong « récépissé remis » (audited, with its reason); the row stays."""
        self.ctx.require(actor, "recepisse.record")
        reason = checked_text("Raison de l'annulation", reason, REASON_MAX)
        if not reason:
            raise ValidationError("Indiquez la raison de l'annulation.")
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            r = s.scalar(select(Recepisse).where(Recepisse.id == recepisse_id)
                         .with_for_update())
            if r is None:
                raise NotFound("Enregistrement du récépissé introuvable.")
            cancel_in(s, actor, r, now, reason)
            row = self._row_of(s, r.dossier_id)
        return RecepisseResult(f"Remise du récépissé {r.number} annulée pour le dossier "
                               f"{row.dossier_number} : il est de nouveau à remettre.", row)

    # -- the export --------------------------------------------------------------------------

    def export_csv(self, actor: Actor, which: RecepisseFilter, path: Path) -> ExportResult:
        """Write the list as shown to `path` (.csv, French Excel); audited."""
        self.ctx.require(actor, "recepisse.follow")
        self.ctx.require(actor, "export")
        path = Path(path)
        if check_target(path) != "csv":
            raise ValidationError(f"Export de la liste en CSV seulement : {path.name}.")
        today = self.today()
        query = self._filtered(RecepisseFilter(which), today)

        def write(tmp: Path) -> int:
            with self.ctx.db.read(long=True) as s, \
                    tmp.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
                writer.writerow(EXPORT_HEADERS)
                count = 0
                for values in s.execute(query):
                    row = _row(values)
                    writer.writerow([csv_cell(v) for v in (
                        row.dossier_number, row.applicant, row.motif_label,
                        local(row.deposited_at).date(), row.due_on, row.state_text(today),
                        row.recepisse_number, row.valid_from, row.valid_until, row.work_label,
                        local(row.handed_at).date() if row.handed_at else None, row.handed_by)])
                    count += 1
                return count

        count = write_atomically(path, write)
        with self.ctx.db.write() as s:
            record(s, actor, self.ctx.clock.now(), "export", "export", path.name,
                   after={"path": str(path), "kind": "csv", "rows": count,
                          "list": "recepisses", "filter": str(which)})
        return ExportResult(path, count, "csv")

    # -- inside a transaction ----------------------------------------------------------------

    def _visit_at_desk(self, s: Session, actor: Actor, request: HandOver) -> Appointment:
        """The counter's current person, served, come to collect this dossier's récépissé."""
        seat = seat_of(s, actor.counter_number, lock=True)
        current = current_at(s, seat.counter_id, local(self.ctx.clock.now()).date())
        if current is None or current.id != request.appointment_id:
            raise InvalidTransition(
                f"Cette personne n'est pas au guichet {seat.number} : recevez-la d'abord.")
        a = locked(s, current.id)
        self.appointments.require_pending(a)
        if a.service_started_at is None:
            raise InvalidTransition("Recevez d'abord la personne au guichet (F4).")
        if a.recepisse_for != request.dossier_number:
            raise InvalidTransition(
                f"Cette personne vient pour le dossier {a.recepisse_for or '—'}, pas pour le "
                f"dossier {request.dossier_number}.")
        return a

    @staticmethod
    def _dossier(s: Session, number: str) -> Dossier:
        d = s.scalar(select(Dossier).where(Dossier.number == number).with_for_update())
        if d is None:
            raise NotFound(f"Dossier {number} introuvable.")
        if d.revoked_at is not None:
            raise InvalidTransition(f"L'attestation du dossier {number} est révoquée : pas de "
                                    "récépissé pour ce dépôt.")
        if not d.complete:
            raise InvalidTransition(f"Le dossier {number} est incomplet : pas de récépissé.")
        if d.pieces_due_by is not None and d.pieces_completed_at is None:
            raise InvalidTransition(
                f"Le dossier {number} attend encore des pièces à compléter : le récépissé se "
                "remet une fois le dossier complet (onglet « Pièces attendues »).")
        return d

    @staticmethod
    def _standing(s: Session, dossier_id: int) -> Recepisse | None:
        return s.scalar(select(Recepisse).where(Recepisse.dossier_id == dossier_id,
                                                Recepisse.cancelled_at.is_(None))
                        .order_by(Recepisse.id.desc()).limit(1))

    @staticmethod
    def _row_of(s: Session, dossier_id: int) -> RecepisseRow:
        s.flush()
        return _row(s.execute(_rows_query(valid_only=False).where(Dossier.id == dossier_id))
                    .one())

