"""The worked example of docs/receipt-format.md must stay true: re-derive and re-verify it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from rdv_desktop.services.signing.signed_code import key_id_for, parse_code, sign_code
from rdv_desktop.services.signing.signer import KeyRing, Signer, public_key_pem
from rdv_desktop.services.signing.verifier import VerificationStatus, verify

DOC = Path(__file__).resolve().parents[2] / "docs" / "receipt-format.md"


def _example() -> str:
    text = DOC.read_text(encoding="utf-8")
    return text[text.index("## Worked example") :]


def _one(pattern: str, text: str, flags: int = 0) -> str:
    found = re.findall(pattern, text, flags=flags)
    assert len(set(found)) == 1, (pattern, found)
    return found[0]


def test_doc_example_is_our_output() -> None:
    example = _example()
    seed = _one(r"test private key seed \(hex\): ([0-9a-f]{64})", example)
    pem = _one(r"(-----BEGIN PUBLIC KEY-----\n\S+\n-----END PUBLIC KEY-----\n)", example)
    payload = _one(r"^(RDV1:[A-Z0-9:-]+)$", example, re.M)
    key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(seed))
    assert public_key_pem(key.public_key()) == pem
    key_id = key_id_for(key.public_key())
    assert _one(r"key id: +([A-Z2-7]{8})", example) == key_id

    ring = KeyRing.from_records([(key_id, pem, "CANTAL", None)])
    result = verify(payload, ring)
    assert result.status is VerificationStatus.AUTHENTIC, result.message

    code = parse_code(payload)
    signer = Signer(key_id, code.site, key)
    assert sign_code(code.kind, code.site, code.reference, code.timestamp, signer) == payload
    assert _one(r"signed hex: +([0-9a-f]+)", example) == code.signed_bytes.hex()
    assert _one(r"signature: +([0-9a-f]{128})", example) == code.signature.hex()
    assert _one(r"signed text: +(\S+)", example) == code.signed_text
    assert _one(r"short code: +(.+)", example).strip() == code.short_code


def test_doc_snippet_runs_with_cryptography_only(tmp_path: Path) -> None:
    snippet = _one(r"```python\n(.*?)```", _example(), re.S)
    assert "rdv_desktop" not in snippet
    assert len(snippet.strip().splitlines()) <= 13
    script = tmp_path / "check.py"
    script.write_text(snippet, encoding="utf-8")
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         cwd=tmp_path, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "authentique"

    payload = _one(r'code = "(RDV1:[^"]+)"', snippet)
    altered = payload.replace("000123", "000124")
    script.write_text(snippet.replace(payload, altered), encoding="utf-8")
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         cwd=tmp_path, timeout=60)
    assert run.returncode != 0 and "InvalidSignature" in run.stderr
