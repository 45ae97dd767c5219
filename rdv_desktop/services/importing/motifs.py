"""Recognising a source's motif label in the current catalogue, tolerantly.

A label matches a motif when their folded forms are equal (case, accents, punctuation and
spacing ignored), or when the source gives the motif's code itself (« AES_VPF », « aes vpf »).
Anything else is kept as it was written and flagged « motif à confirmer » for the counter, and
so is a motif booked for a day after its end (L435-4 ends on 31 Dec 2026): the counter would
refuse the deposit under it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from .folding import fold


class MotifMatcher:
    def __init__(self, motifs: Sequence[tuple[str, str]],
                 ends: Mapping[str, date] | None = None) -> None:
        """`motifs`: the (code, label) pairs of the current catalogue; `ends`: the last day of
        the motifs that have one."""
        self._ends = dict(ends or {})
        self._by_folded: dict[str, str] = {}
        for code, label in motifs:
            self._by_folded.setdefault(fold(label), code)
        for code, _ in motifs:
            self._by_folded.setdefault(fold(code), code)

    def match(self, label: str, day: date | None = None) -> str | None:
        """The motif's code, or None (to confirm); with `day`, None for a motif ended by then."""
        folded = fold(label)
        code = self._by_folded.get(folded) if folded else None
        end = self._ends.get(code) if code else None
        return None if end is not None and day is not None and day > end else code
