"""The renderers' whole input: frozen, plain-value dataclasses.

Services build these from the database; the renderers never see an ORM object or a session,
so a PDF can be rendered in a worker thread, in a test, or again for a reprint from kept data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

REQUEST_KINDS = ("Première demande", "Renouvellement", "Changement de statut")


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """The préfecture (or sous-préfecture) and service that receives the dossier."""

    prefecture: str
    service: str
    address: str
    code: str
    phone: str = ""
    email: str = ""
    pieces_address: str = ""  # where to post pieces; the site's address when empty
    dpo: str = ""  # the data protection officer's contact
    desk_hours: str = ""  # when pieces may be handed in without an appointment
    retention_months: int = 24

    @property
    def contact(self) -> str:
        """« Tél. … — courriel … », or '' when neither is set."""
        parts = [f"Tél. {self.phone}" if self.phone else "",
                 f"courriel {self.email}" if self.email else ""]
        return " — ".join(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class Applicant:
    """Identity as printed; names are kept exactly as on the passport (any script)."""

    family_name: str
    given_names: str
    birth_date: date | None
    birth_place: str
    nationality: str
    foreign_number: str  # numéro étranger (AGDREF), '' when the person has none yet
    address: str = ""


@dataclass(frozen=True, slots=True)
class PieceLine:
    label: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Timbre:
    """A timbre fiscal dématérialisé handed in at the counter."""

    number: str  # 16 digits
    amount_cents: int

    def __post_init__(self) -> None:
        if len(self.number) != 16 or not self.number.isdigit():
            raise ValueError(f"a timbre number has 16 digits, got {self.number!r}")
        if self.amount_cents < 0:
            raise ValueError("a timbre amount cannot be negative")


@dataclass(frozen=True, slots=True)
class AttestationData:
    site: SiteInfo
    dossier_number: str
    deposited_at: datetime  # aware, Europe/Paris
    agent_id: str
    applicant: Applicant
    motif_label: str
    ceseda_ref: str
    request_kind: str  # one of REQUEST_KINDS
    pieces_received: tuple[PieceLine, ...]
    pieces_missing: tuple[PieceLine, ...]
    timbres: tuple[Timbre, ...]
    qr_payload: str
    human_code: str
    duplicate_printed_at: datetime | None = None
    # The implicit decision (CRPA R112-5): its date, or None while pieces are awaited (the
    # delay then runs from the last one, L114-5).
    decision_date: date | None = None
    decision_months: int = 4
    pieces_due_by: date | None = None
    handed_over: tuple[str, ...] = ()  # what the préfecture gave the applicant (OFII kit)


@dataclass(frozen=True, slots=True)
class PiecesRequestData:
    """« Demande de pièces complémentaires »: a registered dossier still lacks some pieces."""

    site: SiteInfo
    applicant: Applicant
    dossier_number: str
    deposited_at: datetime
    motif_label: str
    pieces_to_send: tuple[PieceLine, ...]
    due_by: date
    agent_id: str
    duplicate_printed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class MissingPiecesData:
    site: SiteInfo
    applicant: Applicant
    motif_label: str
    ceseda_ref: str
    checked_at: datetime
    agent_id: str
    pieces_missing: tuple[PieceLine, ...]
    pieces_received: tuple[PieceLine, ...]
    next_appointment: datetime | None
    how_to_come_back: str
    reference: str
    duplicate_printed_at: datetime | None = None
    # Of `pieces_missing`, those without which the dossier cannot be registered (R431-10).
    pieces_blocking: tuple[PieceLine, ...] = ()


@dataclass(frozen=True, slots=True)
class ConvocationData:
    site: SiteInfo
    applicant: Applicant
    booking_reference: str
    slot: datetime
    motif_label: str
    pieces_to_bring: tuple[PieceLine, ...]
    checkin_payload: str
    human_code: str
    duplicate_printed_at: datetime | None = None
    fees: tuple[str, ...] = ()  # « Droit de visa de régularisation : 100,00 € si … »
    late_after_minutes: int = 15
    motif_confirmed: bool = True
    request_kind: str = ""  # as told at booking ("" when not told)
    titre_expires_on: date | None = None  # a renewal's current titre


@dataclass(frozen=True, slots=True)
class DayListRow:
    time: str  # HH:MM
    ticket: str
    name: str
    motif: str
    stage: str


@dataclass(frozen=True, slots=True)
class DayListData:
    site: SiteInfo
    day: date
    rows: tuple[DayListRow, ...]
    printed_at: datetime
