"""`rdv-desktop --self-test` from the source tree (CI runs the same on the built bundle)."""

from __future__ import annotations

import os
import subprocess
import sys


def test_self_test_passes_headless() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c",
         "import sys; from rdv_desktop.app import main; sys.exit(main(['--self-test']))"],
        capture_output=True, text=True, timeout=300, env=env, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Auto-test rdv-desktop ") and " : OK — dossier CANTAL-" in lines[0]
    assert "attestation relue et vérifiée" in lines[0]
    assert done.stderr == ""
