"""Folding text for tolerant comparison: header names, motif labels, names in derived keys."""

from __future__ import annotations

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Casefold, strip accents, turn every run of punctuation or spaces into one space.

    « Admission exceptionnelle au séjour – VPF » and « admission exceptionnelle au sejour - vpf »
    fold to the same string; so do « Prénom(s) » and « prenom s ».
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = bare.replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    return _NOT_ALNUM.sub(" ", bare).strip()


def clean(text: str) -> str:
    """One line of printable text: control characters dropped, whitespace collapsed."""
    return _SPACES.sub(" ", _CONTROL.sub("", text)).strip()
