"""The signed code printed as a QR on attestations (kind A) and convocations (kind C).

Format (see docs/receipt-format.md, which a third party must be able to follow alone):

    RDV1:{kind}:{key_id}:{site}:{reference}:{YYYYMMDDHHMM}:{signature}

The signature is Ed25519 over the ASCII bytes of everything before the last `:` (that colon
excluded), written in RFC 4648 base32 without `=` padding. Every character is in the QR
alphanumeric set, so the QR stays compact and a keyboard can only mangle it in known ways.
No personal data goes in: only opaque references.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Protocol
from zoneinfo import ZoneInfo

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

__all__ = [
    "KINDS",
    "KIND_ATTESTATION",
    "KIND_CONVOCATION",
    "PREFIX",
    "CodeFormatError",
    "CodeSigner",
    "SignedCode",
    "b32_decode",
    "b32_encode",
    "key_id_for",
    "paris_tz",
    "parse_code",
    "short_code",
    "sign_code",
]

PREFIX = "RDV1"
KIND_ATTESTATION = "A"
KIND_CONVOCATION = "C"
KINDS = (KIND_ATTESTATION, KIND_CONVOCATION)

SIGNATURE_LEN = 64
KEY_ID_LEN = 8

_KEY_ID_RE = re.compile(r"[A-Z2-7]{8}")
_SITE_RE = re.compile(r"[A-Z0-9-]{1,16}")
_REFERENCE_RE = re.compile(r"[A-Z0-9-]{1,32}")
_TIMESTAMP_RE = re.compile(r"[0-9]{12}")
_SIGNATURE_RE = re.compile(r"[A-Z2-7]{103}")
_TIMESTAMP_FORMAT = "%Y%m%d%H%M"


class CodeFormatError(ValueError):
    """The text is not a well-formed signed code; `reason` says which rule it broke (English)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class CodeSigner(Protocol):
    """What `sign_code` needs from a key: its id, its site and a raw Ed25519 signature."""

    @property
    def key_id(self) -> str: ...

    @property
    def site(self) -> str: ...

    def sign(self, data: bytes) -> bytes: ...


@cache
def paris_tz() -> ZoneInfo:
    """Europe/Paris, loaded lazily so importing this module never needs the tz database."""
    return ZoneInfo("Europe/Paris")


def b32_encode(data: bytes) -> str:
    """RFC 4648 base32 (A-Z, 2-7) without `=` padding."""
    return base64.b32encode(data).decode("ascii").rstrip("=")


