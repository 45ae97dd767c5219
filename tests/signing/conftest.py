"""Fixtures for the signing tests: a fresh key directory with one CANTAL key."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from rdv_desktop.services.signing.signed_code import sign_code
from rdv_desktop.services.signing.signer import (
    KeyRing,
    Signer,
    generate_site_key,
    load_keyring,
    load_signer,
)

DEPOSIT = datetime(2026, 11, 26, 14, 32)
REFERENCE = "CANTAL-2026-000123"


@pytest.fixture
def key_dir(tmp_path: Path) -> Path:
    path = tmp_path / "keys"
    generate_site_key(path, "CANTAL")
    return path


@pytest.fixture
def signer(key_dir: Path) -> Signer:
    return load_signer(key_dir)


@pytest.fixture
def ring(key_dir: Path) -> KeyRing:
    return load_keyring(key_dir)


@pytest.fixture
def payload(signer: Signer) -> str:
    return sign_code("A", "CANTAL", REFERENCE, DEPOSIT, signer)
