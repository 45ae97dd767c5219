"""Fixtures for the import tests; helpers live in import_helpers.py and rdvsp_sheets.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from rdv_desktop.services.importing import ImportService
from rdv_desktop.services.setup import Services
from tests.ui_thread_guard import ui_thread_guard  # noqa: F401 (autouse: UI code never opens a session on the main thread)

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def importer(services: Services) -> ImportService:
    return ImportService(services.appointments, services.catalogue)
