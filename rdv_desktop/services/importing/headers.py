"""Column headers → fields. Matching is on folded text (case, accents, punctuation ignored).

The synonyms are documented in docs/import-formats.md; keep both in step.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...errors import ValidationError
from .folding import fold

SYNONYMS: dict[str, tuple[str, ...]] = {
    "reference": ("référence", "reference", "réf", "ref", "référence rdv",
                  "référence du rendez-vous", "numéro de réservation", "n° de réservation",
                  "code de réservation", "numéro rdv", "n° rdv", "id rdv", "identifiant rdv",
                  "booking reference"),
    "family_name": ("nom", "nom de famille", "nom d'usage", "nom usager", "nom du demandeur",
                    "last name", "surname", "family name"),
    "given_names": ("prénom", "prénoms", "prénom(s)", "prénom usager", "first name",
                    "given names"),
    "full_name": ("usager(s)", "usager", "usagers", "nom complet", "nom et prénom",
                  "nom prénom", "prénom nom", "demandeur", "full name"),
    "birth_date": ("date de naissance", "date naissance", "né le", "née le", "né(e) le",
                   "naissance", "birth date", "date of birth"),
    "birth_place": ("lieu de naissance", "ville de naissance", "né à", "née à", "né(e) à",
                    "birth place", "place of birth"),
    "nationality": ("nationalité", "pays de nationalité", "nationality"),
    "phone": ("téléphone", "tél", "tel", "tél.", "portable", "mobile", "numéro de téléphone",
              "téléphone portable", "phone"),
    "email": ("courriel", "e-mail", "email", "mail", "adresse électronique", "adresse e-mail",
              "adresse mail"),
    "foreign_number": ("numéro étranger", "n° étranger", "numéro d'étranger",
                       "numéro agdref", "n° agdref", "agdref", "foreign number"),
    "slot_date": ("date", "date rdv", "date du rdv", "date du rendez-vous",
                  "date de rendez-vous", "date rendez-vous", "jour"),
    "slot_time": ("heure", "heure rdv", "heure du rdv", "heure du rendez-vous",
                  "heure de rendez-vous", "horaire", "créneau"),
    "slot_datetime": ("date et heure", "date/heure", "date heure", "début", "date de début",
                      "rendez-vous", "créneau horaire"),
    "motif": ("motif", "motif du rendez-vous", "motif rdv", "objet", "démarche", "prestation"),
    "status": ("statut", "état", "status"),
    # RDV Service Public's participations export: one row per person, the booking's id.
    "booking_id": ("rdv_id",),
}
FIELD_LABELS = {
    "reference": "référence", "family_name": "nom", "given_names": "prénom",
    "full_name": "nom complet", "birth_date": "date de naissance",
    "birth_place": "lieu de naissance", "nationality": "nationalité", "phone": "téléphone",
    "email": "courriel", "foreign_number": "numéro étranger", "slot_date": "date",
    "slot_time": "heure", "slot_datetime": "date et heure", "motif": "motif",
    "status": "statut", "booking_id": "rdv_id",
}
_BY_FOLDED: dict[str, str] = {fold(s): f for f, names in SYNONYMS.items() for s in names}

# RDV Service Public's exports are recognised by these columns of their header row: the
# appointments export (« usager(s) », several people per row) and the participations export
# (« usager » and « rdv_id », one row per person).
RDVSP_MARKERS = (fold("usager(s)"), fold("date rdv"))
RDVSP_PARTICIPATION_MARKERS = (fold("usager"), fold("rdv_id"), fold("date rdv"))


def field_of(header: str) -> str | None:
    return _BY_FOLDED.get(fold(header))


def map_headers(headers: Sequence[str]) -> tuple[dict[str, int], list[str]]:
    """Field → column index (the first column wins), and the headers that map to nothing."""
    mapping: dict[str, int] = {}
    ignored: list[str] = []
    for index, header in enumerate(headers):
        name = field_of(header)
        if name is None:
            if header.strip():
                ignored.append(header.strip())
        elif name not in mapping:
            mapping[name] = index
    return mapping, ignored


def missing_fields(mapping: dict[str, int]) -> list[str]:
    """The required fields (as French labels) no column provides."""
    missing = []
    if "family_name" not in mapping and "full_name" not in mapping:
        missing.append("nom")
    if "slot_datetime" not in mapping:
        missing += [FIELD_LABELS[f] for f in ("slot_date", "slot_time") if f not in mapping]
    return missing


def require_columns(headers: Sequence[str], mapping: dict[str, int]) -> None:
    missing = missing_fields(mapping)
    if not missing:
        return
    found = ", ".join(f"« {h[:40]} »" for h in headers if h.strip())[:300] or "aucune"
    raise ValidationError(
        f"Colonnes obligatoires absentes : {', '.join(missing)}. Colonnes trouvées : {found}. "
        "Les en-têtes acceptés sont décrits dans docs/import-formats.md."
    )


def is_rdvsp(headers: Sequence[str]) -> bool:
    folded = {fold(h) for h in headers}
    return any(all(marker in folded for marker in markers)
               for markers in (RDVSP_MARKERS, RDVSP_PARTICIPATION_MARKERS))
