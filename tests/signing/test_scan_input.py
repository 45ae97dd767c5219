"""Scan normaliser: an independent scanner model must always be undone by `candidates`.

The model below is written from physical key names (USB HID style), not from the production
inverse tables, so these tests compare two separate descriptions of the keyboards.
"""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rdv_desktop.services.desk.scan_input import candidates, normalise_reference
from rdv_desktop.services.signing.signer import KeyRing
from rdv_desktop.services.signing.verifier import VerificationStatus, verify

QR_ALPHANUMERIC = string.digits + string.ascii_uppercase + " $%*+-./:"

# What the scanner presses for each character, with a US QWERTY layout in mind.
_US_PRESS: dict[str, tuple[str, bool]] = {
    **{d: (f"Digit{d}", False) for d in string.digits},
    **{c: (f"Key{c}", True) for c in string.ascii_uppercase},
    " ": ("Space", False),
    "$": ("Digit4", True),
    "%": ("Digit5", True),
    "*": ("Digit8", True),
    "+": ("Equal", True),
    "-": ("Minus", False),
    ".": ("Period", False),
    "/": ("Slash", False),
    ":": ("Semicolon", True),
}

# What a French AZERTY PC prints for those physical keys: (no shift, shift).
_FR_KEYS: dict[str, tuple[str, str]] = {
    "Digit1": ("&", "1"), "Digit2": ("é", "2"), "Digit3": ('"', "3"), "Digit4": ("'", "4"),
    "Digit5": ("(", "5"), "Digit6": ("-", "6"), "Digit7": ("è", "7"), "Digit8": ("_", "8"),
    "Digit9": ("ç", "9"), "Digit0": ("à", "0"),
    **{f"Key{c}": (c.lower(), c) for c in string.ascii_uppercase},
    "KeyQ": ("a", "A"), "KeyA": ("q", "Q"), "KeyW": ("z", "Z"), "KeyZ": ("w", "W"),
    "KeyM": (",", "?"), "Semicolon": ("m", "M"),
    "Space": (" ", " "), "Equal": ("=", "+"), "Minus": (")", "°"),
    "Period": (":", "/"), "Slash": ("!", "§"),
}


def capslock(text: str) -> str:
    """Scanner on a QWERTY PC with Caps Lock on: shift+letter gives lower case."""
    return "".join(c.lower() if c.isupper() else c for c in text)


def azerty_mangle(text: str) -> str:
    """Scanner set for US QWERTY, plugged into a French AZERTY PC."""
    out = []
    for char in text:
        key, shift = _US_PRESS[char]
        out.append(_FR_KEYS[key][1 if shift else 0])
    return "".join(out)


def azerty_mangle_with_capslock(text: str, system: str) -> str:
    """Same, with Caps Lock on; `system` is "windows" (digit row shift-locked) or "linux"."""
    out = []
    for char in text:
        key, shift = _US_PRESS[char]
        normal, shifted = _FR_KEYS[key]
        letter_key = normal in string.ascii_lowercase
        if letter_key or (system == "windows" and key.startswith("Digit")):
            shift = not shift
        elif system == "linux" and key.startswith("Digit") and not shift:
            out.append(normal.upper())  # é è ç à -> É È Ç À; & " ' ( - _ unchanged
            continue
        out.append(shifted if shift else normal)
    return "".join(out)


qr_text = st.text(alphabet=QR_ALPHANUMERIC, max_size=200)


def test_model_really_mangles() -> None:
    """Guards the model itself: if it were the identity the properties would prove nothing."""
    assert azerty_mangle("RDV1:A-Q.W/M") == "RDV&MQ)A:Z!?"
    assert capslock("RDV1:A") == "rdv1:a"
    assert azerty_mangle_with_capslock("A12$", "windows") == "q12'"
    assert azerty_mangle_with_capslock("A12$", "linux") == "q&É4"


@given(qr_text)
def test_capslock_undone(s: str) -> None:
    assert s in candidates(capslock(s))


@given(qr_text)
def test_azerty_undone(s: str) -> None:
    assert s in candidates(azerty_mangle(s))


@given(qr_text, st.sampled_from(["windows", "linux"]))
def test_azerty_with_capslock_undone(s: str, system: str) -> None:
    assert s in candidates(azerty_mangle_with_capslock(s, system))


@given(qr_text)
def test_plain_text_first(s: str) -> None:
    assert candidates(s)[0] == s.strip()


def test_whitespace_and_order() -> None:
    found = candidates("\t RDV1:A \r\n")
    assert found[0] == "RDV1:A"
    assert len(found) == len(set(found))


def test_normalise_reference() -> None:
    assert normalise_reference("  ab-12\r\n") == "AB-12"


@pytest.mark.parametrize(
    "mangle",
    [
        lambda p: p,
        capslock,
        azerty_mangle,
        lambda p: azerty_mangle_with_capslock(p, "windows"),
        lambda p: azerty_mangle_with_capslock(p, "linux"),
        lambda p: f"  \t{azerty_mangle(p)}\r\n",
        lambda p: f"\n{p} ",
    ],
)
def test_mangled_payload_verifies(payload: str, ring: KeyRing, mangle) -> None:
    typed = mangle(payload)
    result = verify(typed, ring)
    assert result.status is VerificationStatus.AUTHENTIC, (typed, result.message)
    assert result.payload == payload
