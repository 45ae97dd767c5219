"""The one verifier for scanned or typed signed codes (attestations and convocations).

It never raises on any input text: the counter must always get a French sentence back. Every
keyboard-mangling hypothesis from `scan_input.candidates` is tried; the most conclusive outcome
wins (authentic > forged > unknown key > not ours).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import Enum
from typing import TypedDict

from cryptography.exceptions import InvalidSignature

from rdv_desktop.services.desk.scan_input import candidates
from rdv_desktop.services.signing.signed_code import (
    KIND_ATTESTATION,
    KIND_CONVOCATION,
    CodeFormatError,
    SignedCode,
    paris_tz,
    parse_code,
)
from rdv_desktop.services.signing.signer import KeyRing, PublicKeyEntry

__all__ = [
    "ONLY_SIGNATURE", "Holder", "Verification", "VerificationStatus", "key_state_refusal",
    "revoked_message", "verify",
]


class VerificationStatus(Enum):
    AUTHENTIC = "authentic"
    REVOKED = "revoked"
    NO_RECORD = "no_record"  # valid signature, but not the code stored for any record
    RETIRED_KEY = "retired_key"  # valid signature by a key retired before the code's date
    COMPROMISED_KEY = "compromised_key"  # valid signature by a key declared compromised
    FORGED = "forged"  # our format, known key, but the signature does not match
    UNKNOWN_KEY = "unknown_key"  # our format, key id not in the ring
    NOT_OURS = "not_ours"  # anything else, including the wrong kind of code


@dataclass(frozen=True)
class Holder:
    """Whose paper it is, from the record, so the agent can compare it with the paper shown."""

    name: str
    birth_date: date | None
    motif: str
    when: datetime  # deposit (attestation) or slot (convocation)

    def lines(self, kind: str) -> tuple[str, ...]:
        born = f"{self.birth_date:%d/%m/%Y}" if self.birth_date else "non renseignée"
        local = self.when.astimezone(paris_tz())
        what = "Déposé le" if kind == KIND_ATTESTATION else "Rendez-vous le"
        return (f"Titulaire : {self.name}", f"Date de naissance : {born}",
                f"Motif : {self.motif}", f"{what} {local:%d/%m/%Y à %H:%M}")


@dataclass(frozen=True)
class Verification:
    """Outcome of `verify`; the parsed fields are filled whenever the text parsed.

    `record_checked` says whether the code was compared with the database's record (the only
    way to know it is the code issued for a real, still valid dossier or appointment); `holder`
    is that record's person; `refusal` a machine-readable reason for NO_RECORD and the key
    states (the UI and the audit use it, never the scanned text).
    """

    status: VerificationStatus
    message: str
    kind: str | None = None
    key_id: str | None = None
    site: str | None = None
    reference: str | None = None
    timestamp: datetime | None = None
    other_site: bool = False  # authentic, but signed for another site than `site=`
    payload: str | None = None  # the normalised text that parsed (after undoing the keyboard)
    record_checked: bool = False
    holder: Holder | None = None
    refusal: str | None = None

    @property
    def ok(self) -> bool:
        """Authentic and not revoked: the only state where the counter may accept the code."""
        return self.status is VerificationStatus.AUTHENTIC

    @property
    def details(self) -> tuple[str, ...]:
        """The lines shown under the verdict: the holder, or what was not checked."""
        if self.holder is not None and self.kind is not None:
            return (*self.holder.lines(self.kind), "Comparez avec le document présenté.")
        if self.ok and not self.record_checked:
            return (ONLY_SIGNATURE,)
        return ()


ONLY_SIGNATURE = ("Seule la signature a été vérifiée : ni l'existence du dossier, ni sa "
                  "révocation, ni son titulaire ne l'ont été.")


_NOUN = {KIND_ATTESTATION: "une attestation", KIND_CONVOCATION: "un code de convocation"}
_RANK = {
    VerificationStatus.AUTHENTIC: 0,
    VerificationStatus.RETIRED_KEY: 0,
    VerificationStatus.COMPROMISED_KEY: 0,
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
    withdrawn = key_state_refusal(payload, entry)
    if withdrawn is not None:
        return withdrawn, code
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


def revoked_message(result: Verification) -> str:
    """The « révoqué » sentence for an authentic code of a revoked dossier or appointment."""
    assert result.payload is not None
    return _revoked_message(parse_code(result.payload))


def key_state_refusal(payload: str, entry: PublicKeyEntry) -> Verification | None:
    """The refusal a validly signed code gets from its key's state, if any: a compromised key
    vouches for nothing; a retired key for no deposit dated after its retirement (the date of
    a convocation is its slot, not its signing: `records` checks those)."""
    code = parse_code(payload)
    fields = _fields(code, payload)
    if entry.compromised_at is not None:
        message = (f"Clé de signature {code.key_id} compromise (déclarée le "
                   f"{entry.compromised_at.astimezone(paris_tz()):%d/%m/%Y}) : ce code n'est "
                   "plus valable, le document doit être réémis")
        return Verification(VerificationStatus.COMPROMISED_KEY, message,
                            refusal="compromised_key", **fields)
    if (code.kind == KIND_ATTESTATION and entry.retired_at is not None
            and code.timestamp > entry.retired_at):
        message = (f"Clé de signature {code.key_id} retirée le "
                   f"{entry.retired_at.astimezone(paris_tz()):%d/%m/%Y à %H:%M} : elle n'a "
                   f"pas pu signer un dépôt daté {_when(code)}")
        return Verification(VerificationStatus.RETIRED_KEY, message,
                            refusal="retired_key", **fields)
    return None
