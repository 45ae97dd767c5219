"""Frozen views of appointments handed to the UI (never ORM objects) and how they are built."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Appointment, CatalogueVersion, Counter, Motif, User
from ..catalogue.rules import short_label
from .assistance import CompanionEntry, assistance_text, companions_of, fair_key
from .stage import Stage, derive_stage


@dataclass(frozen=True)
class AppointmentView:
    id: int
    reference: str
    source: str
    slot_date: date
    slot_time: time
    family_name: str
    given_names: str
    birth_date: date | None
    birth_place: str
    nationality: str
    phone: str
    email: str
    foreign_number: str
    motif_code: str | None
    motif_label: str
    motif_to_confirm: bool
    outcome: str
    stage: Stage
    ticket: str | None
    arrived_at: datetime | None
    arrival_station: str | None
    called_at: datetime | None
    counter_number: int | None
    service_started_at: datetime | None
    finished_at: datetime | None
    agent_name: str
    updated_at: datetime
    recepisse_for: str | None = None  # a visit to collect this dossier's récépissé
    priority: str | None = None  # see assistance.py: served first while waiting
    companions: tuple[CompanionEntry, ...] = ()
    request_kind: str | None = None  # as told at booking
    titre_expires_on: date | None = None
    motif_short: str = ""  # the catalogue's short label (tight tables); "" = the label

    @property
    def motif_shown(self) -> str:
        """The motif as a tight table shows it; the full `motif_label` goes on hover."""
        return self.motif_short or self.motif_label

    @property
    def assistance(self) -> str:
        """Priority and companions in words, for the agent ("" when neither)."""
        return assistance_text(self.priority, self.companions)

    @property
    def queue_key(self) -> tuple[Any, ...]:
        """Where the row stands in the queue: the fair order of « Appeler le suivant »."""
        return fair_key(self.priority, self.stage is Stage.WAITING, self.arrived_at,
                        self.slot_time, self.id)

    @property
    def full_name(self) -> str:
        return f"{self.family_name.upper()} {self.given_names}".strip()

    def waiting_minutes(self, now: datetime) -> int | None:
        if self.arrived_at is None:
            return None
        end = self.called_at or now
        return max(0, int((end - self.arrived_at).total_seconds() // 60))


class ViewBuilder:
    """Caches the small lookups (motif labels, counters, agents) for one session."""

    def __init__(self, session: Session, now: datetime, late_after_minutes: int) -> None:
        self.now = now
        self.late_after = late_after_minutes
        current = select(CatalogueVersion.id).where(CatalogueVersion.current.is_(True))
        rows = session.execute(select(Motif.code, Motif.label, Motif.short_label)
                               .where(Motif.catalogue_version_id.in_(current))).tuples().all()
        self.motifs = {code: label for code, label, _short in rows}
        self.shorts = {code: short_label(short, label) for code, label, short in rows}
        self.counters = dict(session.execute(select(Counter.id, Counter.number)).tuples().all())
        self.agents = dict(session.execute(select(User.id, User.display_name)).tuples().all())

    def view(self, a: Appointment) -> AppointmentView:
        motif_label = self.motifs.get(a.motif_code or "", "") or a.motif_source_label
        stage = derive_stage(a.outcome, a.slot_date, a.slot_time, a.arrived_at, a.called_at,
                             a.service_started_at, self.now, self.late_after)
        return AppointmentView(
            id=a.id, reference=a.reference, source=a.source, slot_date=a.slot_date,
            slot_time=a.slot_time, family_name=a.family_name, given_names=a.given_names,
            birth_date=a.birth_date, birth_place=a.birth_place, nationality=a.nationality,
            phone=a.phone, email=a.email, foreign_number=a.foreign_number,
            motif_code=a.motif_code, motif_label=motif_label,
            motif_to_confirm=a.motif_to_confirm, outcome=a.outcome, stage=stage,
            ticket=a.ticket, arrived_at=a.arrived_at, arrival_station=a.arrival_station,
            called_at=a.called_at,
            counter_number=self.counters.get(a.counter_id) if a.counter_id else None,
            service_started_at=a.service_started_at, finished_at=a.finished_at,
            agent_name=self.agents.get(a.agent_id, "") if a.agent_id else "",
            updated_at=a.updated_at, recepisse_for=a.recepisse_for, priority=a.priority,
            companions=companions_of(a), request_kind=a.request_kind,
            titre_expires_on=a.titre_expires_on,
            motif_short=self.shorts.get(a.motif_code or "", ""),
        )
