"""Does a validly signed code designate a real record, exactly as it was issued?

A valid signature proves only that someone holding a site key signed the text; the key is a
file on every station, so a copied key could sign anything. With the database at hand the code
must also be the one issued: an attestation must be byte for byte the code stored for its
dossier, a convocation must name an existing appointment at its booked slot. Each mismatch has
its own reason code (for the UI and the audit) and French sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Appointment, Dossier
from ..core.clock import at_paris, local
from .signed_code import KIND_ATTESTATION, SignedCode, parse_code
from .verifier import Holder

__all__ = ["RecordMatch", "match_record"]

_NUMBER = re.compile(r"(?P<site>[A-Z0-9-]+)-(?P<year>[0-9]{4})-[0-9]{6}")
_CLOSED = ("cancelled", "redirected")


@dataclass(frozen=True)
class RecordMatch:
    """`refusal` None: the code is the one issued; `revoked`: issued, but no longer valid."""

    refusal: str | None
    message: str = ""
    holder: Holder | None = None
    revoked: bool = False


def _isolated(text: str) -> str:
    """A name from public booking, isolated so right-to-left text cannot reorder the line."""
    return f"\u2068{text}\u2069"


def _holder(a: Appointment, motif: str, when: datetime) -> Holder:
    name = " ".join(p for p in (a.family_name.upper(), a.given_names) if p)
    return Holder(_isolated(name), a.birth_date, motif, when)


def _stamp(when: datetime) -> str:
    return f"{local(when):%d/%m/%Y à %H:%M}"


def _refuse(refusal: str, why: str) -> RecordMatch:
    return RecordMatch(refusal, f"Signature valide, mais {why}")


def match_record(s: Session, payload: str, now: datetime,
                 key_retired_at: datetime | None) -> RecordMatch:
    """Compare the (authentic) code `payload` with the database's record."""
    code = parse_code(payload)
    if code.kind == KIND_ATTESTATION:
        return _attestation(s, code, now)
    return _convocation(s, code, key_retired_at)


def _attestation(s: Session, code: SignedCode, now: datetime) -> RecordMatch:
    number = code.reference
    parts = _NUMBER.fullmatch(number)
    if parts is None or parts["site"] != code.site:
        return _refuse("not_a_number", f"« {number} » n'est pas un numéro de dossier du site "
                                       f"{code.site} : aucune attestation ne porte ce code.")
    if int(parts["year"]) != local(code.timestamp).year:
        return _refuse("wrong_year", f"le numéro {number} est de {parts['year']} et le dépôt "
                                     f"daté de {local(code.timestamp).year} : aucune "
                                     "attestation ne porte ces valeurs.")
    if code.timestamp > now:
        return _refuse("future", f"la date de dépôt ({_stamp(code.timestamp)}) est dans le "
                                 "futur : aucune attestation ne peut la porter.")
    dossier = s.scalar(select(Dossier).where(Dossier.number == number))
    if dossier is None:
        return _refuse("unknown_number", f"aucun dossier {number} n'est enregistré : cette "
                                         "attestation n'a pas été émise par la préfecture.")
    deposited = local(dossier.deposited_at).replace(second=0, microsecond=0)
    if deposited != code.timestamp:
        return _refuse("wrong_date", f"le dossier {number} a été déposé le "
                                     f"{_stamp(deposited)}, pas le {_stamp(code.timestamp)} : "
                                     "ce n'est pas son attestation.")
    if dossier.qr_payload != code.payload:
        return _refuse("other_code", f"ce n'est pas le code émis pour le dossier {number} "
                                     f"(clé {code.key_id}) : ce n'est pas son attestation.")
    a = s.get(Appointment, dossier.appointment_id)
    holder = _holder(a, dossier.motif_label, dossier.deposited_at) if a is not None else None
    return RecordMatch(None, holder=holder, revoked=dossier.revoked_at is not None)


def _convocation(s: Session, code: SignedCode, key_retired_at: datetime | None) -> RecordMatch:
    reference = code.reference
    a = s.scalar(select(Appointment).where(Appointment.reference == reference))
    if a is None:
        if _NUMBER.fullmatch(reference) and s.scalar(
                select(Dossier.id).where(Dossier.number == reference)) is not None:
            return _refuse("dossier_number", f"il porte le numéro de dossier {reference}, pas "
                                             "une référence de rendez-vous.")
        return _refuse("unknown_reference", f"aucun rendez-vous {reference} n'est enregistré : "
                                            "cette convocation n'a pas été émise ici.")
    slot = at_paris(a.slot_date, a.slot_time).replace(second=0, microsecond=0)
    if slot != code.timestamp:
        return _refuse("wrong_date", f"le rendez-vous {reference} est prévu le {_stamp(slot)}, "
                                     f"pas le {_stamp(code.timestamp)} : ce n'est pas sa "
                                     "convocation.")
    if key_retired_at is not None and a.created_at > key_retired_at:
        return _refuse("retired_key", f"la clé {code.key_id} a été retirée le "
                                      f"{_stamp(key_retired_at)}, avant la prise de ce "
                                      "rendez-vous : elle n'a pas pu signer sa convocation.")
    motif = a.motif_source_label or a.motif_code or "à confirmer au guichet"
    return RecordMatch(None, holder=_holder(a, motif, slot), revoked=a.outcome in _CLOSED)
