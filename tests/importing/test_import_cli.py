"""`rdv-admin import FILE [--dry-run]`: the report on stdout, exit 0 only without rejections."""

from __future__ import annotations

from pathlib import Path

import pytest
from import_helpers import sample
from sqlalchemy import create_engine, func, select, text

from rdv_desktop.cli import main
from rdv_desktop.models import Appointment


def appointment_count(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        exists = conn.execute(text("SELECT name FROM sqlite_master WHERE name='appointment'"))
        count = conn.scalar(select(func.count()).select_from(Appointment)) if exists.first() \
            else 0
    engine.dispose()
    return count or 0


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("RDV_CONFIG", str(tmp_path / "absent.toml"))
    return f"sqlite:///{tmp_path / 'cli.sqlite3'}"


def test_import_prints_report_and_exit_status(url: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", url, "import", str(sample("rendez-vous.csv")), "--dry-run"]) == 1
    out = capsys.readouterr().out
    assert "Simulation de l'import de « rendez-vous.csv »" in out
    assert "  ligne 8 : heure impossible « 25:00 »" in out
    assert appointment_count(url) == 0

    assert main(["--db", url, "import", str(sample("rendez-vous.csv"))]) == 1
    assert "5 créés" in capsys.readouterr().out
    assert appointment_count(url) == 5

    assert main(["--db", url, "import", str(sample("rendez-vous-windows-1252.csv"))]) == 0
    out = capsys.readouterr().out
    assert "3 créés, 0 mis à jour, 0 inchangé, 0 rejeté" in out
    assert "Motif à confirmer au guichet :" in out
    assert main(["--db", url, "import", str(sample("rendez-vous-windows-1252.csv"))]) == 0
    assert "0 créé, 0 mis à jour, 3 inchangés" in capsys.readouterr().out
    assert appointment_count(url) == 8


def test_unreadable_file_is_one_line_and_exit_2(url: str, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"Nom;Pr\x81nom;Date;Heure\r\n")
    assert main(["--db", url, "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rdv-admin : Encodage non reconnu") and err.count("\n") == 1
