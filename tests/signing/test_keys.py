"""Key directory: permissions, index, rotation, public key export and import."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from rdv_desktop.services.signing.signed_code import sign_code
from rdv_desktop.services.signing.signer import (
    INDEX_NAME,
    KeyPermissionError,
    KeyRing,
    KeyStoreError,
    export_public_keys,
    generate_site_key,
    list_keys,
    load_keyring,
    load_signer,
    public_key_pem,
    rotate,
)
from rdv_desktop.services.signing.verifier import VerificationStatus, verify

DEPOSIT = datetime(2026, 11, 26, 14, 32)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_files_and_modes(key_dir: Path) -> None:
    (info,) = list_keys(key_dir)
    assert _mode(key_dir) == 0o700
    assert _mode(key_dir / f"{info.key_id}.pem") == 0o600
    assert (key_dir / f"{info.key_id}.pem").read_text().startswith("-----BEGIN PRIVATE KEY-----")
    index = json.loads((key_dir / INDEX_NAME).read_text())
    (row,) = index["keys"]
    assert row["key_id"] == info.key_id and row["site"] == "CANTAL"
    assert row["retired_at"] is None
    assert row["public_key_pem"].startswith("-----BEGIN PUBLIC KEY-----")
    assert sorted(p.name for p in key_dir.iterdir()) == sorted([INDEX_NAME, f"{info.key_id}.pem"])


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_too_open_key_refused(key_dir: Path, mode: int) -> None:
    (info,) = list_keys(key_dir)
    (key_dir / f"{info.key_id}.pem").chmod(mode)
    with pytest.raises(KeyPermissionError) as excinfo:
        load_signer(key_dir)
    assert "chmod 600" in str(excinfo.value)
    assert "accessible à d'autres utilisateurs" in str(excinfo.value)


def test_missing_private_key_is_a_clear_error(key_dir: Path) -> None:
    (info,) = list_keys(key_dir)
    (key_dir / f"{info.key_id}.pem").unlink()
    with pytest.raises(KeyStoreError, match="introuvable"):
        load_signer(key_dir)
    assert len(load_keyring(key_dir)) == 1  # verification still possible


def test_empty_dir_has_no_signer(tmp_path: Path) -> None:
    with pytest.raises(KeyStoreError, match="Aucune clé"):
        load_signer(tmp_path)


def test_rotation_keeps_old_codes_valid(key_dir: Path) -> None:
    old = load_signer(key_dir)
    old_code = sign_code("A", "CANTAL", "CANTAL-2026-000001", DEPOSIT, old)
    new_info = rotate(key_dir, "CANTAL")
    new = load_signer(key_dir)
    assert new.key_id == new_info.key_id != old.key_id
    infos = {k.key_id: k for k in list_keys(key_dir)}
    assert infos[old.key_id].retired and not infos[new.key_id].retired
    ring = load_keyring(key_dir)
    assert verify(old_code, ring).status is VerificationStatus.AUTHENTIC
    new_code = sign_code("A", "CANTAL", "CANTAL-2026-000002", DEPOSIT, new)
    assert verify(new_code, ring).status is VerificationStatus.AUTHENTIC
    with pytest.raises(KeyStoreError, match="retirée"):
        load_signer(key_dir, old.key_id)


def test_other_site_key_in_same_dir(key_dir: Path) -> None:
    generate_site_key(key_dir, "AURILLAC")
    assert load_signer(key_dir, site="CANTAL").site == "CANTAL"
    assert load_signer(key_dir, site="AURILLAC").site == "AURILLAC"


def test_pem_bundle_round_trip(key_dir: Path) -> None:
    rotate(key_dir, "CANTAL")
    bundle = export_public_keys(key_dir)
    ring = KeyRing.from_pem_bundle(bundle)
    original = load_keyring(key_dir)
    assert {e.key_id for e in ring} == {e.key_id for e in original}
    for entry in original:
        imported = ring.get(entry.key_id)
        assert imported is not None
        assert imported.public_pem == entry.public_pem
        assert imported.site == entry.site
        assert imported.retired_at == entry.retired_at


def test_bundle_with_wrong_key_id_refused(key_dir: Path) -> None:
    bundle = export_public_keys(key_dir)
    (info,) = list_keys(key_dir)
    with pytest.raises(KeyStoreError):
        KeyRing.from_pem_bundle(bundle.replace(f"Key-Id: {info.key_id}", "Key-Id: AAAAAAAA"))
    with pytest.raises(KeyStoreError):
        KeyRing.from_pem_bundle(bundle.replace("-----END PUBLIC KEY-----", ""))


def test_ring_from_database_records(key_dir: Path, signer) -> None:
    pem = public_key_pem(signer.public_key)
    ring = KeyRing.from_records([(signer.key_id, pem, "CANTAL", None)])
    code = sign_code("A", "CANTAL", "CANTAL-2026-000009", DEPOSIT, signer)
    assert verify(code, ring).ok
    retired = KeyRing.from_records([(signer.key_id, pem.encode(), "CANTAL", datetime.now(UTC))])
    assert verify(code, retired).ok
    with pytest.raises(KeyStoreError):
        KeyRing.from_records([("AAAAAAAA", pem, "CANTAL", None)])
    with pytest.raises(KeyStoreError):
        KeyRing.from_records([(signer.key_id, "not a pem", "CANTAL", None)])
