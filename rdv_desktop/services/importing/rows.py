"""What every reader produces: one `ImportRow` per appointment, or a `RowProblem` for its line."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, time

from .folding import fold

# Statuses a source may carry (RDV Service Public's own values; see docs/import-formats.md).
STATUSES = ("unknown", "seen", "excused", "revoked", "noshow")
CANCELLING = frozenset({"excused", "revoked"})

# Appointment columns an import may fill, with their size limits in the database.
IDENTITY_LIMITS: dict[str, int] = {
    "family_name": 200,
    "given_names": 200,
    "birth_place": 200,
    "nationality": 100,
    "phone": 40,
    "email": 200,
    "foreign_number": 20,
}
REFERENCE_LIMIT = 64
ADULT_AGE = 18
MOTIF_LABEL_LIMIT = 300


@dataclass(frozen=True, slots=True)
class ImportRow:
    """One booked appointment read from a file; `line` is where it starts in the source.

    Slotted: an import holds every row of the file (200,000 of them must fit in ~300 MB)."""

    line: int
    reference: str
    derived_reference: bool
    family_name: str
    given_names: str
    slot_date: date
    slot_time: time
    birth_date: date | None = None
    birth_place: str = ""
    nationality: str = ""
    phone: str = ""
    email: str = ""
    foreign_number: str = ""
    motif_label: str = ""
    status: str = "unknown"
    # Appointment fields the source actually carries: a re-import never blanks the others.
    present: frozenset[str] = field(default_factory=frozenset)
    # A minor booked with adults (RDV-SP « usager(s) »): the adults, as legal representatives.
    legal_representatives: tuple[str, ...] = ()

    @property
    def display_name(self) -> str:
        return f"{self.family_name.upper()} {self.given_names}".strip()


@dataclass(frozen=True)
class RowProblem:
    """A rejected line: `reason` is a French phrase, shown as « ligne N : reason »."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"ligne {self.line} : {self.reason}"


@dataclass(frozen=True)
class ReadResult:
    format_label: str
    rows: tuple[ImportRow, ...]
    problems: tuple[RowProblem, ...]
    ignored_columns: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return len(self.rows) + len(self.problems)


class RowRejected(ValueError):
    """Raised while building one row; the reader turns it into a RowProblem."""


def derived_reference(prefix: str, slot_date: date, slot_time: time, family_name: str,
                      given_names: str, birth_date: date | None) -> str:
    """A stable reference for sources without one: the same person and slot give the same key.

    Names are folded and their words sorted, so « Jean DUPONT » and « DUPONT Jean » agree.
    """
    words = " ".join(sorted(fold(f"{family_name} {given_names}").split()))
    key = (f"{slot_date.isoformat()}|{slot_time.strftime('%H:%M')}|{words}|"
           f"{birth_date.isoformat() if birth_date else ''}")
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return f"{prefix}-" + base64.b32encode(digest).decode("ascii")[:12]


def drop_duplicates(rows: Iterable[ImportRow]) -> tuple[list[ImportRow], list[RowProblem]]:
    """Keep the first row of each reference; a later one is reported as its duplicate."""
    first_line: dict[str, int] = {}
    kept: list[ImportRow] = []
    problems: list[RowProblem] = []
    for row in rows:
        seen = first_line.get(row.reference)
        if seen is None:
            first_line[row.reference] = row.line
            kept.append(row)
            continue
        what = ("même date, heure, nom et date de naissance" if row.derived_reference
                else f"même référence {row.reference}")
        problems.append(RowProblem(row.line, f"doublon de la ligne {seen} ({what})"))
    return kept, problems


def link_minors(people: list[ImportRow]) -> list[ImportRow]:
    """The usagers of one booking: each minor (under 18 on the day) gets the adults booked
    with them as legal representatives; a booking of one person is left as it is."""
    if len(people) < 2:
        return people
    def minor(row: ImportRow) -> bool:
        b = row.birth_date
        if b is None:
            return False
        age = row.slot_date.year - b.year - ((row.slot_date.month, row.slot_date.day)
                                             < (b.month, b.day))
        return age < ADULT_AGE
    adults = tuple(r.display_name for r in people if not minor(r))
    return [replace(r, legal_representatives=adults) if minor(r) and adults else r
            for r in people]
