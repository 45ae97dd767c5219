"""The site's tunables as one typed, frozen value, read once inside the caller's transaction.

Bounds, defaults and labels live here only: the administration screen validates against them and
every rule (arrival window, lateness, absence, retention, deadlines) and every printed mention
(the service's contacts, the DPO) reads the same `SiteSettings` from the session of the act it
belongs to, so an act never opens a second session to read a value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Setting


@dataclass(frozen=True)
class Tunable:
    default: int
    low: int
    high: int
    label: str


@dataclass(frozen=True)
class Mention:
    """A text printed on the papers (a contact, an address); empty means « not set »."""

    default: str
    max_length: int
    label: str
    pattern: str | None = None  # what a well-formed value looks like (e-mail, phone)
    example: str = ""


@dataclass(frozen=True)
class Switch:
    default: bool
    label: str


TUNABLES: dict[str, Tunable] = {
    "arrival_early_minutes": Tunable(60, 0, 240, "Arrivée acceptée en avance (minutes)"),
    "late_after_minutes": Tunable(15, 0, 240, "Retard toléré (minutes)"),
    "no_show_grace_minutes": Tunable(30, 0, 480, "Délai avant absence (minutes)"),
    "retention_months": Tunable(24, 1, 240, "Conservation des données personnelles (mois)"),
    # R431-12 and the Conseil d'État (avis, 6 May 2025): at most four months after a complete
    # deposit, so 120 days by default.
    "recepisse_due_days": Tunable(120, 1, 180, "Récépissé à remettre dans les (jours)"),
    "pieces_due_days": Tunable(30, 7, 120, "Délai pour envoyer les pièces à compléter (jours)"),
    # A station left alone shows names, birth dates and motifs to whoever passes by.
    "lock_after_minutes": Tunable(10, 1, 120, "Verrouillage du poste après inactivité (minutes)"),
}

MENTIONS: dict[str, Mention] = {
    "service_phone": Mention("", 40, "Téléphone du service", r"[0-9 +().-]{6,40}",
                             "04 71 46 23 00"),
    "service_email": Mention("", 120, "Courriel du service",
                             r"[^@\s]+@[^@\s]+\.[^@\s]+", "pref-sejour@cantal.gouv.fr"),
    "pieces_postal_address": Mention("", 300, "Adresse postale pour envoyer des pièces"),
    "dpo_contact": Mention("", 300, "Délégué à la protection des données (courriel ou adresse)"),
    "desk_hours": Mention("", 200, "Accueil sans rendez-vous pour déposer des pièces (jours et "
                                   "heures)"),
}

SWITCHES: dict[str, Switch] = {
    "print_card_category": Switch(
        False, "Imprimer la catégorie de carte plutôt que le motif (protège la vie privée)"),
}


def accepted(key: str, value: Any) -> bool:
    """Whether `value` fits the setting `key` (type, bounds, length, form)."""
    if key in TUNABLES:
        tunable = TUNABLES[key]
        return (isinstance(value, int) and not isinstance(value, bool)
                and tunable.low <= value <= tunable.high)
    if key in MENTIONS:
        mention = MENTIONS[key]
        return (isinstance(value, str) and len(value) <= mention.max_length
                and value == value.strip() and value.isprintable()
                and (not value or mention.pattern is None
                     or re.fullmatch(mention.pattern, value) is not None))
    return key in SWITCHES and isinstance(value, bool)


def refusal(key: str) -> str:
    """The French sentence for a value `accepted` refused."""
    if key in TUNABLES:
        t = TUNABLES[key]
        return f"{t.label} : nombre entier entre {t.low} et {t.high} attendu."
    if key in MENTIONS:
        m = MENTIONS[key]
        form = f", de la forme « {m.example} »" if m.example else ""
        return (f"{m.label} : texte d'une ligne, {m.max_length} caractères au plus, sans "
                f"caractère de contrôle{form}.")
    return f"{SWITCHES[key].label} : oui ou non attendu."


KEYS = (*TUNABLES, *MENTIONS, *SWITCHES)


@dataclass(frozen=True)
class SiteSettings:
    arrival_early_minutes: int = TUNABLES["arrival_early_minutes"].default
    late_after_minutes: int = TUNABLES["late_after_minutes"].default
    no_show_grace_minutes: int = TUNABLES["no_show_grace_minutes"].default
    retention_months: int = TUNABLES["retention_months"].default
    recepisse_due_days: int = TUNABLES["recepisse_due_days"].default
    pieces_due_days: int = TUNABLES["pieces_due_days"].default
    lock_after_minutes: int = TUNABLES["lock_after_minutes"].default
    service_phone: str = ""
    service_email: str = ""
    pieces_postal_address: str = ""
    dpo_contact: str = ""
    desk_hours: str = ""
    print_card_category: bool = False

    @classmethod
    def read(cls, session: Session) -> SiteSettings:
        """The stored values; a missing or malformed value falls back to its default."""
        stored = {row.key: row.value for row in session.scalars(
            select(Setting).where(Setting.key.in_(KEYS)))}
        return cls(**{key: value for key, value in stored.items() if accepted(key, value)})

    def as_dict(self) -> dict[str, int | str | bool]:
        return {f.name: getattr(self, f.name) for f in fields(self)}
