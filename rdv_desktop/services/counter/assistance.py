"""Priority in the queue and the people who come with the applicant.

**Fair order** (« Appeler le suivant » and the queue's rows alike): among the people who have
arrived and are waiting, those with a priority (CMI priorité/invalidité — CASF L241-3, the
companion too —, pregnancy, a young child) come first, in the order they arrived; everyone else
follows as before, earliest slot first, then earliest arrival, then id. A priority never
reorders people already called or served, and an early arrival is still bounded by the
arrival window (`arrival_early_minutes`).

Companions (a minor's legal representative, an interpreter and the language) are recorded at
booking or at arrival and shown to the agent with the person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from sqlalchemy import case, literal, null
from sqlalchemy.orm import Session

from ...errors import ValidationError
from ...models import Appointment, Companion

PRIORITY_LABELS = {
    "cmi": "carte mobilité inclusion (priorité ou invalidité)",
    "pregnancy": "grossesse",
    "young_child": "enfant en bas âge",
}
COMPANION_LABELS = {"legal_rep": "représentant légal", "interpreter": "interprète"}
MAX_COMPANIONS = 4
NAME_LIMIT = 200
LANGUAGE_LIMIT = 60
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class CompanionEntry:
    """Someone who comes with the applicant; `language` is for an interpreter."""

    role: str
    name: str
    language: str = ""

    @property
    def text(self) -> str:
        label = COMPANION_LABELS.get(self.role, self.role)
        language = f", {self.language}" if self.language else ""
        return f"{self.name} ({label}{language})"


def priority_text(priority: str | None) -> str:
    return f"priorité : {PRIORITY_LABELS[priority]}" if priority in PRIORITY_LABELS else ""


def assistance_text(priority: str | None, companions: tuple[CompanionEntry, ...]) -> str:
    """One line for the agent: « priorité : grossesse — accompagné(e) de : … »."""
    parts = [priority_text(priority)] if priority else []
    if companions:
        parts.append("accompagné(e) de : " + " ; ".join(c.text for c in companions))
    return " — ".join(parts)


def check_assistance(priority: str | None, companions: tuple[CompanionEntry, ...]
                     ) -> tuple[CompanionEntry, ...]:
    """The companions trimmed, or a French refusal before anything is written."""
    if priority is not None and priority not in PRIORITY_LABELS:
        raise ValidationError(f"Priorité inconnue : {priority}.")
    if len(companions) > MAX_COMPANIONS:
        raise ValidationError(f"{MAX_COMPANIONS} accompagnants au plus.")
    clean = []
    for i, c in enumerate(companions, start=1):
        name, language = c.name.strip(), c.language.strip()
        if c.role not in COMPANION_LABELS:
            raise ValidationError(f"Accompagnant {i} : rôle inconnu.")
        if not name:
            raise ValidationError(f"Accompagnant {i} : indiquez son nom.")
        if c.role == "interpreter" and not language:
            raise ValidationError(f"Accompagnant {i} : indiquez la langue de l'interprète.")
        if c.role != "interpreter":
            language = ""
        if len(name) > NAME_LIMIT or len(language) > LANGUAGE_LIMIT:
            raise ValidationError(f"Accompagnant {i} : {NAME_LIMIT} caractères au plus pour le "
                                  f"nom, {LANGUAGE_LIMIT} pour la langue.")
        if _CONTROL.search(name + language):
            raise ValidationError(f"Accompagnant {i} : caractère de contrôle refusé.")
        clean.append(CompanionEntry(c.role, name, language))
    return tuple(clean)


def set_assistance(s: Session, a: Appointment, priority: str | None,
                   companions: tuple[CompanionEntry, ...]) -> dict[str, Any]:
    """Write the (checked) priority and companions on `a`; returns the audited « after »."""
    a.priority = priority
    a.companions = [Companion(role=c.role, name=c.name, language=c.language)
                    for c in companions]
    s.flush()
    return assistance_state(a)


def assistance_state(a: Appointment) -> dict[str, Any]:
    return {"priority": a.priority,
            "companions": [{"role": c.role, "language": c.language} for c in a.companions]}


def companions_of(a: Appointment) -> tuple[CompanionEntry, ...]:
    return tuple(CompanionEntry(c.role, c.name, c.language) for c in a.companions)


def fair_order() -> tuple[Any, ...]:
    """ORDER BY for the people waiting: priority first by arrival, then slot, arrival, id."""
    has_priority = Appointment.priority.is_not(None)
    return (case((has_priority, literal(0)), else_=literal(1)),
            case((has_priority, Appointment.arrived_at), else_=null()),
            Appointment.slot_time, Appointment.arrived_at, Appointment.id)


_NEVER = datetime.min.replace(tzinfo=None)


def fair_key(priority: str | None, waiting: bool, arrived_at: datetime | None, slot_time: time,
             appointment_id: int) -> tuple[Any, ...]:
    """The same rule in Python, for the queue's rows: a priority counts while waiting only."""
    first = priority is not None and waiting and arrived_at is not None
    arrival = arrived_at.replace(tzinfo=None) if first and arrived_at else _NEVER
    return (0 if first else 1, arrival, slot_time, appointment_id)
