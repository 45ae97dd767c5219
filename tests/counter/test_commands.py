"""The guichet's commands: one act, one transaction; one current person per counter.

Every refusal and every failure injected in the middle of an act (a refused date, a renderer that
raises) must leave the database exactly as it was: same rows, same audit trail, no number used.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from rdv_desktop.errors import InvalidTransition, ValidationError
from rdv_desktop.models import Appointment, AuditEvent, Dossier
from rdv_desktop.services.catalogue.rules import request_flags
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.core.clock import PARIS, FixedClock
from rdv_desktop.services.counter import CommandResult, PendingOutcome
from rdv_desktop.services.counter.booking import NewAppointment
from rdv_desktop.services.counter.dossiers import DepositRequest, TimbreEntry
from rdv_desktop.services.counter.piece_checks import PieceCheck, checklist
from rdv_desktop.services.setup import Services
from tests.conftest import make_actor
from tests.flows import TODAY, at_counter

SITUATIONS = frozenset({"entree_irreguliere"})


def footprint(services: Services) -> tuple[object, ...]:
    """Everything an act could leave behind: rows, states, the audit trail, numbers."""
    with services.ctx.db.read() as s:
        states = s.execute(select(Appointment.id, Appointment.outcome, Appointment.called_at,
                                  Appointment.counter_id, Appointment.service_started_at,
                                  Appointment.motif_code).order_by(Appointment.id)).all()
        return (tuple(states), s.scalar(select(func.count(Dossier.id))),
                s.scalar(select(func.max(AuditEvent.id))))


def request_for(services: Services, appointment_id: int, missing: frozenset[str] = frozenset(),
                motif: str = "AES_SALARIE") -> DepositRequest:
    info = services.catalogue.current().motif(motif)
    checks = tuple(PieceCheck(line.piece.code, "missing" if line.piece.code in missing
                              else "received" if line.applies else "not_applicable")
                   for line in checklist(info, request_flags(SITUATIONS, "Première demande")))
    timbres = () if missing else (TimbreEntry("1234567890123456", 10000),)
    return DepositRequest(appointment_id, motif, "Première demande", SITUATIONS, checks, timbres)


def arrive(services: Services, accueil: Actor, name: str, hour: time = time(10, 0)) -> int:
    view = services.booking.create(accueil, NewAppointment(name, "Test", TODAY, hour,
                                                           "AES_SALARIE"))
    services.appointments.check_in(accueil, view.id, accept_timing=True)
    return view.id


def rebooked_incomplete(services: Services, accueil: Actor, agent: Actor, when: datetime
                        ) -> tuple[int, CommandResult]:
    """A person at guichet 1 whose dossier is registered incomplete with a new appointment."""
    person = at_counter(services, accueil, agent)
    request = request_for(services, person, frozenset({first_missing_code(services)}))
    return person, services.counter.register_incomplete(agent, request, when)


def first_missing_code(services: Services) -> str:
    info = services.catalogue.current().motif("AES_SALARIE")
    return next(line.piece.code for line in checklist(info, SITUATIONS) if line.blocking)


# -- one current person per counter ----------------------------------------------------------

def test_a_counter_holds_one_person(services: Services, accueil: Actor, agent: Actor) -> None:
    first = arrive(services, accueil, "Premier", time(9, 50))
    second = arrive(services, accueil, "Second")
    called = services.counter.call_next(agent)
    assert called.view is not None and called.view.id == first
    before = footprint(services)
    with pytest.raises(InvalidTransition, match=r"Guichet 1 : A001 est déjà appelé par Agent1"):
        services.counter.call_next(agent)
    with pytest.raises(InvalidTransition, match=r"Guichet 1 : A001 est déjà appelé"):
        services.counter.call_person(agent, second)
    assert footprint(services) == before
    assert services.counter.current(agent).id == first
    received = services.counter.receive(agent)
    assert received.view.id == first and received.view.service_started_at is not None
    with pytest.raises(InvalidTransition, match=r"est au guichet \(reçu par Agent1\) — terminez"):
        services.counter.call_next(agent)
    with pytest.raises(InvalidTransition, match="terminez son dossier"):
        services.counter.send_back(agent)


def test_recall_and_send_back_act_on_the_current_person(services: Services, accueil: Actor,
                                                        agent: Actor) -> None:
    first = arrive(services, accueil, "Premier", time(9, 50))
    second = arrive(services, accueil, "Second")
    with pytest.raises(InvalidTransition, match="Personne n'est appelé au guichet 1"):
        services.counter.recall(agent)
    services.counter.call_next(agent)
    assert services.counter.recall(agent).view.id == first
    assert services.counter.send_back(agent).view.called_at is None
    assert services.counter.current(agent) is None
    assert services.counter.call_person(agent, second).view.id == second


def test_two_counters_never_share_a_person(services: Services, accueil: Actor, agent: Actor,
                                           manager: Actor) -> None:
    person = arrive(services, accueil, "Seul")
    services.counter.call_person(agent, person)
    before = footprint(services)
    with pytest.raises(InvalidTransition, match="déjà appelée au guichet 1 par Agent1"):
        services.counter.call_person(manager, person)
    assert footprint(services) == before


def test_outcomes_apply_to_the_counter_person_only(services: Services, accueil: Actor,
                                                   agent: Actor, manager: Actor) -> None:
    mine = at_counter(services, accueil, agent, name="Mien")
    theirs = at_counter(services, accueil, manager, name="Autre", hour=time(10, 15))
    before = footprint(services)
    with pytest.raises(InvalidTransition, match="n'est pas au guichet 1"):
        services.counter.register_deposit(agent, request_for(services, theirs))
    assert footprint(services) == before
    result = services.counter.register_deposit(agent, request_for(services, mine))
    assert result.dossier is not None and result.dossier.number == "CANTAL-2026-000001"
    assert [d.title for d in result.documents] == ["Attestation de dépôt CANTAL-2026-000001"]
    assert result.documents[0].pdf.startswith(b"%PDF")
    assert services.counter.current(agent) is None


def test_undo_cannot_put_a_second_person_on_a_counter(services: Services, accueil: Actor,
                                                      agent: Actor) -> None:
    first = arrive(services, accueil, "Premier", time(9, 50))
    other = arrive(services, accueil, "Second")
    assert services.counter.call_next(agent).view.id == first
    services.counter.send_back(agent)
    # Undoing the send-back would put Premier back at guichet 1, which now calls Second.
    services.counter.call_person(agent, other)
    before = footprint(services)
    with pytest.raises(InvalidTransition, match="Guichet 1 :"):
        services.counter.undo(agent, first, "erreur de manipulation")
    assert footprint(services) == before


# -- whole acts or nothing -------------------------------------------------------------------

def test_incomplete_with_a_refused_date_writes_nothing(services: Services, accueil: Actor,
                                                       agent: Actor) -> None:
    person = at_counter(services, accueil, agent)
    request = request_for(services, person, frozenset({first_missing_code(services)}))
    before = footprint(services)
    yesterday = datetime(2026, 11, 25, 9, 0)
    with pytest.raises(ValidationError, match="n'est pas postérieur à aujourd'hui"):
        services.counter.register_incomplete(agent, request, yesterday)
    with pytest.raises(ValidationError, match="week-end"):
        services.counter.register_incomplete(agent, request, datetime(2026, 11, 28, 9, 0))
    assert footprint(services) == before
    result = services.counter.register_incomplete(agent, request, datetime(2026, 12, 10, 9, 0))
    assert len(result.views) == 2
    assert result.views[1].slot_date.isoformat() == "2026-12-10"
    assert [d.title.split(" ")[0] for d in result.documents] == ["Pièces", "Convocation"]
    # The print queue is seen by anyone near the printer: kind and reference, no name.
    assert result.documents[0].print_name == f"Pièces manquantes {result.views[0].reference}"
    assert all("Nguyễn" not in d.print_name for d in result.documents)


@pytest.mark.parametrize("renderer", [
    "rdv_desktop.printing.missing_pieces.render_missing_pieces",
    "rdv_desktop.printing.convocation.render_convocation",
])
def test_a_render_failure_undoes_the_incomplete_act(services: Services, accueil: Actor,
                                                    agent: Actor, renderer: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    person = at_counter(services, accueil, agent)
    request = request_for(services, person, frozenset({first_missing_code(services)}))
    before = footprint(services)

    def broken(*_args: object, **_kwargs: object) -> bytes:
        raise RuntimeError("imprimante en panne (injectée)")

    monkeypatch.setattr(renderer, broken)
    with pytest.raises(RuntimeError):
        services.counter.register_incomplete(agent, request, datetime(2026, 12, 10, 9, 0))
    assert footprint(services) == before
    monkeypatch.undo()
    assert services.counter.register_incomplete(agent, request, datetime(2026, 12, 10, 9, 0))


def test_a_render_failure_undoes_the_deposit_and_keeps_numbers_gapless(
        services: Services, accueil: Actor, agent: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    person = at_counter(services, accueil, agent)
    before = footprint(services)

    def broken(*_args: object, **_kwargs: object) -> bytes:
        raise RuntimeError("rendu impossible (injecté)")

    monkeypatch.setattr("rdv_desktop.printing.attestation.render_attestation", broken)
    with pytest.raises(RuntimeError):
        services.counter.register_deposit(agent, request_for(services, person))
    assert footprint(services) == before
    monkeypatch.undo()
    done = services.counter.register_deposit(agent, request_for(services, person))
    assert done.dossier.number == "CANTAL-2026-000001"


def test_deposit_refuses_a_dossier_with_missing_pieces(services: Services, accueil: Actor,
                                                       agent: Actor) -> None:
    person = at_counter(services, accueil, agent)
    before = footprint(services)
    with pytest.raises(ValidationError, match="enregistrez un dossier incomplet"):
        services.counter.register_deposit(
            agent, request_for(services, person, frozenset({first_missing_code(services)})))
    with pytest.raises(ValidationError, match="enregistrez le dépôt"):
        services.counter.register_incomplete(agent, request_for(services, person))
    assert footprint(services) == before


def test_redirect_settles_the_motif_and_the_outcome_together(services: Services,
                                                              accueil: Actor,
                                                              agent: Actor) -> None:
    person = at_counter(services, accueil, agent)
    anef = next(m.code for m in services.catalogue.current().motifs if m.anef_redirect)
    before = footprint(services)
    with pytest.raises(ValidationError, match="ne relève pas de l'ANEF"):
        services.counter.redirect(agent, person, "AES_SALARIE")
    assert footprint(services) == before
    result = services.counter.redirect(agent, person, anef)
    assert result.view.outcome == "redirected" and result.view.motif_code == anef


def test_walk_in_is_created_and_checked_in_together(services: Services, accueil: Actor,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    new = NewAppointment("Sans", "Rendez-vous", TODAY, time(10, 0), None, source="walk_in")
    result = services.desk.walk_in(accueil, new, check_in_now=True, print_convocation=False)
    assert result.view.ticket == "A001" and result.view.arrived_at is not None
    later = NewAppointment("Plus", "Tard", TODAY + timedelta(days=5), time(9, 0), "RETRAITE")
    before = footprint(services)

    def broken(*_args: object, **_kwargs: object) -> bytes:
        raise RuntimeError("rendu impossible (injecté)")

    monkeypatch.setattr("rdv_desktop.printing.convocation.render_convocation", broken)
    with pytest.raises(RuntimeError):
        services.desk.walk_in(accueil, later, check_in_now=False, print_convocation=True)
    assert footprint(services) == before
    monkeypatch.undo()
    made = services.desk.walk_in(accueil, later, check_in_now=False, print_convocation=True)
    assert made.documents[0].title.startswith("Convocation")
    assert made.documents[0].kept_at is not None and made.documents[0].kept_at.exists()


# -- undo takes back what the act made --------------------------------------------------------

def test_undoing_an_incomplete_outcome_cancels_its_new_appointment(services: Services,
                                                                    accueil: Actor,
                                                                    agent: Actor) -> None:
    person, result = rebooked_incomplete(services, accueil, agent, datetime(2026, 12, 10, 9, 30))
    rebooked = result.views[1].id
    preview = services.counter.undo_preview(agent, person)
    assert preview.step_label == "le dossier incomplet"
    assert "La liste des pièces manquantes sera révoquée." in preview.takes_back
    assert "Le nouveau rendez-vous du 10/12/2026 à 09:30 sera annulé." in preview.takes_back
    undone = services.counter.undo(agent, person, "mauvaise pièce cochée")
    assert [v.id for v in undone.views] == [person, rebooked]
    assert undone.views[0].outcome == "pending" and undone.views[1].outcome == "cancelled"
    with services.ctx.db.read() as s:
        assert s.scalar(select(Dossier.revoked_at).where(Dossier.appointment_id == person))
        cancel = s.scalar(select(AuditEvent).where(AuditEvent.appointment_id == rebooked,
                                                   AuditEvent.action == "cancel"))
        assert "mauvaise pièce cochée" in cancel.reason


def test_undo_refuses_when_the_new_appointment_has_begun(services: Services, accueil: Actor,
                                                         agent: Actor, clock: FixedClock) -> None:
    person, result = rebooked_incomplete(services, accueil, agent, datetime(2026, 12, 10, 9, 30))
    clock.set(datetime(2026, 12, 10, 9, 25, tzinfo=PARIS))
    services.appointments.check_in(accueil, result.views[1].id)
    before = footprint(services)
    with pytest.raises(InvalidTransition, match="a déjà commencé"):
        services.counter.undo(agent, person, "erreur")
    assert footprint(services) == before


# -- an outcome nobody knew ------------------------------------------------------------------

def test_settle_tells_the_truth_about_a_lost_reply(services: Services, accueil: Actor,
                                                   agent: Actor) -> None:
    person = at_counter(services, accueil, agent)
    started = services.ctx.clock.now()
    pending = PendingOutcome(person, "deposit", started)
    nothing = services.counter.settle(agent, pending)
    assert "n'avait pas été pris en compte" in nothing.message and not nothing.documents
    services.counter.register_deposit(agent, request_for(services, person))
    found = services.counter.settle(agent, pending)
    assert "CANTAL-2026-000001" in found.message
    assert found.documents[0].title == "Attestation de dépôt CANTAL-2026-000001"


def test_another_agent_on_the_same_counter_sees_its_person(services: Services, accueil: Actor,
                                                           agent: Actor) -> None:
    colleague = make_actor(services, "agent9", {"agent"}, counter=1)
    person = arrive(services, accueil, "Partagé")
    services.counter.call_next(agent)
    assert services.counter.current(colleague).id == person
    with pytest.raises(InvalidTransition, match="est déjà appelé"):
        services.counter.call_next(colleague)


@pytest.mark.parametrize(("field", "value", "message", "accepted"), [
    ("family_name", "X" * 10_000, "Nom de famille : 200 caractères au plus", "Ñ" * 200),
    ("given_names", "Jean\x00Paul", "Prénoms : caractère de contrôle refusé", "Jean-Paul"),
    ("phone", "0" * 41, "Téléphone : 40 caractères au plus", "0" * 40),
])
def test_hostile_identity_is_refused_before_any_write(services: Services, accueil: Actor,
                                                      field: str, value: str, message: str,
                                                      accepted: str) -> None:
    from dataclasses import replace

    new = replace(NewAppointment("Ordinaire", "Nom", TODAY, time(10, 0), None,
                                 source="walk_in"), **{field: value})
    before = footprint(services)
    with pytest.raises(ValidationError, match=message):
        services.desk.walk_in(accueil, new, check_in_now=True, print_convocation=False)
    with pytest.raises(ValidationError, match=message):
        services.booking.create(accueil, new)
    assert footprint(services) == before
    # The longest (or the clean) value goes through, on both databases.
    made = services.desk.walk_in(accueil, replace(new, **{field: accepted}), check_in_now=True,
                                 print_convocation=False)
    assert getattr(made.view, field) == accepted


def test_reprint_gives_the_latest_paper_as_a_duplicata(services: Services, accueil: Actor,
                                                       agent: Actor) -> None:
    from rdv_desktop.errors import NotFound
    from rdv_desktop.services.papers import DocumentKind

    waiting = arrive(services, accueil, "Sans Dossier", time(9, 0))
    with pytest.raises(NotFound, match="Aucun document à réimprimer"):
        services.documents.reprint_latest(agent, waiting)
    person = at_counter(services, accueil, agent)
    number = services.counter.register_deposit(agent, request_for(services, person)).dossier.number
    doc = services.documents.reprint_latest(agent, person)
    assert doc.kind is DocumentKind.ATTESTATION and "duplicata" in doc.filename
    assert services.dossiers.get(number).reprint_count == 1
    _, result = rebooked_incomplete(services, accueil, agent, datetime(2026, 12, 10, 9, 0))
    assert services.documents.reprint_latest(agent, result.views[0].id).kind is (
        DocumentKind.MISSING_PIECES)


def test_checklist_setup_reads_the_catalogue_and_todays_fee(services: Services,
                                                           agent: Actor) -> None:
    setup = services.counter.checklist_setup(agent)
    assert setup.catalogue.motif("AES_SALARIE").label
    assert setup.fee_cents == services.catalogue.fee_on("DVR_DEPOT", TODAY)


def test_a_missing_pieces_list_says_how_to_come_back(services: Services, accueil: Actor,
                                                     agent: Actor) -> None:
    """With a new appointment: come to the one given; without: book again online."""
    import io

    from pypdf import PdfReader

    def text(result: CommandResult) -> str:
        pdf = next(d.pdf for d in result.documents if d.kind == "missing_pieces")
        pages = PdfReader(io.BytesIO(pdf)).pages
        return " ".join(" ".join(p.extract_text().split()) for p in pages)

    _person, rebooked = rebooked_incomplete(services, accueil, agent,
                                            datetime(2026, 12, 10, 9, 0))
    assert "rendez-vous indiqué ci-dessus" in text(rebooked)
    person = at_counter(services, accueil, agent, name="Sans-Date", hour=time(10, 30))
    request = request_for(services, person, frozenset({first_missing_code(services)}))
    alone = text(services.counter.register_incomplete(agent, request, None))
    assert "reprenez rendez-vous en ligne" in alone and "indiqué" not in alone
