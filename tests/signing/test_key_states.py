"""Key states: only an administrator's audited keygen rotates; a retired key leaves the station
and signs nothing more; a compromised key vouches for nothing and its papers are listed."""

from __future__ import annotations

import io
from datetime import date, time
from pathlib import Path

import pytest
from sqlalchemy import select

from rdv_desktop.cli import main
from rdv_desktop.errors import PermissionDenied
from rdv_desktop.models import AuditEvent, SigningKey
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.core.clock import FixedClock
from rdv_desktop.services.core.context import ServiceContext
from rdv_desktop.services.counter.booking import NewAppointment
from rdv_desktop.services.setup import Services
from rdv_desktop.services.signing.keys import SigningError
from rdv_desktop.services.signing.signer import list_keys
from rdv_desktop.services.signing.verifier import VerificationStatus as S
from tests.conftest import make_actor
from tests.flows import at_counter, deposit


def actions(services: Services, *names: str) -> list[tuple[str, str | None, str]]:
    with services.ctx.db.read() as s:
        return [(e.action, e.entity_id, e.user_login) for e in s.scalars(
            select(AuditEvent).where(AuditEvent.action.in_(names)).order_by(AuditEvent.id))]


def test_rotation_is_an_administrators_audited_act(services: Services, agent: Actor,
                                                   clock: FixedClock) -> None:
    old = services.keys.signer(create_if_missing=True)
    with pytest.raises(PermissionDenied):
        services.keys.generate(agent)
    admin = make_actor(services, "adminsite", {"admin"})
    clock.advance(minutes=1)
    new = services.keys.generate(admin)
    assert not (services.ctx.key_dir / f"{old.key_id}.pem").exists()  # left the station
    assert (services.ctx.key_dir / f"{new.key_id}.pem").exists()
    with services.ctx.db.read() as s:
        retired = s.scalar(select(SigningKey.retired_at).where(SigningKey.key_id == old.key_id))
    assert retired == clock.now()
    assert actions(services, "key_published", "key_retired", "key_rotated",
                   "permission_denied") == [
        ("key_published", old.key_id, "system"), ("permission_denied", "keys.manage", "agent1"),
        ("key_published", new.key_id, "adminsite"), ("key_retired", old.key_id, "adminsite"),
        ("key_rotated", new.key_id, "adminsite")]
    assert services.keys.signer().key_id == new.key_id


def test_another_station_drops_a_key_the_database_retired(services: Services, admin: Actor,
                                                          tmp_path: Path) -> None:
    """A station that still holds the old key file (copied before the rotation) never signs
    with it: the file leaves its key folder and it says a new key must be copied."""
    import shutil

    old = services.keys.signer(create_if_missing=True)
    copy = tmp_path / "other-station-keys"
    shutil.copytree(services.ctx.key_dir, copy)
    services.keys.generate(admin)
    other = Services.build(ServiceContext.create(services.ctx.db, "CANTAL", services.ctx.clock,
                                                 "GUICHET-2", copy))
    with pytest.raises(SigningError):
        other.keys.signer(create_if_missing=True)
    assert not (copy / f"{old.key_id}.pem").exists()
    assert [k.retired for k in list_keys(copy)] == [True]


def test_a_compromised_key_is_reported_with_what_to_reissue(
        services: Services, accueil: Actor, agent: Actor, admin: Actor) -> None:
    key = services.keys.signer(create_if_missing=True)
    dossiers = [deposit(services, agent, at_counter(services, accueil, agent, hour=hour))
                for hour in (time(9, 0), time(9, 30))]
    coming = services.booking.create(accueil, NewAppointment(
        "Okafor", "Chidi", date(2026, 11, 30), time(14, 0), "AES_SALARIE"))
    services.documents.convocation(accueil, coming.id)
    report = services.keys.compromised(admin, key.key_id.lower())
    assert [n for n, _ in report.dossiers] == [d.number for d in dossiers]
    assert report.convocations == ((coming.reference, coming.slot_date),)
    for dossier in dossiers:
        assert services.keys.verify(dossier.qr_payload or "").status is S.COMPROMISED_KEY
    assert not (services.ctx.key_dir / f"{key.key_id}.pem").exists()
    with pytest.raises(SigningError, match="plus de clé de signature active"):
        services.keys.signer(create_if_missing=True)  # no station makes a new key by itself
    [row] = actions(services, "key_compromised")
    assert row == ("key_compromised", key.key_id, "system")
    with pytest.raises(Exception, match="déjà déclarée compromise"):
        services.keys.compromised(admin, key.key_id)


# -- rdv-admin acts as a named administrator ---------------------------------------------------


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    conf = tmp_path / "config.toml"
    conf.write_text(f'[keys]\ndir = "{tmp_path / "keys"}"\n', encoding="utf-8")
    monkeypatch.setenv("RDV_CONFIG", str(conf))
    monkeypatch.delenv("RDV_DB_URL", raising=False)
    return ["--db", f"sqlite:///{tmp_path / 'rdv.sqlite3'}", "--station", "POSTE-ADMIN"]


