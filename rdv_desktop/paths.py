"""Where the app finds its shipped resources and keeps its own files.

Resources live in the top-level ``resources/`` folder of the source tree; a PyInstaller bundle
puts the same folder next to the package inside ``sys._MEIPASS``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "rdv-desktop"
APP_AUTHOR = "rdv-desktop"


def resources_dir() -> Path:
    """The folder holding the motif catalogue, fonts and sample files."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def user_data_dir() -> Path:
    """Per-user data folder (SQLite database, keys, kept PDFs); created on first use."""
    path = Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_config_dir() -> Path:
    path = Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


PRIVATE_UMASK = 0o077


def keep_files_private() -> None:
    """Everything the app creates from now on (database, kept PDFs, keys, backups, exports)
    is readable by its user only: 0600 files, 0700 folders. They hold personal data."""
    os.umask(PRIVATE_UMASK)
