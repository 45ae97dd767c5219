"""`rdv-admin` run from a script, a cron job or a pipe has no terminal to type a password in:
one French line naming the option that reads it from stdin, a non-zero status, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def rdv_admin(tmp_path: Path, *args: str, stdin: str | None = None
              ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RDV_CONFIG": str(tmp_path / "none.toml")}
    env.pop("RDV_DB_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "rdv_desktop.cli", "--db", f"sqlite:///{tmp_path / 'r.sqlite3'}",
         *args], input=stdin, stdin=subprocess.DEVNULL if stdin is None else None,
        capture_output=True, text=True, timeout=120, check=False, env=env)


def test_create_user_without_a_terminal_says_so_in_one_line(tmp_path: Path) -> None:
    done = rdv_admin(tmp_path, "create-user", "alice", "--role", "admin")
    assert done.returncode == 2, done
    assert done.stderr == ("rdv-admin : Pas de terminal pour taper le mot de passe : "
                           "donnez-le sur l'entrée standard avec --password-stdin.\n")
    assert "Traceback" not in done.stdout + done.stderr

    made = rdv_admin(tmp_path, "create-user", "alice", "--role", "admin", "--password-stdin",
                     stdin="Solide-motdepasse-2026\n")
    assert made.returncode == 0, made.stderr
    # now an administrator exists: commands act in her name, and her password has no terminal
    done = rdv_admin(tmp_path, "--admin", "alice", "create-user", "bob", "--role", "agent")
    assert done.returncode == 2, done
    assert done.stderr == ("rdv-admin : Pas de terminal pour taper le mot de passe : "
                           "donnez-le sur l'entrée standard avec --admin-password-stdin.\n")
