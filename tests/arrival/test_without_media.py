"""Without the `media` extra (PySide6-Addons: QtMultimedia) a station still starts and works:
the desk says why the webcam is off, its tones and the waiting-room chime fall back to the
system beep, and `--self-test` passes. QtMultimedia's absence is simulated in a subprocess by a
sitecustomize that refuses the module, as an environment without the wheel does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NO_MEDIA = Path(__file__).resolve().parent / "no_media"


def without_media(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": os.pathsep.join((str(NO_MEDIA), str(ROOT)))}
    for name in ("RDV_CONFIG", "RDV_DB_URL"):
        env.pop(name, None)
    return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True,
                          timeout=300, check=False)


def test_the_simulation_really_removes_qtmultimedia() -> None:
    done = without_media("-c", "import PySide6.QtMultimedia")
    assert done.returncode == 1 and "ModuleNotFoundError" in done.stderr


def test_desk_and_chime_degrade_and_say_why(tmp_path: Path) -> None:
    done = without_media(str(NO_MEDIA / "desk_without_media.py"), str(tmp_path))
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["chime"] == "bip" and seen["desk_sound"] == "bip"
    assert seen["feedback"] == "red"  # the scan itself worked
    assert seen["sounds_label"].endswith("bip du système seulement")
    assert not seen["camera_on"]
    assert seen["camera_note"].startswith("Caméra indisponible : le module multimédia de Qt")
    assert "PySide6-Addons" in seen["camera_note"]
    assert "Le lecteur USB et la recherche par nom fonctionnent." in seen["camera_note"]
    assert seen["loaded"] == []
    assert "Traceback" not in done.stderr


def test_self_test_passes_without_media() -> None:
    done = without_media("-c", "import sys; from rdv_desktop.app import main; "
                               "sys.exit(main(['--self-test']))")
    assert done.returncode == 0, done.stderr
    assert " : OK — dossier CANTAL-" in done.stdout
