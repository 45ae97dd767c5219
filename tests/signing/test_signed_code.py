"""Format of the signed code: grammar, strict parsing, no personal data."""

from __future__ import annotations

import re
import string
from datetime import UTC, datetime

import pytest

from rdv_desktop.services.signing.signed_code import (
    CodeFormatError,
    b32_decode,
    b32_encode,
    key_id_for,
    parse_code,
    short_code,
    sign_code,
)
from rdv_desktop.services.signing.signer import Signer

DEPOSIT = datetime(2026, 11, 26, 14, 32)
REFERENCE = "CANTAL-2026-000123"

QR_ALPHANUMERIC = set(string.digits + string.ascii_uppercase + " $%*+-./:")


def test_shape(payload: str, signer: Signer) -> None:
    fields = payload.split(":")
    assert fields[:6] == ["RDV1", "A", signer.key_id, "CANTAL", REFERENCE, "202611261432"]
    assert len(fields[6]) == 103
    assert re.fullmatch(r"[A-Z2-7]{8}", signer.key_id)
    assert set(payload) <= QR_ALPHANUMERIC
    assert payload.isascii()


def test_parse_round_trip(payload: str, signer: Signer) -> None:
    code = parse_code(payload)
    assert code.payload == payload
    assert code.signed_text == payload.rpartition(":")[0]
    assert code.timestamp.replace(tzinfo=None) == DEPOSIT
    assert code.timestamp.utcoffset() is not None
    assert code.key_id == key_id_for(signer.public_key)
    assert short_code(payload) == f"{REFERENCE} · {signer.key_id} · {payload.split(':')[6][:8]}"


def test_aware_time_is_written_in_paris_time(signer: Signer) -> None:
    code = sign_code("C", "CANTAL", "RDV-X7", datetime(2026, 7, 1, 7, 5, tzinfo=UTC), signer)
    assert ":202607010905:" in code  # UTC+2 in summer


def test_deterministic(signer: Signer) -> None:
    """Ed25519 is deterministic: a reprint of the attestation carries the same code."""
    assert sign_code("A", "CANTAL", REFERENCE, DEPOSIT, signer) == sign_code(
        "A", "CANTAL", REFERENCE, DEPOSIT, signer
    )


@pytest.mark.parametrize(
    ("kind", "site", "reference"),
    [
        ("B", "CANTAL", REFERENCE),
        ("A", "cantal", REFERENCE),
        ("A", "CANTAL", "cantal-1"),
        ("A", "CANTAL", "A:B"),
        ("A", "CANTAL", "X" * 33),
        ("A", "", REFERENCE),
        ("A", "PUY-DE-DOME", REFERENCE),  # the key belongs to CANTAL
    ],
)
def test_sign_refuses_bad_fields(kind: str, site: str, reference: str, signer: Signer) -> None:
    with pytest.raises(ValueError):
        sign_code(kind, site, reference, DEPOSIT, signer)


def test_no_personal_data(signer: Signer) -> None:
    person = {
        "nom": "DUPONT",
        "prenom": "AMINATA",
        "naissance": datetime(1990, 3, 14),
        "nationalite": "SENEGALAISE",
        "motif": "ETRANGER MALADE",
        "numero_etranger": "7501234567",
    }
    code = sign_code("A", "CANTAL", REFERENCE, DEPOSIT, signer)
    needles = [
        person["nom"], person["prenom"], person["nationalite"], person["numero_etranger"],
        "MALADE", "19900314", "14031990", "140390", "1990-03-14", "14/03/1990",
    ]
    for needle in needles:
        assert needle not in code.upper(), needle
    # Only the opaque fields of the grammar: nothing else can sneak in.
    assert len(code.split(":")) == 7


@pytest.mark.parametrize(
    "mutate",
    [
        lambda p: p.replace("RDV1", "RDV2"),
        lambda p: p.lower(),
        lambda p: p[:-1],
        lambda p: p + "A",
        lambda p: p + ":",
        lambda p: p.replace(":202611261432:", ":202613261432:"),
        lambda p: p.replace(":202611261432:", ":202611262460:"),
        lambda p: p.replace(":CANTAL:", "::"),
        lambda p: p.replace(":A:", ":X:"),
        lambda p: " " + p,
        lambda p: p.replace("CANTAL-2026", "CANTAL.2026"),
        lambda p: p.replace(":202611261432:", ":２０２６11261432:"),
    ],
)
def test_parse_is_strict(payload: str, mutate) -> None:
    with pytest.raises(CodeFormatError):
        parse_code(mutate(payload))


def test_base32_canonical() -> None:
    signature = bytes(range(64))
    text = b32_encode(signature)
    assert len(text) == 103 and "=" not in text
    assert b32_decode(text, 64) == signature
    last = text[-1]
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    sibling = alphabet[alphabet.index(last) ^ 1]  # differs only in an unused low bit
    with pytest.raises(CodeFormatError):
        b32_decode(text[:-1] + sibling, 64)
