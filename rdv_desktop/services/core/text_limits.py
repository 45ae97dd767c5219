"""How long a typed text may be, checked in the services before anything is written.

Names, notes and reasons come from people and from public online booking: a 10,000-character
reason must be refused with a French sentence, not reach an INSERT (on PostgreSQL a raw English
`DataError`) or a renderer (a minute to lay out). The widgets cap what they can, but the rule lives
here, so every caller (the window, `rdv-admin`, an import) meets the same limit.
"""

from __future__ import annotations

import re

from ...errors import ValidationError

REASON_MAX = 500  # why a step is undone, cancelled, revoked
COMMENT_MAX = 1000  # a review comment
NOTE_MAX = 300  # a note beside a piece
LABEL_MAX = 300  # a catalogue or counter label
SEARCH_MAX = 200  # what is typed in a search field
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def checked_text(label: str, value: str, limit: int, *, lines: bool = False) -> str:
    """`value` stripped, or a French refusal naming the field: too long, or holding a control
    character (a new line only where `lines`)."""
    text = value.strip()
    if len(text) > limit:
        raise ValidationError(f"{label} : {limit} caractères au plus ({len(text)} saisis).")
    if (_CONTROL_BUT_LINES if lines else _CONTROL).search(text if lines else value):
        raise ValidationError(f"{label} : caractère de contrôle refusé.")
    return text
