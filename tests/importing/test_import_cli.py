"""`rdv-admin import FILE [--dry-run]`: the report on stdout, exit 0 only without rejections."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from import_helpers import big_csv, future_sample
from sqlalchemy import create_engine, func, text
from sqlalchemy import select as sql_select

from rdv_desktop.cli import main
from rdv_desktop.models import Appointment, AuditEvent


def row_count(url: str, model: type) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        exists = conn.execute(text("SELECT name FROM sqlite_master WHERE name='appointment'"))
        count = conn.scalar(sql_select(func.count()).select_from(model)) if exists.first() \
            else 0
    engine.dispose()
    return count or 0


def appointment_count(url: str) -> int:
    return row_count(url, Appointment)


def audit_count(url: str) -> int:
    return row_count(url, AuditEvent)


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("RDV_CONFIG", str(tmp_path / "absent.toml"))
    return f"sqlite:///{tmp_path / 'cli.sqlite3'}"


def test_import_prints_report_and_exit_status(url: str, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    csv_sample = str(future_sample("rendez-vous.csv", tmp_path))
    assert main(["--db", url, "import", csv_sample, "--dry-run"]) == 1
    out = capsys.readouterr().out
    assert "Simulation de l'import de « rendez-vous.csv »" in out
    assert "  ligne 8 : heure impossible « 25:00 »" in out
    assert appointment_count(url) == 0

    assert main(["--db", url, "import", csv_sample]) == 1
    assert "5 créés" in capsys.readouterr().out
    assert appointment_count(url) == 5

    windows = str(future_sample("rendez-vous-windows-1252.csv", tmp_path))
    assert main(["--db", url, "import", windows]) == 0
    out = capsys.readouterr().out
    assert "3 créés, 0 mis à jour, 0 inchangé, 0 rejeté" in out
    assert "Motif à confirmer au guichet :" in out
    assert main(["--db", url, "import", windows]) == 0
    assert "0 créé, 0 mis à jour, 3 inchangés" in capsys.readouterr().out
    assert appointment_count(url) == 8


def test_unreadable_file_is_one_line_and_exit_2(url: str, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"Nom;Pr\x81nom;Date;Heure\r\n")
    assert main(["--db", url, "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rdv-admin : Encodage non reconnu") and err.count("\n") == 1


def read_until(fd: int, wanted: str, timeout: float = 30.0) -> str:
    """What the child wrote to its terminal until `wanted` appears (or it closes the terminal)."""
    raw, deadline = b"", time.monotonic() + timeout

    def seen() -> str:
        return raw.decode("utf-8", "replace").replace("\r\n", "\n")

    while wanted not in seen() and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            raw += chunk
    return seen()


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_ctrl_c_cancels_and_writes_nothing(url: str, tmp_path: Path) -> None:
    assert main(["--db", url, "import", str(future_sample("rendez-vous.csv", tmp_path))]) == 1
    before = appointment_count(url), audit_count(url)
    path = big_csv(tmp_path / "big.csv", 10_000, day="27/11/2099")
    master, terminal = os.openpty()
    try:
        child = subprocess.Popen([sys.executable, "-m", "rdv_desktop.cli", "--db", url,
                                  "import", str(path)],
                                 stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                 stderr=terminal)
        os.close(terminal)
        started = read_until(master, "lignes (Ctrl+C pour annuler)…\n")
        assert "Import de « big.csv » : 10000 lignes (Ctrl+C pour annuler)…" in started
        child.send_signal(signal.SIGINT)
        out, _ = child.communicate(timeout=60)
        err = started + read_until(master, ").\n", timeout=5)
    finally:
        os.close(master)
    assert child.returncode == 130, (out, err)
    # Chunks may have committed before Ctrl+C: they are taken back out, and the trail says so.
    assert ("rdv-admin : Import annulé : aucun rendez-vous n'a été enregistré.\n" in err
            or "rdv-admin : Import annulé : aucun rendez-vous n'a été conservé (les " in err), err
    assert out == b""
    assert appointment_count(url) == before[0]
