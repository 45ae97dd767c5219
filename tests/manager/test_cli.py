"""`rdv-admin stats | export | report | purge | export-person | backup` end to end."""

from __future__ import annotations

import json
from datetime import date, time
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from rdv_desktop.cli import main
from rdv_desktop.models import Appointment, AuditEvent, User
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.counter.booking import NewAppointment
from rdv_desktop.services.setup import Services
from rdv_desktop.services.stats.stats_output import report_dict

from .conftest import TODAY


@pytest.fixture(autouse=True)
def no_user_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RDV_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.delenv("RDV_DB_URL", raising=False)


def run(db_url: str, *args: str) -> int:
    """rdv-admin on the test base; once the demo's administrator exists, commands act in its
    name (password on stdin), as commands that change the base must."""
    import io
    import sys

    from sqlalchemy import create_engine

    from rdv_desktop.services.demo import DEMO_PASSWORD

    engine = create_engine(db_url)
    with engine.connect() as conn:
        named = conn.scalar(select(User.id).where(User.login == "admin")) is not None
    engine.dispose()
    identity = ["--admin", "admin", "--admin-password-stdin"] if named else []
    stdin, sys.stdin = sys.stdin, io.StringIO(DEMO_PASSWORD + "\n")
    try:
        return main(["--db", db_url, "--station", "TEST-CLI", *identity, *args])
    finally:
        sys.stdin = stdin


def test_stats_json_and_csv(history: Services, manager: Actor, db_url: str, capsys) -> None:
    assert run(db_url, "stats", "--from", "2026-11-01", "--to", "2026-11-26") == 0
    printed = json.loads(capsys.readouterr().out)
    expected = report_dict(history.office.stats.report(manager, TODAY.replace(day=1), TODAY))
    assert printed["totals"] == expected["totals"]
    assert printed["wait"]["p90_minutes"] == expected["wait"]["p90_minutes"]
    assert run(db_url, "stats", "--from", "2026-11-01", "--to", "2026-11-26",
               "--format", "csv") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Dimension;Clé;Libellé;Rendez-vous")
    assert lines[1].split(";")[3] == str(expected["totals"]["appointments"])
    header = lines[0].split(";")
    wait_p90 = header.index("Attente : 90e centile (min)")
    assert lines[1].split(";")[wait_p90] == str(expected["wait"]["p90_minutes"])
    motif_rows = [line.split(";") for line in lines if line.startswith("Motif;")]
    assert motif_rows and all(
        row[wait_p90] == "" or " à " in row[wait_p90] or row[wait_p90].endswith("et plus")
        for row in motif_rows)
    first = expected["by_motif"][0]
    low, high = first["wait_p90_bucket_minutes"]
    assert motif_rows[0][wait_p90] == (f"{low} à {high - 1}" if high else f"{low} et plus")


def test_bad_input_gives_one_french_line(services: Services, db_url: str, capsys,
                                         tmp_path: Path) -> None:
    assert run(db_url, "stats", "--from", "2026-11-26", "--to", "2026-11-01") == 2
    assert "Période inversée" in capsys.readouterr().err
    assert run(db_url, "stats", "--from", "26/11/2026", "--to", "2026-11-01") == 2
    assert "AAAA-MM-JJ" in capsys.readouterr().err
    assert run(db_url, "export", "--from", "2026-11-01", "--to", "2026-11-26",
               "--out", str(tmp_path / "nope" / "x.csv")) == 2
    assert "Impossible d'écrire" in capsys.readouterr().err
    assert run(db_url, "report", "--month", "2026-13", "--out", str(tmp_path / "r.pdf")) == 2
    assert "Mois invalide" in capsys.readouterr().err


def test_export_and_report(history: Services, db_url: str, tmp_path: Path, capsys) -> None:
    out = tmp_path / "rdv.xlsx"
    assert run(db_url, "export", "--from", "2026-11-01", "--to", "2026-11-26",
               "--out", str(out)) == 0
    assert out.stat().st_size > 0 and "Export XLSX" in capsys.readouterr().out
    pdf = tmp_path / "novembre.pdf"
    assert run(db_url, "report", "--month", "2026-11", "--out", str(pdf)) == 0
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Rapport mensuel — novembre 2026" in text
    assert "Taux de complétude" in text and "Par guichet" in text


def test_purge_needs_confirmation(history: Services, admin: Actor, db_url: str,
                                  capsys) -> None:
    old = history.booking.create(admin, NewAppointment(
        "ANCIEN", "Paul", date(2023, 3, 1), time(9, 0), None, source="import",
        reference="OLD-1"))
    history.appointments.cancel(admin, old.id, "ne viendra pas")

    def anonymised() -> int:
        with history.ctx.db.read() as s:
            return s.scalar(select(func.count()).select_from(Appointment)
                            .where(Appointment.anonymised_at.is_not(None)))

    assert run(db_url, "purge", "--older-than", "1") == 2
    assert "--yes" in capsys.readouterr().err
    assert run(db_url, "purge", "--older-than", "1", "--dry-run") == 0
    assert "seraient anonymisés" in capsys.readouterr().out
    assert anonymised() == 0
    assert run(db_url, "purge", "--older-than", "1", "--yes") == 0
    assert anonymised() > 0


def test_export_person_and_backup(history: Services, db_url: str, tmp_path: Path,
                                  capsys) -> None:
    with history.ctx.db.read() as s:
        a = s.scalar(select(Appointment).limit(1))
    out = tmp_path / "personne.json"
    assert run(db_url, "export-person", "--name", a.family_name, "--birth-date",
               a.birth_date.isoformat(), "--out", str(out)) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert a.reference in {x["reference"] for x in data["appointments"]}
    assert run(db_url, "export-person") == 2
    capsys.readouterr()
    backup = tmp_path / "copie.sqlite3"
    code = run(db_url, "backup", str(backup))
    if history.ctx.db.dialect == "sqlite":
        assert code == 0 and backup.exists()
    else:
        assert code == 2 and "pg_dump" in capsys.readouterr().err


def test_upgrade_also_rebuilds_the_statistics(history: Services, db_url: str, capsys) -> None:
    from sqlalchemy import text

    with history.ctx.db.write() as s:  # as migration 0003 leaves a database: rollups dropped
        s.execute(text("DELETE FROM stats_rollup"))
        s.execute(text("DELETE FROM stats_state"))
    assert run(db_url, "upgrade") == 0
    out = capsys.readouterr().out
    assert "Schéma à jour" in out and "Statistiques à jour" in out
    with history.ctx.db.read() as s:
        assert s.execute(text("SELECT count(*) FROM stats_rollup")).scalar() > 0
        assert s.execute(text("SELECT count(*) FROM stats_state")).scalar() == 1


def test_demo_refuses_a_live_database(services: Services, db_url: str, capsys,
                                      admin: Actor) -> None:
    services.users.create_user(admin, "mdupont", "Marie Dupont", {"agent"},
                               "un mot de passe réel 2026")
    services.booking.create(admin, NewAppointment("Réel", "Dossier", date(2026, 11, 27),
                                                  time(9, 0), "RETRAITE"))
    with services.ctx.db.read() as s:
        before = s.scalar(select(func.count(AuditEvent.id)))
    assert run(db_url, "demo", "--per-day", "5", "--days-back", "1") == 2
    assert "données réelles" in capsys.readouterr().err
    with services.ctx.db.read() as s:
        assert s.scalar(select(func.count(AuditEvent.id))) == before
        assert s.scalar(select(User.id).where(User.login == "admin")) is None
