"""An appointment: the outcome plus the arrival/service timestamps the queue stage derives from."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .companion import Companion

OUTCOMES = ("pending", "deposited", "incomplete", "no_show", "cancelled", "redirected",
            "recepisse")  # "recepisse": a collection visit ended with the récépissé given
SOURCES = ("import", "manual", "walk_in")
# Served first among those who have arrived (CASF L241-3 « priorité » / « invalidité » card,
# pregnancy, a young child); NULL: no priority.
PRIORITIES = ("cmi", "pregnancy", "young_child")


class Appointment(Base):
    __tablename__ = "appointment"
    __table_args__ = (
        Index("ix_appointment_day_slot", "slot_date", "slot_time"),
        Index("ix_appointment_stats", "slot_date", "outcome", "motif_code"),
        Index("ix_appointment_names", "family_name", "birth_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(String(10))
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    slot_date: Mapped[date]
    slot_time: Mapped[time]

    family_name: Mapped[str] = mapped_column(String(200))
    given_names: Mapped[str] = mapped_column(String(200), default="")
    birth_date: Mapped[date | None]
    birth_place: Mapped[str] = mapped_column(String(200), default="")
    nationality: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    foreign_number: Mapped[str] = mapped_column(String(20), default="")

    motif_code: Mapped[str | None] = mapped_column(String(60))
    motif_source_label: Mapped[str] = mapped_column(String(300), default="")
    motif_to_confirm: Mapped[bool] = mapped_column(default=False)
    # A visit to collect the récépissé of this dossier number (queued by the arrival desk from
    # the attestation's QR); NULL for a deposit appointment. A number, not a foreign key:
    # dossier already refers to appointment, and a cycle would order neither table first.
    recepisse_for: Mapped[str | None] = mapped_column(String(40), index=True)
    priority: Mapped[str | None] = mapped_column(String(12))
    # Told at booking: the request type, and for a renewal the current titre's expiry (the
    # convocation proves the request came in time; the counter sees a late renewal).
    request_kind: Mapped[str | None] = mapped_column(String(30))
    titre_expires_on: Mapped[date | None]
    companions: Mapped[list[Companion]] = relationship(
        order_by="Companion.id", cascade="all, delete-orphan", lazy="selectin")

    outcome: Mapped[str] = mapped_column(String(12), default="pending")
    arrived_at: Mapped[datetime | None]
    ticket: Mapped[str | None] = mapped_column(String(8))
    arrival_station: Mapped[str | None] = mapped_column(String(100))
    called_at: Mapped[datetime | None]
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counter.id"))
    service_started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    anonymised_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
