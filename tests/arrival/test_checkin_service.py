"""The arrival desk's service: every kind of scan gets the right colour and French sentence."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from rdv_desktop.models.db import Database
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.core.clock import FixedClock
from rdv_desktop.services.core.context import ServiceContext
from rdv_desktop.services.counter.appointment_views import AppointmentView
from rdv_desktop.services.desk.checkin import CheckInService
from rdv_desktop.services.setup import Services
from rdv_desktop.services.signing.signed_code import sign_code
from rdv_desktop.services.signing.signer import generate_site_key, load_signer
from tests.arrival.conftest import TODAY, Book, arrivals, audit_count
from tests.signing.test_scan_input import azerty_mangle, azerty_mangle_with_capslock, capslock

Code = Callable[[AppointmentView], str]


def test_signed_code_checks_in_with_ticket(services: Services, accueil: Actor, book: Book,
                                           code_of: Code) -> None:
    view = book()
    result = services.checkin.scan(accueil, code_of(view) + "\n")
    assert result.kind == "green" and result.reason == "checked_in"
    assert result.headline == "Arrivée enregistrée" and result.ticket == "A001"
    assert result.details[0] == "DIALLO Aïssatou"
    assert "Rendez-vous à 10:00" in result.details
    assert result.view is not None and result.view.arrival_station == "TEST-1"
    assert audit_count(services, "checkin") == 1


def test_booking_reference_as_typed_or_scanned(services: Services, accueil: Actor,
                                               book: Book) -> None:
    first, second = book(), book("Nguyễn", "Thị Ánh", hour=time(10, 15))
    assert services.checkin.scan(accueil, f"  {first.reference.lower()} ").kind == "green"
    green = services.checkin.scan(accueil, azerty_mangle(second.reference))
    assert green.kind == "green" and green.ticket == "A002"


@pytest.mark.parametrize("mangle", [
    azerty_mangle, capslock, lambda t: azerty_mangle_with_capslock(t, "windows"),
    lambda t: azerty_mangle_with_capslock(t, "linux"),
], ids=["azerty", "capslock", "azerty-capslock-windows", "azerty-capslock-linux"])
def test_keyboard_mangled_codes_check_in(services: Services, accueil: Actor, book: Book,
                                         code_of: Code, mangle) -> None:
    view = book()
    typed = mangle(code_of(view))
    assert typed != code_of(view)
    result = services.checkin.scan(accueil, typed)
    assert (result.kind, result.view.id if result.view else None) == ("green", view.id)


def test_early_and_late_are_orange_until_accepted(services: Services, accueil: Actor,
                                                  book: Book, code_of: Code) -> None:
    early, late = book(hour=time(11, 30)), book("Petrov", "Ivan", hour=time(9, 20))
    orange = services.checkin.scan(accueil, code_of(early))
    assert (orange.kind, orange.reason, orange.minutes) == ("orange", "early", 90)
    assert orange.headline == "En avance de 1 h 30"
    assert arrivals(services) == 0
    accepted = services.checkin.check_in_id(accueil, early.id, accept_timing=True)
    assert accepted.kind == "green" and accepted.ticket == "A001"
    behind = services.checkin.scan(accueil, late.reference)
    assert (behind.kind, behind.reason, behind.headline) == ("orange", "late",
                                                            "En retard de 40 min")
    assert services.checkin.scan(accueil, late.reference, accept_timing=True).kind == "green"


def test_second_scan_says_when_and_where(services: Services, accueil: Actor, book: Book,
                                         code_of: Code, clock: FixedClock) -> None:
    view = book()
    services.checkin.scan(accueil, code_of(view))
    clock.advance(minutes=3)
    again = services.checkin.scan(accueil, view.reference)
    assert (again.kind, again.reason, again.headline) == ("red", "already", "Déjà enregistré")
    assert again.details == ("DIALLO Aïssatou",
                             "Arrivée enregistrée à 10:00 au poste TEST-1, ticket A001.")
    assert audit_count(services, "checkin") == 1


def _forge(code: str) -> str:
    body, signature = code.rsplit(":", 1)
    flipped = "B" if signature[10] != "B" else "C"
    return f"{body}:{signature[:10]}{flipped}{signature[11:]}"


def test_bad_codes_are_red_and_change_nothing(services: Services, accueil: Actor, book: Book,
                                              code_of: Code, tmp_path: Path, admin: Actor,
                                              clock: FixedClock) -> None:
    view = book()
    cancelled = book("Okafor", "Chidi", hour=time(10, 30))
    services.appointments.cancel(accueil, cancelled.id, "annulé par téléphone")
    tomorrow = book("Silva", "Ana", day=TODAY + timedelta(days=1))
    code = code_of(view)
    other_dir = tmp_path / "other-keys"
    info = generate_site_key(other_dir, "HERAULT")
    services.keys.publish(info, admin)
    herault = sign_code("C", "HERAULT", view.reference, clock.now(), load_signer(other_dir))
    stranger = sign_code("C", "CANTAL", view.reference, clock.now(),
                         load_signer(generate_site_key(tmp_path / "k3", "CANTAL") and
                                     tmp_path / "k3"))
    attestation = code.replace("RDV1:C:", "RDV1:A:", 1)
    before = audit_count(services)
    cases = {
        "": ("empty", "Aucun code lu"),
        "   \n": ("empty", "Aucun code lu"),
        "x7#@!ü\x00\u202e": ("unknown", "Code inconnu"),
        "RDV-000000-NOPE": ("unknown", "Code inconnu"),
        code[:60]: ("truncated", "Code incomplet ou abîmé"),
        _forge(code): ("forged", "Code falsifié"),
        herault: ("other_site", "Convocation d'un autre site"),
        stranger: ("unknown_key", "Code non vérifiable"),
        # The desk reads attestations too (a holder collecting the récépissé): a convocation
        # whose kind letter was changed is a broken signature, not another kind of code.
        attestation: ("forged", "Code falsifié"),
        code_of(cancelled): ("cancelled", "Rendez-vous annulé"),
        code_of(tomorrow): ("other_day", "Rendez-vous d'un autre jour"),
        "Z" * 5000: ("unknown", "Code inconnu"),
    }
    for raw, (reason, headline) in cases.items():
        result = services.checkin.scan(accueil, raw)
        assert (result.kind, result.reason, result.headline) == ("red", reason, headline), raw
        assert result.details and all(d.strip() for d in result.details)
    assert audit_count(services) == before
    assert arrivals(services) == 0


def test_an_attestation_of_an_unknown_dossier_queues_nobody(services: Services,
                                                             accueil: Actor,
                                                             clock: FixedClock) -> None:
    """An attestation queues its holder for the récépissé (tests/recepisse); one whose dossier
    the database does not hold is refused, and nobody is queued."""
    signer = services.keys.signer(create_if_missing=True)
    attestation = sign_code("A", "CANTAL", "CANTAL-2026-000001", clock.now(), signer)
    result = services.checkin.scan(accueil, attestation)
    assert (result.kind, result.reason) == ("red", "unknown_number")
    assert result.headline == "Attestation non conforme"
    assert "CANTAL-2026-000001" in result.details[0]
    assert arrivals(services) == 0


def test_unreachable_database_is_red_and_says_nothing_was_saved(
        clock: FixedClock, tmp_path: Path, accueil: Actor) -> None:
    down = Database("postgresql+psycopg://rdv@127.0.0.1:1/rdv")
    ctx = ServiceContext.create(down, "CANTAL", clock, "TEST-1", tmp_path / "k", tmp_path / "p")
    checkin = Services.build(ctx).checkin
    assert isinstance(checkin, CheckInService)
    for raw in ("RDV-261126-ABCDEF", "RDV1:C:AAAAAAAA:CANTAL:X:202611261000:" + "A" * 103):
        result = checkin.scan(accueil, raw)
        assert (result.kind, result.reason) == ("red", "db_down")
        assert result.headline == "Base de données injoignable : rien n'a été enregistré"
    down.dispose()


def test_a_counter_agent_without_checkin_right_is_refused(services: Services, book: Book,
                                                          admin: Actor) -> None:
    from tests.conftest import make_actor

    view = book()
    boss = make_actor(services, "itadmin", {"admin"})
    result = services.checkin.scan(boss, view.reference)
    assert (result.kind, result.reason) == ("red", "denied")
    assert arrivals(services) == 0


def test_search_by_name_birth_date_or_reference(services: Services, accueil: Actor,
                                                book: Book) -> None:
    celik = book("Çelik", "Zeynep", birth=date(1988, 2, 29))
    book("Diallo", "Mamadou", hour=time(10, 15))
    later = book("Çelik", "Ahmet", day=TODAY + timedelta(days=7))
    search = services.checkin.search
    assert [v.id for v in search(accueil, "celik", TODAY)] == [celik.id]
    assert [v.id for v in search(accueil, "zeynep 29/02/1988", TODAY)] == [celik.id]
    assert [v.id for v in search(accueil, "29/02/1988", TODAY)] == [celik.id]
    assert len(search(accueil, "DIALLO", TODAY)) == 1
    assert [v.id for v in search(accueil, later.reference.lower(), TODAY)] == [later.id]
    assert search(accueil, "   ", TODAY) == []
    with pytest.raises(Exception, match="Date de naissance impossible"):
        search(accueil, "31/02/1990", TODAY)


def test_ticket_slip_is_small_and_audited(services: Services, accueil: Actor, book: Book,
                                          code_of: Code) -> None:
    view = book()
    with pytest.raises(Exception, match="Pas encore de ticket"):
        services.checkin.ticket(accueil, view.id)
    services.checkin.scan(accueil, code_of(view))
    doc = services.checkin.ticket(accueil, view.id)
    assert doc.title == "Ticket A001"
    import io

    page = PdfReader(io.BytesIO(doc.pdf)).pages[0]
    assert round(float(page.mediabox.width) / 72 * 25.4) == 80
    text = page.extract_text()
    assert "A001" in text and "Veuillez patienter" in text and "DIALLO" not in text
    assert audit_count(services, "ticket_printed") == 1


def test_demo_can_be_kept_in_a_folder(tmp_path: Path) -> None:
    """`rdv-desktop --demo-dir DIR` keeps the demo database there (to prepare codes first)."""
    from rdv_desktop.app import demo_config, parse_args
    from rdv_desktop.config import load_config

    args = parse_args(["--demo-dir", str(tmp_path)])
    config = demo_config(load_config(None, "ACCUEIL-1"), args.demo_dir)
    assert config.db_url == f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    assert config.key_dir == tmp_path / "keys"
