"""The one verifier: every status, every single-character alteration, never an exception."""

from __future__ import annotations

import string
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from rdv_desktop.services.desk.scan_input import candidates
from rdv_desktop.services.signing.signed_code import key_id_for, sign_code
from rdv_desktop.services.signing.signer import (
    KeyRing,
    Signer,
    export_public_keys,
    generate_site_key,
    load_signer,
    public_key_pem,
)
from rdv_desktop.services.signing.verifier import Verification, VerificationStatus, verify

DEPOSIT = datetime(2026, 11, 26, 14, 32)
REFERENCE = "CANTAL-2026-000123"
QR_ALPHANUMERIC = string.digits + string.ascii_uppercase + " $%*+-./:"
S = VerificationStatus


def _fresh_signer(site: str = "CANTAL") -> Signer:
    key = Ed25519PrivateKey.generate()
    return Signer(key_id_for(key.public_key()), site, key)


def test_authentic(payload: str, ring: KeyRing) -> None:
    result = verify(payload, ring)
    assert result.status is S.AUTHENTIC and result.ok
    assert result.message == (
        "Attestation authentique : dossier CANTAL-2026-000123 déposé le 26/11/2026 à 14:32 "
        "(site CANTAL)"
    )
    assert (result.kind, result.site, result.reference) == ("A", "CANTAL", REFERENCE)
    assert result.timestamp is not None and result.timestamp.replace(tzinfo=None) == DEPOSIT
    assert not result.other_site


def test_every_single_character_change_is_rejected(payload: str, ring: KeyRing) -> None:
    checked = 0
    for index, original in enumerate(payload):
        for char in QR_ALPHANUMERIC:
            if char == original:
                continue
            altered = payload[:index] + char + payload[index + 1 :]
            result = verify(altered, ring, expected_kind=None)
            assert result.status is not S.AUTHENTIC, (index, char)
            assert not result.ok
            checked += 1
    assert checked == len(payload) * (len(QR_ALPHANUMERIC) - 1)


def test_signature_alteration_is_forged(payload: str, ring: KeyRing) -> None:
    altered = payload[:-10] + ("A" if payload[-10] != "A" else "B") + payload[-9:]
    result = verify(altered, ring)
    assert result.status is S.FORGED
    assert result.message == "Signature invalide : ce document a été modifié ou contrefait"


def test_other_key_with_our_key_id_is_forged(payload: str, ring: KeyRing, signer: Signer) -> None:
    impostor = _fresh_signer()
    forged = sign_code("A", "CANTAL", REFERENCE, DEPOSIT, impostor)
    forged = forged.replace(f":{impostor.key_id}:", f":{signer.key_id}:")
    assert verify(forged, ring).status is S.FORGED


def test_unknown_key(ring: KeyRing) -> None:
    stranger = _fresh_signer()
    code = sign_code("A", "CANTAL", REFERENCE, DEPOSIT, stranger)
    result = verify(code, ring)
    assert result.status is S.UNKNOWN_KEY
    assert result.message.startswith(f"Clé de signature inconnue ({stranger.key_id})")
    assert result.reference == REFERENCE


def test_revoked(payload: str, ring: KeyRing) -> None:
    asked: list[str] = []

    def is_revoked(reference: str) -> bool:
        asked.append(reference)
        return True

    result = verify(payload, ring, is_revoked=is_revoked)
    assert result.status is S.REVOKED and not result.ok
    assert result.message.startswith("Attestation révoquée")
    assert asked == [REFERENCE]
    assert verify(payload, ring, is_revoked=lambda _ref: False).ok


def test_revocation_not_asked_for_forgeries(payload: str, ring: KeyRing) -> None:
    def is_revoked(reference: str) -> bool:
        raise AssertionError("must not be asked")

    altered = payload[:-10] + ("A" if payload[-10] != "A" else "B") + payload[-9:]
    assert verify(altered, ring, is_revoked=is_revoked).status is S.FORGED


def test_wrong_kind(ring: KeyRing, signer: Signer) -> None:
    convocation = sign_code("C", "CANTAL", "RDV-7K2P", DEPOSIT, signer)
    result = verify(convocation, ring)
    assert result.status is S.NOT_OURS
    assert "code de convocation" in result.message
    assert verify(convocation, ring, expected_kind="C").ok
    assert verify(convocation, ring, expected_kind=None).ok
    payload = sign_code("A", "CANTAL", REFERENCE, DEPOSIT, signer)
    assert verify(payload, ring, expected_kind="C").status is S.NOT_OURS


def test_other_site(tmp_path: Path, ring: KeyRing) -> None:
    other_dir = tmp_path / "other"
    generate_site_key(other_dir, "AURILLAC")
    other = load_signer(other_dir)
    code = sign_code("A", "AURILLAC", "AURILLAC-2026-000001", DEPOSIT, other)
    assert verify(code, ring).status is S.UNKNOWN_KEY
    both = ring.merged(KeyRing.from_pem_bundle(export_public_keys(other_dir)))
    result = verify(code, both, site="CANTAL")
    assert result.ok and result.other_site and result.site == "AURILLAC"
    assert "code d'un autre site" in result.message
    assert not verify(code, both, site="AURILLAC").other_site


def test_key_used_for_another_site_is_forged(signer: Signer, ring: KeyRing) -> None:
    """A CANTAL key cannot vouch for an AURILLAC code, even with a valid signature."""
    liar = Signer(signer.key_id, "AURILLAC", signer.private_key)
    code = sign_code("A", "AURILLAC", "AURILLAC-2026-000001", DEPOSIT, liar)
    assert verify(code, ring).status is S.FORGED


def test_not_ours_messages(ring: KeyRing) -> None:
    assert verify("", ring).message == "Aucun code lu"
    assert verify("  \r\n", ring).status is S.NOT_OURS
    result = verify("https://example.org/?q=1", ring)
    assert result.status is S.NOT_OURS
    assert result.message == "Ce code n'est pas une attestation rdv-desktop"
    assert result.reference is None


def _check_total(result: Verification) -> None:
    assert isinstance(result, Verification)
    assert result.status in (S.NOT_OURS, S.FORGED, S.UNKNOWN_KEY)
    assert result.message


@settings(max_examples=300)
@given(st.text())
def test_random_text_never_raises(text: str) -> None:
    _check_total(verify(text, KeyRing()))


@settings(max_examples=300)
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(data: bytes) -> None:
    _check_total(verify(data.decode("latin-1"), KeyRing()))


@given(st.from_regex(
    r"RDV1:[AC]:[A-Z2-7]{8}:[A-Z0-9-]{1,16}:[A-Z0-9-]{1,32}:[0-9]{12}:[A-Z2-7]{103}",
    fullmatch=True,
))
def test_lookalike_codes(text: str) -> None:
    _check_total(verify(text, KeyRing(), expected_kind=None))


@given(st.data())
def test_damaged_real_code_never_authentic(data: st.DataObject) -> None:
    signer = _fresh_signer()
    pem = public_key_pem(signer.public_key)
    ring = KeyRing.from_records([(signer.key_id, pem, "CANTAL", None)])
    code = sign_code("A", "CANTAL", REFERENCE, DEPOSIT, signer)
    start = data.draw(st.integers(0, len(code)))
    end = data.draw(st.integers(start, len(code)))
    insert = data.draw(st.text(max_size=5))
    damaged = code[:start] + insert + code[end:]
    result = verify(damaged, ring)
    if result.status is S.AUTHENTIC:
        # Only whitespace or a keyboard mangling may be forgiven, never a real change.
        assert code in candidates(damaged)
    assert result.message