def b32_decode(text: str, size: int) -> bytes:
    """Strict inverse of `b32_encode`: exact length, canonical (unused low bits are zero).

    Canonicity matters: otherwise several spellings of the last character would decode to the
    same signature, and an altered code could still verify.
    """
    expected_len = -(-size * 8 // 5)
    if len(text) != expected_len or not re.fullmatch(r"[A-Z2-7]*", text):
        raise CodeFormatError("bad base32")
    data = base64.b32decode(text + "=" * (-len(text) % 8))
    if len(data) != size or b32_encode(data) != text:
        raise CodeFormatError("non-canonical base32")
    return data


def key_id_for(public_key: Ed25519PublicKey) -> str:
    """Key id: first 8 base32 characters of SHA-256 over the raw 32-byte public key."""
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return b32_encode(hashlib.sha256(raw).digest())[:KEY_ID_LEN]


@dataclass(frozen=True)
class SignedCode:
    """A parsed code. `timestamp` is Europe/Paris wall-clock time (aware), minute precision."""

    kind: str
    key_id: str
    site: str
    reference: str
    timestamp: datetime
    signature: bytes

    @property
    def signed_text(self) -> str:
        """The exact text whose ASCII bytes are signed (no trailing colon)."""
        stamp = _format_timestamp(self.timestamp)
        return f"{PREFIX}:{self.kind}:{self.key_id}:{self.site}:{self.reference}:{stamp}"

    @property
    def signed_bytes(self) -> bytes:
        return self.signed_text.encode("ascii")

    @property
    def payload(self) -> str:
        """The full code, as put in the QR."""
        return f"{self.signed_text}:{b32_encode(self.signature)}"

    @property
    def short_code(self) -> str:
        """Human-readable code printed under the QR, for reading over the phone."""
        return f"{self.reference} · {self.key_id} · {b32_encode(self.signature)[:8]}"


def _format_timestamp(when: datetime) -> str:
    """YYYYMMDDHHMM in Europe/Paris; a naive datetime is taken as already Paris time."""
    if when.tzinfo is not None:
        when = when.astimezone(paris_tz())
    return f"{when.year:04d}{when.month:02d}{when.day:02d}{when.hour:02d}{when.minute:02d}"


def _check(pattern: re.Pattern[str], value: str, what: str) -> None:
    if not pattern.fullmatch(value):
        raise ValueError(f"invalid {what} for a signed code: {value!r}")


def sign_code(kind: str, site: str, reference: str, when: datetime, signer: CodeSigner) -> str:
    """Build and sign a code. Raises ValueError on a field outside the grammar.

    `when` is the deposit time (A) or the appointment slot (C); aware datetimes are converted
    to Europe/Paris, naive ones are taken as Paris wall-clock time. Seconds are dropped.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown code kind: {kind!r}")
    _check(_SITE_RE, site, "site")
    _check(_REFERENCE_RE, reference, "reference")
    _check(_KEY_ID_RE, signer.key_id, "key id")
    if site != signer.site:
        raise ValueError(f"key {signer.key_id} belongs to site {signer.site}, not {site}")
    stamp = _format_timestamp(when)
    signed_text = f"{PREFIX}:{kind}:{signer.key_id}:{site}:{reference}:{stamp}"
    signature = signer.sign(signed_text.encode("ascii"))
    if len(signature) != SIGNATURE_LEN:
        raise ValueError("signer did not return a 64-byte Ed25519 signature")
    return f"{signed_text}:{b32_encode(signature)}"


def parse_code(text: str) -> SignedCode:
    """Parse a code strictly; any deviation raises CodeFormatError. Does not verify."""
    if not text.isascii():
        raise CodeFormatError("not ASCII")
    parts = text.split(":")
    if len(parts) != 7:
        raise CodeFormatError("wrong number of fields")
    prefix, kind, key_id, site, reference, stamp, signature_b32 = parts
    if prefix != PREFIX:
        raise CodeFormatError("wrong prefix")
    if kind not in KINDS:
        raise CodeFormatError("unknown kind")
    for pattern, value, what in (
        (_KEY_ID_RE, key_id, "bad key id"),
        (_SITE_RE, site, "bad site"),
        (_REFERENCE_RE, reference, "bad reference"),
        (_TIMESTAMP_RE, stamp, "bad timestamp"),
        (_SIGNATURE_RE, signature_b32, "bad signature encoding"),
    ):
        if not pattern.fullmatch(value):
            raise CodeFormatError(what)
    try:
        naive = datetime.strptime(stamp, _TIMESTAMP_FORMAT)
    except ValueError:
        raise CodeFormatError("impossible date") from None
    if _format_timestamp(naive) != stamp:
        raise CodeFormatError("impossible date")
    signature = b32_decode(signature_b32, SIGNATURE_LEN)
    return SignedCode(
        kind=kind,
        key_id=key_id,
        site=site,
        reference=reference,
        timestamp=naive.replace(tzinfo=paris_tz()),
        signature=signature,
    )


def short_code(code: SignedCode | str) -> str:
    """`CANTAL-2026-000123 · K7Q2M4PX · ABCDEFGH` (reference, key id, signature start)."""
    parsed = parse_code(code) if isinstance(code, str) else code
    return parsed.short_code
