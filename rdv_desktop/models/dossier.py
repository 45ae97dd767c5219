"""A dossier checked at the counter, with the checklist snapshot it was checked against."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base

PIECE_STATUSES = ("received", "missing", "not_applicable")


class Dossier(Base):
    """Complete dossiers get a gapless number; incomplete ones keep number NULL."""

    __tablename__ = "dossier"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(40), unique=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointment.id"), index=True)
    motif_code: Mapped[str] = mapped_column(String(60))
    motif_label: Mapped[str] = mapped_column(String(300))
    ceseda_ref: Mapped[str] = mapped_column(String(80))
    catalogue_version: Mapped[str] = mapped_column(String(40))
    request_kind: Mapped[str] = mapped_column(String(30))
    situations: Mapped[list[str]] = mapped_column(JSON, default=list)
    complete: Mapped[bool]
    deposited_at: Mapped[datetime] = mapped_column(index=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    station: Mapped[str] = mapped_column(String(100))
    signing_key_id: Mapped[str | None] = mapped_column(String(16))
    qr_payload: Mapped[str | None] = mapped_column(String(400))
    reprint_count: Mapped[int] = mapped_column(default=0)
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    review_state: Mapped[str | None] = mapped_column(String(20))
    review_comment: Mapped[str | None] = mapped_column(Text)
    # Registered with pieces « à compléter » (R431-11): asked for by this date; set when the
    # last one arrives. The deposit date stays the first filing date.
    pieces_due_by: Mapped[date | None] = mapped_column(index=True)
    pieces_completed_at: Mapped[datetime | None]
    # A complete dossier's récépissé must be handed over by this date (R431-12; set at deposit
    # from the site's `recepisse_due_days`, so a later change of the setting rewrites nothing).
    recepisse_due_on: Mapped[date | None] = mapped_column(index=True)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    pieces: Mapped[list[DossierPiece]] = relationship(
        order_by="DossierPiece.position", cascade="all, delete-orphan"
    )
    timbres: Mapped[list[Timbre]] = relationship(
        order_by="Timbre.id", cascade="all, delete-orphan"
    )


class DossierPiece(Base):
    __tablename__ = "dossier_piece"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    position: Mapped[int]
    code: Mapped[str] = mapped_column(String(60))
    label: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(40))
    requirement: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    blocking: Mapped[bool] = mapped_column(default=False)
    received_at: Mapped[datetime | None]  # a piece « à compléter » that came later


class Timbre(Base):
    """A timbre fiscal dématérialisé: 16-digit number and its amount."""

    __tablename__ = "timbre"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    number: Mapped[str] = mapped_column(String(16))
    amount_cents: Mapped[int]