def run(cli: list[str], monkeypatch: pytest.MonkeyPatch, stdin: str, *args: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main([*cli, *args])


def logins(cli: list[str], *names: str) -> list[tuple[str, str | None, str]]:
    import sqlite3

    conn = sqlite3.connect(cli[1].removeprefix("sqlite:///"))
    marks = ",".join("?" * len(names))
    found = conn.execute(f"SELECT action, entity_id, user_login FROM audit_event "
                         f"WHERE action IN ({marks}) ORDER BY id", names).fetchall()
    conn.close()
    return found


def test_write_commands_need_an_administrators_password(
        cli: list[str], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    # A new site: nobody to sign in as, so the first administrator is made by the station.
    assert run(cli, monkeypatch, "premier-admin-2026\n", "create-user", "alice",
               "--role", "admin", "--password-stdin") == 0
    # From now on a write command without a name, or with a wrong password, changes nothing.
    assert run(cli, monkeypatch, "", "keygen") == 2
    assert "au nom d'un administrateur" in capsys.readouterr().err
    assert run(cli, monkeypatch, "mauvais\n", "--admin", "alice", "--admin-password-stdin",
               "keygen") == 2
    assert "Identifiant ou mot de passe incorrect" in capsys.readouterr().err
    assert run(cli, monkeypatch, "premier-admin-2026\nun-agent-2026-ok\n", "--admin", "alice",
               "--admin-password-stdin", "create-user", "bob", "--role", "agent",
               "--password-stdin") == 0
    assert run(cli, monkeypatch, "un-agent-2026-ok\n", "--admin", "bob",
               "--admin-password-stdin", "keygen") == 2  # an agent is no administrator
    assert "Action non autorisée" in capsys.readouterr().err
    assert run(cli, monkeypatch, "premier-admin-2026\n", "--admin", "alice",
               "--admin-password-stdin", "keygen") == 0
    assert run(cli, monkeypatch, "", "public-key") == 0  # read-only: the station suffices
    assert logins(cli, "user_created", "key_generated", "key_published") == [
        ("user_created", "1", "system"), ("user_created", "2", "alice"),
        ("key_published", logins(cli, "key_generated")[0][1], "alice"),
        ("key_generated", logins(cli, "key_generated")[0][1], "alice")]
    assert [r[2] for r in logins(cli, "login", "login_failed")] == ["?", "alice", "bob",
                                                                   "alice"]


def test_reprinting_after_a_compromise_reissues_the_attestation(
        services: Services, accueil: Actor, agent: Actor, admin: Actor) -> None:
    key = services.keys.signer(create_if_missing=True)
    dossier = deposit(services, agent, at_counter(services, accueil, agent))
    old_code = dossier.qr_payload or ""
    services.keys.compromised(admin, key.key_id)
    with pytest.raises(SigningError, match="rdv-admin keygen"):  # no key: nothing signed
        services.documents.attestation(agent, dossier.number or "", reprint=True)
    new_key = services.keys.generate(admin)
    doc = services.documents.reprint_latest(agent, dossier.appointment_id)
    assert doc.pdf.startswith(b"%PDF")
    reissued = services.dossiers.get(dossier.number or "")
    assert reissued.qr_payload != old_code and f":{new_key.key_id}:" in (reissued.qr_payload
                                                                         or "")
    assert services.keys.verify(reissued.qr_payload or "").ok
    assert services.keys.verify(old_code).status is S.COMPROMISED_KEY
    assert actions(services, "attestation_reissued") == [
        ("attestation_reissued", dossier.number, "agent1")]
    services.documents.attestation(agent, dossier.number or "", reprint=True)  # once only
    assert len(actions(services, "attestation_reissued")) == 1


def test_once_the_site_has_an_administrator_only_keygen_makes_its_key(
        services: Services, accueil: Actor, agent: Actor) -> None:
    admin = make_actor(services, "adminsite", {"admin"})
    appointment = at_counter(services, accueil, agent)
    with pytest.raises(SigningError, match=r"pas encore de clé de signature.*rdv-admin keygen"):
        deposit(services, agent, appointment)
    with services.ctx.db.read() as s:
        assert s.scalar(select(SigningKey.key_id)) is None
    assert list_keys(services.ctx.key_dir) == []
    services.keys.generate(admin)
    assert deposit(services, agent, appointment).qr_payload


def test_a_station_running_since_before_a_rotation_signs_with_the_new_key(
        services: Services, accueil: Actor, agent: Actor, admin: Actor,
        clock: FixedClock) -> None:
    """The rotation is made on the administrator's PC; the counter, started before and never
    restarted, shares the key folder (a restricted network share): its next paper is signed
    with the new key, never with the retired one."""
    old = services.keys.signer(create_if_missing=True)
    deposit(services, agent, at_counter(services, accueil, agent, hour=time(9, 0)))
    office = Services.build(ServiceContext.create(services.ctx.db, "CANTAL", clock, "BUREAU",
                                                  services.ctx.key_dir))
    clock.advance(minutes=5)
    new = office.keys.generate(admin)
    clock.advance(minutes=5)
    later = deposit(services, agent, at_counter(services, accueil, agent, hour=time(9, 30)))
    assert f":{new.key_id}:" in (later.qr_payload or "") and new.key_id != old.key_id
    assert services.keys.verify(later.qr_payload or "").ok
