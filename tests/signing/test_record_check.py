"""A valid signature is not enough: codes forged with the real site key are refused.

The site key is a file on every station; someone who copies it can sign any text. Each forged
code below carries a perfectly valid signature by a published key of the site, and each is
refused — by the service, by `rdv-admin verify`, by the « Vérifier une attestation » dialog
and by the arrival desk — with its own French reason and an audit row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from rdv_desktop.cli import main
from rdv_desktop.models import AuditEvent
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.core.clock import PARIS, FixedClock
from rdv_desktop.services.counter.booking import NewAppointment
from rdv_desktop.services.setup import Services
from rdv_desktop.services.signing.signed_code import sign_code
from rdv_desktop.services.signing.signer import Signer
from rdv_desktop.services.signing.verifier import VerificationStatus as S
from tests.flows import TODAY, at_counter, deposit


@dataclass(frozen=True)
class Forged:
    name: str
    code: str
    status: S
    reason: str | None  # the machine-readable refusal audited
    says: str  # a piece of the French sentence


def refusals(services: Services, action: str) -> list[AuditEvent]:
    with services.ctx.db.read() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action)
                              .order_by(AuditEvent.id)))


def sign(signer: Signer, kind: str, reference: str, when: datetime) -> str:
    return sign_code(kind, "CANTAL", reference, when, signer)


@pytest.fixture
def forged(services: Services, accueil: Actor, agent: Actor, admin: Actor,
           clock: FixedClock) -> Battery:
    """A real deposit, then every kind of validly signed forgery; the last is the genuine code,
    once its key is declared compromised (see `in_order`)."""
    first = services.keys.signer(create_if_missing=True)
    dossier = deposit(services, agent, at_counter(services, accueil, agent))
    other = deposit(services, agent, at_counter(services, accueil, agent, name="Haddad",
                                                  given="Rania", hour=time(10, 30)))
    assert dossier.number and dossier.qr_payload and other.number
    genuine = dossier.qr_payload
    reference = services.appointments.get(dossier.appointment_id).reference
    services.dossiers.revoke(admin, other.number, "erreur de saisie")
    services.keys.generate(admin)  # rotation: the first key retires at 10:00
    clock.advance(minutes=30)
    key = services.keys.signer()  # the site's active key signs every forgery below
    at = dossier.deposited_at
    cases = [
        Forged("unknown number", sign(key, "A", "CANTAL-2026-999999", at), S.NO_RECORD,
               "unknown_number", "aucun dossier CANTAL-2026-999999 n'est enregistré"),
        Forged("wrong date", sign(key, "A", dossier.number, at - timedelta(days=1)),
               S.NO_RECORD, "wrong_date", "a été déposé le 26/11/2026 à 10:00, pas le "
                                          "25/11/2026 à 10:00"),
        Forged("future year", sign(key, "A", "CANTAL-2031-000001",
                                   datetime(2031, 1, 6, 9, 0, tzinfo=PARIS)),
               S.NO_RECORD, "future", "dans le futur"),
        Forged("year of the number", sign(key, "A", "CANTAL-2031-000001", at),
               S.NO_RECORD, "wrong_year", "le numéro CANTAL-2031-000001 est de 2031"),
        Forged("reference in place of a number", sign(key, "A", reference, at),
               S.NO_RECORD, "not_a_number", f"« {reference} » n'est pas un numéro de dossier"),
        Forged("wrong kind", sign(key, "C", dossier.number, at), S.NOT_OURS, None,
               "Ce code est un code de convocation, pas une attestation"),
        Forged("revoked dossier", other.qr_payload or "", S.REVOKED, "revoked",
               "Attestation révoquée"),
        Forged("the dossier's number, signed by another key than its own",
               sign(key, "A", dossier.number, at), S.NO_RECORD, "other_code",
               "ce n'est pas le code émis pour le dossier"),
        Forged("retired key after retirement",
               sign(first, "A", "CANTAL-2026-000003", clock.now()), S.RETIRED_KEY,
               "retired_key", f"Clé de signature {first.key_id} retirée le 26/11/2026"),
    ]
    cases.append(Forged("compromised key", genuine, S.COMPROMISED_KEY, "compromised_key",
                        f"Clé de signature {first.key_id} compromise"))

    def compromise() -> None:
        report = services.keys.compromised(admin, first.key_id)
        assert report.dossiers == ((dossier.number, dossier.deposited_at),)  # to re-issue

    return cases, compromise


Battery = tuple[list[Forged], Callable[[], None]]


def in_order(battery: Battery) -> Iterator[Forged]:
    """The forgeries in order; the first key is declared compromised just before the last."""
    cases, compromise = battery
    for case in cases:
        if case.status is S.COMPROMISED_KEY:
            compromise()
        yield case


def test_the_genuine_code_shows_its_holder(services: Services, accueil: Actor, agent: Actor,
                                           admin: Actor) -> None:
    services.keys.signer(create_if_missing=True)
    dossier = deposit(services, agent, at_counter(services, accueil, agent))
    result = services.keys.check(admin, dossier.qr_payload or "")
    assert result.ok and result.record_checked
    assert result.message.startswith(f"Attestation authentique : dossier {dossier.number}")
    assert result.details == (
        "Titulaire : \u2068NGUYỄN Thị Ánh\u2069", "Date de naissance : 14/03/1991",
        f"Motif : {dossier.motif_label}", "Déposé le 26/11/2026 à 10:00",
        "Comparez avec le document présenté.")
    assert refusals(services, "verification_refused") == []


def test_forgeries_are_refused_with_their_reason_and_audited(
        services: Services, admin: Actor, forged: Battery) -> None:
    cases = forged[0]
    for case in in_order(forged):
        result = services.keys.check(admin, case.code)
        assert result.status is case.status, (case.name, result.message)
        assert case.says in result.message, (case.name, result.message)
        assert not result.ok
        assert result.holder is None or case.status is S.REVOKED  # a revoked one is shown
    rows = refusals(services, "verification_refused")
    assert [(r.after or {}).get("status") for r in rows] == [c.status.value for c in cases]
    assert [(r.after or {}).get("reason") for r in rows] == [c.reason for c in cases]
    assert all(r.user_login == "system" and "RDV1" not in str(r.after) for r in rows)
    assert len({c.says for c in cases}) == len(cases)  # each its own sentence


def test_rdv_admin_verify_refuses_every_forgery(services: Services, db_url: str, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                forged: Battery,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    cases = forged[0]
    monkeypatch.setenv("RDV_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.delenv("RDV_DB_URL", raising=False)
    before = len(refusals(services, "verification_refused"))
    capsys.readouterr()
    for case in in_order(forged):
        assert main(["--db", db_url, "--station", "CLI", "verify", case.code]) == 1, case.name
        out = capsys.readouterr().out
        assert case.says in out, (case.name, out)
    rows = refusals(services, "verification_refused")[before:]
    assert [r.station for r in rows] == ["CLI"] * len(cases)
    assert [(r.after or {}).get("reason") for r in rows] == [c.reason for c in cases]


def test_offline_verification_says_only_the_signature_was_checked(
        services: Services, accueil: Actor, agent: Actor, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    services.keys.signer(create_if_missing=True)
    dossier = deposit(services, agent, at_counter(services, accueil, agent))
    bundle = tmp_path / "cles.pem"
    bundle.write_text(services.keys.public_keys_pem(), encoding="utf-8")
    forged = sign(services.keys.signer(), "A", "CANTAL-2026-999999", dossier.deposited_at)
    for code in (dossier.qr_payload or "", forged):  # offline, the two cannot be told apart
        capsys.readouterr()
        assert main(["verify", "--keys", str(bundle), code]) == 0
        out = capsys.readouterr().out
        assert out.startswith("Signature valide, dossier non vérifié — Attestation authentique")
        assert "Seule la signature a été vérifiée" in out


def test_the_dialog_shows_each_reason_in_red(qtbot, services: Services, admin: Actor,
                                             forged: Battery) -> None:
    from PySide6.QtWidgets import QLabel, QLineEdit

    from rdv_desktop.ui.verify_dialog import RED, VerifyDialog

    cases = forged[0]
    dialog = VerifyDialog(lambda raw: services.keys.check(admin, raw))
    qtbot.addWidget(dialog)
    dialog.open()
    field = dialog.findChild(QLineEdit)
    verdict = next(w for w in dialog.findChildren(QLabel)
                   if w.accessibleName() == "Résultat de la vérification")
    before = len(refusals(services, "verification_refused"))
    for case in in_order(forged):
        field.setText(case.code)
        with qtbot.waitSignal(dialog.verified, timeout=10_000):
            field.returnPressed.emit()
        assert case.says in verdict.text(), (case.name, verdict.text())
        assert RED in verdict.styleSheet(), case.name
    assert len(refusals(services, "verification_refused")) - before == len(cases)


# -- the arrival desk: convocations -----------------------------------------------------------


def book(services: Services, accueil: Actor, name: str, hour: time = time(10, 0),
         day: date = TODAY) -> tuple[int, str]:
    view = services.booking.create(accueil, NewAppointment(
        name, "Amina", day, hour, "AES_SALARIE", date(1988, 2, 3), "Tunis", "tunisienne"))
    return view.id, view.reference


def test_the_desk_refuses_validly_signed_convocations_that_match_no_appointment(
        services: Services, accueil: Actor, agent: Actor, admin: Actor,
        clock: FixedClock) -> None:
    first = services.keys.signer(create_if_missing=True)
    slot = datetime.combine(TODAY, time(10, 0), PARIS)
    _, reference = book(services, accueil, "Ben Salah")
    cancelled_id, cancelled = book(services, accueil, "Cancel", time(11, 0))
    services.appointments.cancel(accueil, cancelled_id, "annulé par téléphone")
    dossier = deposit(services, agent, at_counter(services, accueil, agent, hour=time(9, 30)))
    cases = [
        ("unknown reference", sign(first, "C", "RDV-INCONNU", slot), "not_found"),
        ("wrong date", sign(first, "C", reference, slot + timedelta(days=1)), "wrong_date"),
        ("future year", sign(first, "C", reference, slot.replace(year=2031)), "wrong_date"),
        # The desk reads attestations too (récépissé visits): an attestation code carrying a
        # booking reference is an attestation whose number is no dossier number.
        ("wrong kind", sign(first, "A", reference, slot), "not_a_number"),
        ("dossier number in place of a reference",
         sign(first, "C", dossier.number or "", slot), "dossier_number"),
        ("cancelled appointment",
         sign(first, "C", cancelled, slot + timedelta(hours=1)), "cancelled"),
    ]
    clock.advance(minutes=1)
    services.keys.generate(admin)  # rotation: the first key retires at 10:01
    clock.advance(minutes=5)
    _, late = book(services, accueil, "Après", time(11, 30))
    genuine_old = sign(first, "C", reference, slot)  # signed before retirement: still valid
    cases.append(("retired key, appointment made after retirement",
                  sign(first, "C", late, slot + timedelta(minutes=90)), "retired_key"))
    second = services.keys.signer()
    _, third = book(services, accueil, "Compromis", time(12, 0))
    code_third = sign(second, "C", third, slot + timedelta(hours=2))
    services.keys.compromised(admin, second.key_id)
    cases.append(("compromised key", code_third, "compromised_key"))
    answers = []
    for name, code, reason in cases:
        answer = services.checkin.scan(accueil, code, accept_timing=True)
        assert answer.kind == "red" and answer.reason == reason, (name, answer)
        answers.append(" ".join((answer.headline, *answer.details)))
    assert len(set(answers)) == len(cases)  # each its own French sentence
    audited = [(r.after or {}).get("reason") for r in refusals(services, "scan_refused")]
    assert audited == [reason for _, _, reason in cases]
    assert services.checkin.scan(accueil, genuine_old, accept_timing=True).kind == "green"


def test_the_dialog_shows_the_holder_and_says_when_only_the_signature_was_checked(
        qtbot, services: Services, accueil: Actor, agent: Actor) -> None:
    """Green with the holder to compare; with the database gone, orange and said plainly."""
    import dataclasses

    from PySide6.QtWidgets import QLabel, QLineEdit

    from rdv_desktop.models.db import Database
    from rdv_desktop.services.signing.keys import KeyService
    from rdv_desktop.ui.verify_dialog import GREEN, ORANGE, VerifyDialog

    services.keys.signer(create_if_missing=True)
    dossier = deposit(services, agent, at_counter(services, accueil, agent))
    keys = KeyService(services.ctx)
    dialog = VerifyDialog(keys.verify)
    qtbot.addWidget(dialog)
    dialog.open()
    field = dialog.findChild(QLineEdit)
    labels = {w.accessibleName(): w for w in dialog.findChildren(QLabel)}
    verdict, holder = labels["Résultat de la vérification"], labels["Titulaire selon le dossier"]

    def check(code: str) -> None:
        field.setText(code)
        with qtbot.waitSignal(dialog.verified, timeout=10_000):
            field.returnPressed.emit()

    check(dossier.qr_payload or "")
    assert GREEN in verdict.styleSheet() and verdict.text().startswith("Attestation authentique")
    assert holder.text().splitlines()[:2] == ["Titulaire : \u2068NGUYỄN Thị Ánh\u2069",
                                              "Date de naissance : 14/03/1991"]
    gone = Database("postgresql+psycopg://postgres@127.0.0.1:1/absente")
    keys.ctx = dataclasses.replace(services.ctx, db=gone)  # the station lost its database
    check(dossier.qr_payload or "")
    assert ORANGE in verdict.styleSheet()
    assert verdict.text().startswith("Signature valide, dossier non vérifié")
    assert holder.text().startswith("Seule la signature a été vérifiée")
    gone.dispose()
