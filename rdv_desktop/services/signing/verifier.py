"""The one verifier for scanned or typed signed codes (attestations and convocations).

It never raises on any input text: the counter must always get a French sentence back. Every
keyboard-mangling hypothesis from `scan_input.candidates` is tried; the most conclusive outcome
wins (authentic > forged > unknown key > not ours).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum
from typing import TypedDict

from cryptography.exceptions import InvalidSignature

from rdv_desktop.services.desk.scan_input import candidates
from rdv_desktop.services.signing.signed_code import (
    KIND_ATTESTATION,
    KIND_CONVOCATION,
    CodeFormatError,
    SignedCode,
    parse_code,
)
from rdv_desktop.services.signing.signer import KeyRing

__all__ = ["Verification", "VerificationStatus", "verify"]


class VerificationStatus(Enum):
    AUTHENTIC = "authentic"
    REVOKED = "revoked"
    FORGED = "forged"  # our format, known key, but the signature does not match
    UNKNOWN_KEY = "unknown_key"  # our format, key id not in the ring
    NOT_OURS = "not_ours"  # anything else, including the wrong kind of code


@dataclass(frozen=True)
class Verification:
    """Outcome of `verify`; the parsed fields are filled whenever the text parsed."""

    status: VerificationStatus
    message: str
    kind: str | None = None
    key_id: str | None = None
    site: str | None = None
    reference: str | None = None
    timestamp: datetime | None = None
    other_site: bool = False  # authentic, but signed for another site than `site=`
    payload: str | None = None  # the normalised text that parsed (after undoing the keyboard)

    @property
    def ok(self) -> bool:
        """Authentic and not revoked: the only state where the counter may accept the code."""
        return self.status is VerificationStatus.AUTHENTIC


_NOUN = {KIND_ATTESTATION: "une attestation", KIND_CONVOCATION: "un code de convocation"}
_RANK = {
    VerificationStatus.AUTHENTIC: 0,
    VerificationStatus.FORGED: 1,
    VerificationStatus.UNKNOWN_KEY: 2,
    VerificationStatus.NOT_OURS: 3,
}


def _when(code: SignedCode) -> str:
    return code.timestamp.strftime("le %d/%m/%Y à %H:%M")


def _not_ours(expected_kind: str | None) -> Verification:
    noun = _NOUN.get(expected_kind or "", "un code")
    return Verification(VerificationStatus.NOT_OURS, f"Ce code n'est pas {noun} rdv-desktop")


class _CodeFields(TypedDict):
    """The parsed fields that every `Verification` of a parsed code carries."""

    kind: str
    key_id: str
    site: str
    reference: str
    timestamp: datetime
    payload: str


def _fields(code: SignedCode, payload: str) -> _CodeFields:
    return {
        "kind": code.kind,
        "key_id": code.key_id,
        "site": code.site,
        "reference": code.reference,
        "timestamp": code.timestamp,
        "payload": payload,
    }


def _authentic_message(code: SignedCode, other_site: bool) -> str:
    where = f"site {code.site}" + (", code d'un autre site" if other_site else "")
    if code.kind == KIND_ATTESTATION:
        what = f"Attestation authentique : dossier {code.reference} déposé"
    else:
        what = f"Code de convocation authentique : rendez-vous {code.reference}"
    return f"{what} {_when(code)} ({where})"


def _revoked_message(code: SignedCode) -> str:
    if code.kind == KIND_ATTESTATION:
        return (
            f"Attestation révoquée : dossier {code.reference} déposé {_when(code)} "
            f"(site {code.site}) — ce document n'est plus valable"
        )
    return (
        f"Code de convocation révoqué : rendez-vous {code.reference} {_when(code)} "
        f"(site {code.site}) — cette convocation n'est plus valable"
    )


def _check_one(
    payload: str, keyring: KeyRing, expected_kind: str | None, site: str | None
) -> tuple[Verification, SignedCode] | None:
    """Signature check of one candidate text; None if it is not even our format."""
    try:
        code = parse_code(payload)
    except CodeFormatError:
        return None
    fields = _fields(code, payload)
    if expected_kind is not None and code.kind != expected_kind:
        message = f"Ce code est {_NOUN[code.kind]}, pas {_NOUN.get(expected_kind, 'attendu')}"
        return Verification(VerificationStatus.NOT_OURS, message, **fields), code
    entry = keyring.get(code.key_id)
    if entry is None:
        message = f"Clé de signature inconnue ({code.key_id}) : impossible de vérifier ce code"
        return Verification(VerificationStatus.UNKNOWN_KEY, message, **fields), code
    try:
        entry.public_key.verify(code.signature, code.signed_bytes)
    except InvalidSignature:
        message = "Signature invalide : ce document a été modifié ou contrefait"
        return Verification(VerificationStatus.FORGED, message, **fields), code
    if entry.site != code.site:
        message = (
            f"Signature invalide : la clé {code.key_id} appartient au site {entry.site}, "
            f"pas au site {code.site}"
        )
        return Verification(VerificationStatus.FORGED, message, **fields), code
    other_site = site is not None and code.site != site
    message = _authentic_message(code, other_site)
    result = Verification(VerificationStatus.AUTHENTIC, message, other_site=other_site, **fields)
    return result, code


def verify(
    raw: str,
    keyring: KeyRing,
    *,
    is_revoked: Callable[[str], bool] | None = None,
    expected_kind: str | None = KIND_ATTESTATION,
    site: str | None = None,
) -> Verification:
    """Verify a scanned or typed code offline against `keyring`.

    `is_revoked(reference)` is asked only for an authentic code (the database knows
    revocations; its exceptions propagate, so a database outage is never reported as valid).
    `expected_kind` None accepts both kinds. `site` is the counter's own site, to flag codes
    from elsewhere (still authentic when the ring knows the key).
    """
    if not isinstance(raw, str) or not raw.strip():
        return replace(_not_ours(expected_kind), message="Aucun code lu")
    best: tuple[Verification, SignedCode] | None = None
    for text in candidates(raw):
        outcome = _check_one(text, keyring, expected_kind, site)
        if outcome is None:
            continue
        if best is None or _RANK[outcome[0].status] < _RANK[best[0].status]:
            best = outcome
    if best is None:
        return _not_ours(expected_kind)
    result, code = best
    authentic = result.status is VerificationStatus.AUTHENTIC
    if authentic and is_revoked is not None and is_revoked(code.reference):
        return replace(result, status=VerificationStatus.REVOKED, message=_revoked_message(code))
    return result
