"""Everything rdv-admin creates is its user's alone: 0600 files, 0700 folders.

The database, the signing keys, the kept PDFs, the backups and the exports hold personal data;
on a shared PC another account must not read them. Run as a real process with the usual 022
umask, as an administrator would.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

CLI = "from rdv_desktop.cli import main; import sys; sys.exit(main(sys.argv[1:]))"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_files_created_by_rdv_admin_are_private(tmp_path: Path) -> None:
    work = tmp_path / "station"
    work.mkdir()
    config = work / "config.toml"
    config.write_text(f'[keys]\ndir = "{work / "keys"}"\n[station]\npdf_dir = "{work / "pdf"}"\n')
    env = {**os.environ, "RDV_CONFIG": str(config)}
    db = f"sqlite:///{work / 'data' / 'rdv.sqlite3'}"
    today = date.today()

    def admin(*args: str) -> str:
        # After the demo, commands that change the base act as its administrator.
        named = ["--admin", "admin", "--admin-password-stdin"] if args[0] not in (
            "init-db", "demo") else []
        done = subprocess.run([sys.executable, "-c", CLI, "--db", db, *named, *args], env=env,
                              capture_output=True, text=True, timeout=300,
                              input="demo-rdv-2026\n", preexec_fn=lambda: os.umask(0o022))
        assert done.returncode == 0, done.stderr
        return done.stdout

    admin("init-db")
    admin("demo", "--per-day", "6", "--days-back", "3")
    admin("export", "--from", (today - timedelta(days=5)).isoformat(), "--to",
          today.isoformat(), "--out", str(work / "export.csv"))
    number = next(part for line in (work / "export.csv").read_text("utf-8-sig").splitlines()
                  for part in line.split(";") if part.startswith("CANTAL-"))
    admin("receipt", number, "--out", str(work / "receipt.pdf"))
    admin("backup", str(work / "backup.sqlite3"))

    created = [p for p in work.rglob("*") if p != config]
    assert any(p.suffix == ".pdf" and "pdf" in p.parts for p in created)  # a kept copy
    loose = [f"{p.relative_to(work)} {stat.filemode(p.stat().st_mode)}" for p in created
             if p.stat().st_mode & 0o077]
    assert loose == []
