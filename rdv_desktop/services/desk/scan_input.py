"""Undo what keyboards do to a scanned code before we try to read it.

A USB barcode scanner is a keyboard: it sends *physical key presses* for a US QWERTY layout. On a
French AZERTY PC those presses come out as other characters (`&é"'(` for `12345`), and if Caps
Lock is on, shift is inverted on some keys. Our payloads only use the QR alphanumeric set, so each
mangling is a bijection we can invert character by character. `candidates` returns every
plausible intended text; the caller (verifier, arrival desk) tries them in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

__all__ = ["KeyBurst", "candidates", "normalise_reference"]


@dataclass(frozen=True)
class _Key:
    """One physical key: what US QWERTY and French AZERTY print on it, unshifted and shifted.

    `None` means the key produces nothing usable in that state (dead key or no symbol).
    """

    us: str
    us_shift: str
    fr: str | None
    fr_shift: str | None


def _row(us: str, us_shift: str, fr: str, fr_shift: str) -> list[_Key]:
    """Build a row of keys from four equally long strings; `\\0` marks 'nothing usable'."""
    assert len(us) == len(us_shift) == len(fr) == len(fr_shift)
    return [
        _Key(a, b, None if c == "\0" else c, None if d == "\0" else d)
        for a, b, c, d in zip(us, us_shift, fr, fr_shift, strict=True)
    ]


# Physical keys, left to right, row by row (ANSI keys that also exist on the ISO AZERTY board).
# `[`/`{` is the AZERTY dead circumflex/diaeresis key: it types nothing by itself, so `\0`.
# The ANSI backslash key sits where AZERTY has `*`/`µ`.
_KEYS: list[_Key] = [
    *_row("`1234567890-=", "~!@#$%^&*()_+", "²&é\"'(-è_çà)=", "\x001234567890°+"),
    *_row("qwertyuiop[]\\", "QWERTYUIOP{}|", "azertyuiop\x00$*", "AZERTYUIOP\x00£µ"),
    *_row("asdfghjkl;'", "ASDFGHJKL:\"", "qsdfghjklmù", "QSDFGHJKLM%"),
    *_row("zxcvbnm,./", "ZXCVBNM<>?", "wxcvbn,;:!", "WXCVBN?./§"),
    *_row(" ", " ", " ", " "),
]


class _Caps(Enum):
    """How Caps Lock changes the French layout on each operating system."""

    OFF = "off"
    # Windows KBDFR: Caps Lock acts as shift on letter keys AND on the digit row (é → 2).
    WINDOWS = "windows"
    # Linux xkb fr: Caps Lock only affects letters; é è ç à become É È Ç À, shift still gives 2.
    LINUX = "linux"


def _fr_output(key: _Key, shift: bool, caps: _Caps) -> str | None:
    """The character AZERTY prints for a press of `key` with `shift`, under `caps`."""
    is_letter = key.fr is not None and key.fr.isascii() and key.fr.isalpha()
    is_digit_row = key.fr_shift is not None and key.fr_shift.isdigit()
    if (caps is not _Caps.OFF and is_letter) or (caps is _Caps.WINDOWS and is_digit_row):
        shift = not shift
    elif caps is _Caps.LINUX and not shift and key.fr is not None and key.fr.upper() != key.fr:
        return key.fr.upper()
    return key.fr_shift if shift else key.fr


def _inverse_table(caps: _Caps) -> dict[str, str]:
    """Map each character the AZERTY PC shows back to the character the scanner meant."""
    table: dict[str, str] = {}
    for key in _KEYS:
        for intended, shift in ((key.us, False), (key.us_shift, True)):
            shown = _fr_output(key, shift, caps)
            if shown is None:
                continue
            if table.get(shown, intended) != intended:
                raise AssertionError(f"ambiguous AZERTY mapping for {shown!r}")
            table[shown] = intended
    return table


_AZERTY_INVERSES: list[dict[int, str]] = [
    str.maketrans(_inverse_table(caps)) for caps in (_Caps.OFF, _Caps.WINDOWS, _Caps.LINUX)
]


def _variants(text: str) -> list[str]:
    """The text itself, Caps Lock undone, then each AZERTY hypothesis undone."""
    return [text, text.swapcase(), *(text.translate(table) for table in _AZERTY_INVERSES)]


def candidates(raw: str) -> list[str]:
    """Plausible intended texts of a scanned or typed string, most likely first, no duplicates.

    Order: stripped; stripped with Caps Lock undone; stripped with the QWERTY-scanner-on-AZERTY
    mangling undone (Caps Lock off, Caps Lock on Windows, Caps Lock on Linux); then the same on the
    unstripped text, in case the surrounding spaces were meant.
    """
    stripped = raw.strip(" \t\r\n\v\f")
    seen: dict[str, None] = {}
    for base in (stripped, raw):
        for text in _variants(base):
            seen.setdefault(text, None)
    return list(seen)


def normalise_reference(text: str) -> str:
    """A booking reference as typed or scanned: surrounding whitespace removed, upper case."""
    return text.strip().upper()


SCANNER_GAP_MS = 50.0  # a keyboard-wedge scanner types a key every 1-20 ms; people rarely < 60
MIN_SCAN_CHARS = 6  # the shortest code a convocation carries is a booking reference


class KeyBurst:
    """The characters typed since the last pause, and whether they came from a scanner.

    A keyboard-wedge scanner is a keyboard: the only way to tell it from a person is timing.
    Every key arrives within `gap_ms` of the previous one, at least `min_chars` of them, and
    Return follows as fast. The caller passes a monotonic time in milliseconds with each key.
    """

    def __init__(self, gap_ms: float = SCANNER_GAP_MS, min_chars: int = MIN_SCAN_CHARS) -> None:
        self.gap_ms = gap_ms
        self.min_chars = min_chars
        self._chars: list[str] = []
        self._last_at: float | None = None

    @property
    def text(self) -> str:
        return "".join(self._chars)

    def __len__(self) -> int:
        return len(self._chars)

    def fast(self, at_ms: float) -> bool:
        """True if a key at `at_ms` follows the previous one at scanner speed."""
        return self._last_at is not None and 0 <= at_ms - self._last_at <= self.gap_ms

    def add(self, chars: str, at_ms: float) -> bool:
        """Add a key; False (and nothing added) if it comes after a pause: the keys held so far
        were typed by a person and the caller must let them through before starting again."""
        if self._chars and not self.fast(at_ms):
            return False
        self._chars.append(chars)
        self._last_at = at_ms
        return True

    def is_scan(self, enter_at_ms: float) -> bool:
        """Return pressed at `enter_at_ms`: were the keys held a scanner's burst?"""
        return len(self._chars) >= self.min_chars and self.fast(enter_at_ms)

    def clear(self) -> None:
        self._chars.clear()
        self._last_at = None
