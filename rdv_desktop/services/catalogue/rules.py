"""What the law attaches to a motif beyond its pieces, and the flags the request type gives.

Kept apart from the file parser so that reading the catalogue from the database (every deposit)
never loads the parser.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ...french import abbreviated

# The request type is one field of the request; conditions read it through these flags, which
# the catalogue may not declare as situations (one fact, one input).
REQUEST_FLAGS = {"Première demande": "premiere_demande", "Renouvellement": "renouvellement",
                 "Changement de statut": "changement_statut"}
REQUEST_FLAG_LABELS = {flag: kind for kind, flag in REQUEST_FLAGS.items()}
# Per-motif numbers a piece label may print: « {photos} photographies », « moins de
# {address_months} mois ».
LABEL_FIELDS = ("photos", "address_months")


SHORT_LABEL_MAX = 40


def short_label(short: str, label: str) -> str:
    """The catalogue's short label, else the label abbreviated by rule (« AES – VPF »)."""
    return short or abbreviated(label)


def request_flags(situations: frozenset[str], request_kind: str) -> frozenset[str]:
    """The ticked situations plus the flag of the request type (unknown type: none)."""
    flag = REQUEST_FLAGS.get(request_kind)
    return situations | {flag} if flag else situations


@dataclass(frozen=True)
class MotifRules:
    """What the law attaches to a motif beyond its pieces (domain notes, « Corrections »)."""

    card: str = ""  # the card category printed instead of the motif when the site asks
    valid_until: date | None = None  # e.g. L435-4, experimental until 31 Dec 2026
    photos: int = 3
    address_months: int = 3  # proof of address age: 6 on the AES lists, 3 on CST lists
    decision_months: int = 4  # silence for this long = implicit refusal (R432-1)
    age_from: int | None = None  # birth-date window at the request date, in whole years
    age_before: int | None = None
    handover: tuple[str, ...] = ()  # what the préfecture hands over (OFII medical kit)
    short: str = ""  # how charts and tight tables name it (« AES – VPF »); "" = by rule

    def label(self, template: str) -> str:
        """A piece label with this motif's numbers put in."""
        return (template.replace("{photos}", str(self.photos))
                .replace("{address_months}", str(self.address_months)))

    def age_problem(self, birth: date | None, on: date) -> str | None:
        """French sentence when the applicant's age on `on` is outside the motif's window."""
        if birth is None or (self.age_from is None and self.age_before is None):
            return None
        age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
        born = f"{birth:%d/%m/%Y}"
        if self.age_from is not None and age < self.age_from:
            return f"demande hors délai : né(e) le {born}, {age} ans, {self.age_from} ans au moins"
        if self.age_before is not None and age >= self.age_before:
            return (f"demande hors délai : né(e) le {born}, {age} ans, à déposer avant "
                    f"{self.age_before} ans")
        return None

    def validity_problem(self, on: date) -> str | None:
        """French sentence when the motif no longer applies on `on`."""
        if self.valid_until is not None and on > self.valid_until:
            return f"motif applicable jusqu'au {self.valid_until:%d/%m/%Y} seulement"
        return None
