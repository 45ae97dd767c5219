"""The audit trail no station can rewrite: a hash chain `audit-verify` checks, undo as a new
row, and on PostgreSQL a stations' role that may only insert and read audit rows."""

from __future__ import annotations

import itertools
import threading
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import ProgrammingError

from rdv_desktop.cli import main
from rdv_desktop.models import AuditEvent
from rdv_desktop.models.app_role import create_app_role
from rdv_desktop.models.audit_chain import GENESIS
from rdv_desktop.models.db import Database
from rdv_desktop.models.migrate import upgrade
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.core.audit import record
from rdv_desktop.services.core.audit_chain_check import check_chain
from rdv_desktop.services.core.clock import FixedClock
from rdv_desktop.services.core.context import ServiceContext
from rdv_desktop.services.setup import Services
from tests.conftest import TEST_NOW
from tests.flows import at_counter


def drop_role(db_url: str, role: str) -> None:
    """Roles are server-wide: a test's role goes away with its rights."""
    admin = create_engine(db_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP OWNED BY "{role}"'))
        conn.execute(text(f'DROP ROLE "{role}"'))
    admin.dispose()


def rows(services: Services) -> list[AuditEvent]:
    with services.ctx.db.read() as s:
        return list(s.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def test_every_row_chains_the_previous_one(services: Services, accueil: Actor,
                                           agent: Actor) -> None:
    at_counter(services, accueil, agent)
    chain = rows(services)
    assert len(chain) > 5 and chain[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.row_hash for a, b in itertools.pairwise(chain))
    report = check_chain(services.ctx)
    assert report.intact and report.rows == len(chain) and report.head == chain[-1].row_hash


def test_audit_verify_finds_an_altered_and_a_deleted_row(
        services: Services, accueil: Actor, agent: Actor, db_url: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    at_counter(services, accueil, agent)
    chain = rows(services)
    monkeypatch.setenv("RDV_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.delenv("RDV_DB_URL", raising=False)
    assert main(["--db", db_url, "audit-verify"]) == 0
    assert capsys.readouterr().out.startswith(f"Journal d'audit intègre : {len(chain)} ligne")
    altered = chain[3]
    with services.ctx.db.engine.begin() as conn:  # what a station's account could do before
        conn.execute(text("UPDATE audit_event SET station = 'AILLEURS' WHERE id = :i"),
                     {"i": altered.id})
    assert main(["--db", db_url, "audit-verify"]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"Journal d'audit altéré à la ligne n° {altered.id} (")
    assert "son contenu a été modifié après écriture" in out and "Les 3 ligne(s)" in out
    with services.ctx.db.engine.begin() as conn:  # put it back, then take a row out
        conn.execute(text("UPDATE audit_event SET station = :s WHERE id = :i"),
                     {"s": altered.station, "i": altered.id})
        conn.execute(text("DELETE FROM audit_event WHERE id = :i"), {"i": chain[5].id})
    report = check_chain(services.ctx)
    assert report.broken_at is not None and report.broken_at.audit_id == chain[6].id
    assert "une ligne a été supprimée" in report.broken_at.why


def test_stations_writing_at_once_never_fork_the_chain(services: Services,
                                                       accueil: Actor) -> None:
    errors: list[BaseException] = []

    def station(n: int) -> None:
        try:
            for i in range(25):
                with services.ctx.db.write() as s:
                    record(s, accueil, TEST_NOW + timedelta(seconds=i), "test", "station", n)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=station, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    report = check_chain(services.ctx)
    assert report.intact and report.rows == len(rows(services)) >= 75


def test_undo_is_a_new_row_naming_the_one_it_undoes(services: Services, accueil: Actor,
                                                    agent: Actor) -> None:
    appointment = at_counter(services, accueil, agent)
    step = services.appointments.last_undoable(appointment)
    assert step is not None and step[1] == "start_service"
    before = {r.id: (r.row_hash, r.after) for r in rows(services)}
    services.appointments.undo(agent, appointment, "erreur de clic")
    after = rows(services)
    assert {r.id: (r.row_hash, r.after) for r in after if r.id in before} == before
    [undo] = [r for r in after if r.id not in before and r.action == "undo"]
    assert undo.undoes == step[0]
    # The UI's « Annuler l'étape » now offers the step before (undone-ness from the new rows).
    previous = services.appointments.last_undoable(appointment)
    assert previous is not None and previous[1] == "call" and previous[0] < step[0]
    assert check_chain(services.ctx).intact


def test_migration_carries_undo_links_and_chains_existing_rows(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    upgrade(db, "0004")
    with db.engine.begin() as conn:
        for i, undone_by in ((1, 2), (2, None), (3, None)):
            conn.execute(text(
                "INSERT INTO audit_event (id, at, user_login, station, action, entity_type, "
                "entity_id, after, undone_by) VALUES (:i, '2026-11-20 09:00:00.000000', 'agent1', "
                "'GUICHET-1', :a, 'appointment', '7', '{\"ticket\": \"A001\"}', :u)"),
                {"i": i, "a": "checkin" if i == 1 else "undo", "u": undone_by})
    upgrade(db)
    with db.engine.connect() as conn:
        undoes = dict(conn.execute(text("SELECT id, undoes FROM audit_event")).tuples().all())
    assert undoes == {1: None, 2: 1, 3: None}
    report = check_chain(ServiceContext.create(db, "CANTAL", FixedClock(TEST_NOW)))
    assert report.intact and report.rows == 3
    db.dispose()


@pytest.mark.pg_only
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)  # roles: PostgreSQL only
def test_the_stations_role_cannot_rewrite_the_audit_trail(
        services: Services, accueil: Actor, agent: Actor, db_url: str, tmp_path: Path) -> None:
    at_counter(services, accueil, agent)
    role = f"rdv_station_{uuid.uuid4().hex[:8]}"
    create_app_role(services.ctx.db, role, None)
    station_url = db_url.replace("postgres@", f"{role}@", 1)
    try:
        station = Services.build(ServiceContext.create(
            Database(station_url), "CANTAL", services.ctx.clock, "GUICHET-9", tmp_path / "k"))
        # The role works: it writes audit rows (a refused verification) and reads them.
        assert not station.keys.check(agent, "n'importe quoi").ok
        chain = rows(station)
        assert chain[-1].action == "verification_refused"
        for statement in ("UPDATE audit_event SET station = 'AILLEURS' WHERE id = :i",
                          "DELETE FROM audit_event WHERE id = :i", "TRUNCATE audit_event"):
            with (pytest.raises(ProgrammingError, match="permission denied"),
                  station.ctx.db.engine.begin() as conn):
                conn.execute(text(statement), {"i": chain[2].id})
        assert check_chain(station.ctx).intact
        # The owner (an administrator's account) can still alter a row: the chain tells.
        with services.ctx.db.engine.begin() as conn:
            conn.execute(text("UPDATE audit_event SET reason = 'effacé' WHERE id = :i"),
                         {"i": chain[2].id})
        broken = check_chain(station.ctx).broken_at
        assert broken is not None and broken.audit_id == chain[2].id
        station.ctx.db.dispose()
    finally:
        drop_role(db_url, role)


def test_audit_rows_hold_no_personal_data(services: Services, accueil: Actor, agent: Actor,
                                          admin: Actor, tmp_path: Path) -> None:
    """Booking, a day at the counter, a deposit and an import that renames the person: the
    audit trail names ids and codes, never the person (a purge never needs to touch it)."""
    from rdv_desktop.services.importing import ImportService
    from tests.flows import deposit

    services.keys.signer(create_if_missing=True)
    deposit(services, agent, at_counter(services, accueil, agent, name="Zyxwvutsrq",
                                        given="Qponmlkjih"))
    first = tmp_path / "rdv.csv"
    first.write_text("Référence;Nom;Prénom;Date;Heure;Motif\n"
                     "IMP-1;Abcdefghij;Klmnopqrst;27/11/2026;09:00;RETRAITE\n", encoding="utf-8")
    second = tmp_path / "rdv2.csv"
    second.write_text("Référence;Nom;Prénom;Date;Heure;Motif\n"
                      "IMP-1;Uvwxyzabcd;Efghijklmn;27/11/2026;09:00;RETRAITE\n",
                      encoding="utf-8")
    importer = ImportService(services.appointments, services.catalogue)
    assert importer.import_file(admin, first).ok and importer.import_file(admin, second).ok
    trail = " ".join(f"{r.entity_id} {r.before} {r.after} {r.reason}" for r in rows(services))
    assert "import_update" in {r.action for r in rows(services)}
    for name in ("Zyxwvutsrq", "Qponmlkjih", "Abcdefghij", "Klmnopqrst", "Uvwxyzabcd",
                 "Efghijklmn", "1991-03-14"):
        assert name.lower() not in trail.lower(), name
    assert "family_name" in trail  # the change is named, its value is not


def test_app_role_refusals_are_french(services: Services, db_url: str) -> None:
    from rdv_desktop.errors import ConfigurationError

    if services.ctx.db.dialect != "postgresql":
        with pytest.raises(ConfigurationError, match="ne concerne que PostgreSQL"):
            create_app_role(services.ctx.db, "rdv_station", None)
        return
    with pytest.raises(ConfigurationError, match="Nom de rôle invalide"):
        create_app_role(services.ctx.db, "Robert'); DROP TABLE", None)
    weak = f"rdv_weak_{uuid.uuid4().hex[:8]}"
    create_app_role(services.ctx.db, weak, "secret'quote")
    try:  # the stations' role itself cannot hand out roles
        station_db = Database(db_url.replace("postgres@", f"{weak}@", 1))
        with pytest.raises(ConfigurationError, match="compte propriétaire du schéma"):
            create_app_role(station_db, f"{weak}_2", None)
        station_db.dispose()
    finally:
        drop_role(db_url, weak)
