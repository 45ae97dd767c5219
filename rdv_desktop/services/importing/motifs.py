"""Recognising a source's motif label in the current catalogue, tolerantly.

A label matches a motif when their folded forms are equal (case, accents, punctuation and
spacing ignored), or when the source gives the motif's code itself (« AES_VPF », « aes vpf »).
Anything else is kept as it was written and flagged « motif à confirmer » for the counter.
"""

from __future__ import annotations

from collections.abc import Sequence

from .folding import fold


class MotifMatcher:
    def __init__(self, motifs: Sequence[tuple[str, str]]) -> None:
        """`motifs`: the (code, label) pairs of the current catalogue."""
        self._by_folded: dict[str, str] = {}
        for code, label in motifs:
            self._by_folded.setdefault(fold(label), code)
        for code, _ in motifs:
            self._by_folded.setdefault(fold(code), code)

    def match(self, label: str) -> str | None:
        folded = fold(label)
        return self._by_folded.get(folded) if folded else None
