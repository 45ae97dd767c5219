"""R431-11 since June 2025: a dossier missing only pieces « à compléter » is registered, with a
dated request; a missing blocking piece refuses it; pieces arriving later complete it.
Also the motif's legal limits (end date, card category) as the counter meets them."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from rdv_desktop.errors import ValidationError
from rdv_desktop.models import AuditEvent, Dossier
from rdv_desktop.services.catalogue.rules import request_flags
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.core.clock import PARIS, FixedClock
from rdv_desktop.services.counter.booking import NewAppointment
from rdv_desktop.services.counter.dossiers import DepositRequest, TimbreEntry
from rdv_desktop.services.counter.piece_checks import PieceCheck, checklist
from rdv_desktop.services.papers.documents import DocumentKind
from rdv_desktop.services.setup import Services
from tests.flows import TODAY, at_counter

SITUATIONS = frozenset({"entree_irreguliere"})
LATER = frozenset({"DOMICILE", "PHOTOS"})  # à compléter
DUE = date(2026, 12, 28)  # 30 days fall on Saturday 26/12: the Monday after


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def request(services: Services, appointment_id: int, missing: frozenset[str] = frozenset(),
            motif: str = "AES_SALARIE", kind: str = "Première demande") -> DepositRequest:
    info = services.catalogue.current().motif(motif)
    checks = tuple(PieceCheck(line.piece.code, "missing" if line.piece.code in missing
                              else "received" if line.applies else "not_applicable")
                   for line in checklist(info, request_flags(SITUATIONS, kind)))
    return DepositRequest(appointment_id, motif, kind, SITUATIONS, checks,
                          (TimbreEntry("1234567890123456", 10000),))


def registered_with_pieces(services: Services, accueil: Actor, agent: Actor, name: str,
                           hour: time = time(10, 0)) -> str:
    person = at_counter(services, accueil, agent, name=name, hour=hour)
    result = services.counter.register_deposit(agent, request(services, person, LATER))
    assert result.dossier is not None and result.dossier.number
    return result.dossier.number


def test_only_pieces_to_complete_registers_with_a_dated_request(
        services: Services, accueil: Actor, agent: Actor) -> None:
    person = at_counter(services, accueil, agent)
    result = services.counter.register_deposit(agent, request(services, person, LATER))
    number = result.dossier.number
    assert number == "CANTAL-2026-000001" and result.dossier.complete
    assert "2 pièce(s) à compléter avant le 28/12/2026" in result.message
    kinds = [d.kind for d in result.documents]
    assert kinds == [DocumentKind.ATTESTATION, DocumentKind.PIECES_REQUEST]
    attestation, letter = (text_of(d.pdf) for d in result.documents)
    assert "Pièces à compléter (2, à envoyer avant le 28/12/2026)" in attestation
    assert "court à compter de la réception de la dernière pièce demandée" in attestation
    assert "Demande de pièces complémentaires" in letter
    assert f"Dossier n° {number}" in letter and "Déposé le 26/11/2026" in letter
    assert "À envoyer au plus tard le lundi 28 décembre 2026" in letter
    assert "Justificatif de domicile de moins de 6 mois" in letter
    assert "4 photographies d'identité" in letter
    assert "Par courrier" in letter and "sans rendez-vous" in letter
    with services.ctx.db.read() as s:
        dossier = s.scalar(select(Dossier).where(Dossier.number == number))
        assert dossier.pieces_due_by == DUE and dossier.pieces_completed_at is None
        assert {p.code for p in dossier.pieces if p.status == "missing"} == LATER


def test_a_missing_blocking_piece_refuses_registration_and_names_it(
        services: Services, accueil: Actor, agent: Actor) -> None:
    person = at_counter(services, accueil, agent)
    blocked = request(services, person, frozenset({"IDENTITE"}) | LATER)
    with pytest.raises(ValidationError, match=r"bloquante\(s\) manquante\(s\) — Passeport"):
        services.counter.register_deposit(agent, blocked)
    with services.ctx.db.read() as s:
        assert s.scalar(select(Dossier.id)) is None
    result = services.counter.register_incomplete(agent, blocked)
    assert result.dossier.number is None and not result.dossier.complete
    assert result.documents[0].kind is DocumentKind.MISSING_PIECES


def test_incomplete_is_refused_when_nothing_blocks(services: Services, accueil: Actor,
                                                   agent: Actor) -> None:
    person = at_counter(services, accueil, agent)
    with pytest.raises(ValidationError, match="Aucune pièce bloquante ne manque"):
        services.counter.register_incomplete(agent, request(services, person, LATER))


def test_the_deadline_follows_the_setting(services: Services, accueil: Actor, agent: Actor,
                                          admin: Actor) -> None:
    services.office.admin.set_setting(admin, "pieces_due_days", 15)
    number = registered_with_pieces(services, accueil, agent, "Quinze")
    with services.ctx.db.read() as s:
        due = s.scalar(select(Dossier.pieces_due_by).where(Dossier.number == number))
    assert due == TODAY + timedelta(days=15)


def test_pieces_arriving_later_complete_the_dossier(services: Services, accueil: Actor,
                                                    agent: Actor, clock: FixedClock) -> None:
    number = registered_with_pieces(services, accueil, agent, "Ahmadi")
    clock.advance(days=5)
    first = services.pieces_awaited.receive(accueil, number, ("PHOTOS",))
    assert not first.complete and [p.code for p in first.still_awaited] == ["DOMICILE"]
    with pytest.raises(ValidationError, match="n'attend pas la pièce PHOTOS"):
        services.pieces_awaited.receive(accueil, number, ("PHOTOS",))
    done = services.pieces_awaited.receive(agent, number, ("DOMICILE",))
    assert done.complete and "complet" in done.message
    assert services.pieces_awaited.awaiting(agent) == []
    with services.ctx.db.read() as s:
        actions = [(e.action, e.after) for e in s.scalars(
            select(AuditEvent).where(AuditEvent.action == "dossier_pieces_received")
            .order_by(AuditEvent.id))]
    assert actions == [("dossier_pieces_received", {"pieces": ["PHOTOS"], "complete": False}),
                       ("dossier_pieces_received", {"pieces": ["DOMICILE"], "complete": True})]
    # The implicit decision now runs from the last piece: 01/12/2026 + 4 months.
    reprint = text_of(services.documents.attestation(agent, number, reprint=True).pdf)
    assert "Sans réponse de l'administration au 01/04/2027" in reprint
    with pytest.raises(ValidationError, match="n'attend aucune pièce"):
        services.pieces_awaited.receive(agent, number, ("DOMICILE",))


def test_the_overdue_come_first(services: Services, accueil: Actor, agent: Actor,
                                manager: Actor, admin: Actor, clock: FixedClock) -> None:
    services.office.admin.set_setting(admin, "pieces_due_days", 7)
    early = registered_with_pieces(services, accueil, agent, "Premier", time(9, 0))
    services.office.admin.set_setting(admin, "pieces_due_days", 30)
    later = registered_with_pieces(services, accueil, agent, "Second", time(9, 30))
    assert [d.number for d in services.pieces_awaited.awaiting(manager)] == [early, later]
    assert services.pieces_awaited.awaiting(manager, overdue_only=True) == []
    clock.advance(days=12)  # the first deadline passed 5 days ago, the second is to come
    rows = services.pieces_awaited.awaiting(manager)
    assert [(r.number, r.days_late) for r in rows] == [(early, 5), (later, 0)]
    assert [r.number for r in services.pieces_awaited.awaiting(manager, overdue_only=True)] == [
        early]


def test_an_ended_motif_takes_no_deposit_and_no_booking(services: Services, accueil: Actor,
                                                        agent: Actor, clock: FixedClock) -> None:
    clock.set(datetime(2026, 12, 31, 9, 30, tzinfo=PARIS))  # the last day it applies
    last = services.booking.create(accueil, NewAppointment(
        "Dernier", "Jour", date(2026, 12, 31), time(10, 0), "AES_METIERS_TENSION"))
    services.appointments.check_in(accueil, last.id, accept_timing=True)
    services.appointments.call(agent, last.id)
    services.appointments.start_service(agent, last.id)
    done = services.counter.register_deposit(
        agent, request(services, last.id, motif="AES_METIERS_TENSION"))
    assert done.dossier.number == "CANTAL-2026-000001"
    clock.set(datetime(2027, 1, 4, 9, 30, tzinfo=PARIS))
    day = date(2027, 1, 4)
    with pytest.raises(ValidationError, match="ne s'applique que jusqu'au 31/12/2026"):
        services.booking.create(accueil, NewAppointment(
            "Tard", "Test", day, time(10, 0), "AES_METIERS_TENSION"))
    view = services.booking.create(accueil, NewAppointment("Tard", "Test", day, time(10, 0),
                                                           "AES_SALARIE"))
    services.appointments.check_in(accueil, view.id, accept_timing=True)
    services.appointments.call(agent, view.id)
    services.appointments.start_service(agent, view.id)
    with pytest.raises(ValidationError, match="applicable jusqu'au 31/12/2026 seulement"):
        services.counter.register_deposit(
            agent, request(services, view.id, motif="AES_METIERS_TENSION"))
    with services.ctx.db.read() as s:
        assert s.scalar(select(func.count(Dossier.id))) == 1


def test_the_card_category_hides_the_motif_when_the_site_asks(
        services: Services, accueil: Actor, agent: Actor, admin: Actor) -> None:
    services.office.admin.set_setting(admin, "print_card_category", True)
    services.office.admin.set_setting(admin, "service_phone", "04 71 46 23 00")
    person = at_counter(services, accueil, agent, motif="APS_PARENT_ENFANT_MALADE")
    deposit = request(services, person, motif="APS_PARENT_ENFANT_MALADE")
    kit = services.catalogue.current().motif("APS_PARENT_ENFANT_MALADE").rules.handover
    deposit = DepositRequest(deposit.appointment_id, deposit.motif_code, deposit.request_kind,
                             deposit.situations, deposit.checks, deposit.timbres, kit)
    text = text_of(services.counter.register_deposit(agent, deposit).documents[0].pdf)
    assert "Autorisation provisoire de séjour" in text
    assert "malade" not in text and "L425-10" not in text
    assert "Remis par la préfecture" in text and "Kit médical OFII" in text
    assert "téléphone 04 71 46 23 00" in text


def test_a_malformed_contact_is_refused_in_french(services: Services, admin: Actor) -> None:
    with pytest.raises(ValidationError, match="Courriel du service : texte d'une ligne"):
        services.office.admin.set_setting(admin, "service_email", "pas une adresse")
    with pytest.raises(ValidationError, match="Téléphone du service"):
        services.office.admin.set_setting(admin, "service_phone", "=HYPERLINK(1)")


def test_booking_warns_of_a_birth_date_outside_the_window(services: Services,
                                                          accueil: Actor) -> None:
    late = NewAppointment("Tardif", "Test", TODAY, time(11, 0), "VPF_ENTRE_AVANT_13",
                          date(2000, 5, 1))
    result = services.desk.walk_in(accueil, late, check_in_now=True, print_convocation=False)
    assert result.message.endswith(
        "⚠ Vie privée et familiale – entré(e) en France avant l'âge de 13 ans : demande hors "
        "délai : né(e) le 01/05/2000, 26 ans, à déposer avant 19 ans.")
    fine = NewAppointment("Adulte", "Test", TODAY, time(11, 15), "VPF_ENTRE_AVANT_13",
                          date(2008, 1, 15))
    assert "⚠" not in services.desk.walk_in(accueil, fine, check_in_now=True,
                                            print_convocation=False).message


def test_the_recepisse_is_due_once_the_dossier_is_complete(
        services: Services, accueil: Actor, agent: Actor, clock: FixedClock) -> None:
    """R431-12: a récépissé for a complete dossier; pieces awaited, nothing is due yet."""
    number = registered_with_pieces(services, accueil, agent, "Recu")
    with services.ctx.db.read() as s:
        assert s.scalar(select(Dossier.recepisse_due_on).where(Dossier.number == number)) is None
    clock.advance(days=10)
    services.pieces_awaited.receive(agent, number, tuple(sorted(LATER)))
    with services.ctx.db.read() as s:
        due = s.scalar(select(Dossier.recepisse_due_on).where(Dossier.number == number))
    assert due == TODAY + timedelta(days=10 + 120)
