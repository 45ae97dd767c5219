"""rdv-admin for keys, reprints, revocation and verification: exit codes and messages."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pypdfium2
import pytest

from rdv_desktop.cli import main


@pytest.fixture
def station(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    conf = tmp_path / "config.toml"
    conf.write_text(f'[keys]\ndir = "{tmp_path / "keys"}"\n[station]\npdf_dir = '
                    f'"{tmp_path / "pdf"}"\n', encoding="utf-8")
    monkeypatch.setenv("RDV_CONFIG", str(conf))
    monkeypatch.delenv("RDV_DB_URL", raising=False)
    return ["--db", f"sqlite:///{tmp_path / 'rdv.sqlite3'}"]


@pytest.fixture
def as_admin(station: list[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., int]:
    """Run a command that changes the base as the demo's administrator (password on stdin)."""
    from rdv_desktop.services.demo import DEMO_PASSWORD

    def run(*args: str) -> int:
        monkeypatch.setattr("sys.stdin", io.StringIO(DEMO_PASSWORD + "\n"))
        return main([*station, "--admin", "admin", "--admin-password-stdin", *args])

    return run


def first_number(db: list[str]) -> str:
    import sqlite3

    path = db[1].removeprefix("sqlite:///")
    return sqlite3.connect(path).execute(
        "SELECT number FROM dossier WHERE number IS NOT NULL ORDER BY id LIMIT 1").fetchone()[0]


def test_keys_receipt_verify_revoke(station: list[str], tmp_path: Path,
                                    as_admin: Callable[..., int],
                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*station, "keygen"]) == 0
    # (today's demo slots keep opening hours: before 9 h or on a Monday, only past working
    # days hold deposits; four calendar days back always include two of them)
    assert main([*station, "demo", "--per-day", "8", "--days-back", "4"]) == 0
    capsys.readouterr()
    assert main([*station, "public-key"]) == 0
    assert "BEGIN PUBLIC KEY" in capsys.readouterr().out
    number = first_number(station)
    out = tmp_path / "duplicata.pdf"
    assert main([*station, "receipt", number, "--out", str(out)]) == 2  # nobody named
    assert "au nom d'un administrateur" in capsys.readouterr().err
    assert as_admin("receipt", number, "--out", str(out)) == 0
    image = tmp_path / "page.png"
    pypdfium2.PdfDocument(out.read_bytes())[0].render(scale=150 / 72).to_pil().save(image)
    capsys.readouterr()
    assert main([*station, "verify", "--image", str(image)]) == 0
    assert "authentique" in capsys.readouterr().out.lower()
    assert main([*station, "verify", "n'importe quoi"]) == 1
    assert as_admin("revoke", number, "--reason", "erreur de saisie") == 0
    assert main([*station, "verify", "--image", str(image)]) == 1
    assert "révoquée" in capsys.readouterr().out
    assert as_admin("receipt", number, "--out", str(out)) == 2
    assert "révoquée" in capsys.readouterr().err


def test_unwritable_output_is_one_line(station: list[str], tmp_path: Path,
                                       as_admin: Callable[..., int],
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*station, "demo", "--per-day", "6", "--days-back", "4"]) == 0
    capsys.readouterr()
    code = as_admin("receipt", first_number(station), "--out",
                    str(tmp_path / "absent" / "x.pdf"))
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("rdv-admin : Impossible d'écrire") and err.count("\n") == 1
