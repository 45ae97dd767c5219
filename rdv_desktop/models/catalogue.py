"""Versioned motif catalogue: each manager save makes a new version; dossiers keep snapshots."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base


class CatalogueVersion(Base):
    __tablename__ = "catalogue_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(40), unique=True)
    valid_from: Mapped[date]
    source: Mapped[str] = mapped_column(String(400))
    loaded_at: Mapped[datetime]
    loaded_by: Mapped[str] = mapped_column(String(64))
    current: Mapped[bool] = mapped_column(default=False, index=True)


class Situation(Base):
    """An applicant-situation flag (marié, hébergé…) that switches conditional pieces."""

    __tablename__ = "situation"
    __table_args__ = (UniqueConstraint("catalogue_version_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    catalogue_version_id: Mapped[int] = mapped_column(ForeignKey("catalogue_version.id"))
    code: Mapped[str] = mapped_column(String(60))
    label: Mapped[str] = mapped_column(String(200))
    position: Mapped[int]


class Piece(Base):
    __tablename__ = "piece"
    __table_args__ = (UniqueConstraint("catalogue_version_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    catalogue_version_id: Mapped[int] = mapped_column(ForeignKey("catalogue_version.id"))
    code: Mapped[str] = mapped_column(String(60))
    label: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(40))
    position: Mapped[int]
    requirement: Mapped[str] = mapped_column(String(12))  # required | conditional | optional
    condition: Mapped[str | None] = mapped_column(String(400))
    blocking: Mapped[bool] = mapped_column(default=False)  # missing: registration refused


class Motif(Base):
    __tablename__ = "motif"
    __table_args__ = (UniqueConstraint("catalogue_version_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    catalogue_version_id: Mapped[int] = mapped_column(ForeignKey("catalogue_version.id"))
    code: Mapped[str] = mapped_column(String(60), index=True)
    label: Mapped[str] = mapped_column(String(300))
    ceseda_ref: Mapped[str] = mapped_column(String(80))
    anef_redirect: Mapped[bool] = mapped_column(default=False)
    redirect_note: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    card_label: Mapped[str] = mapped_column(String(200), default="")
    short_label: Mapped[str] = mapped_column(String(60), default="")
    valid_until: Mapped[date | None]
    photos: Mapped[int] = mapped_column(default=3)
    address_months: Mapped[int] = mapped_column(default=3)
    decision_months: Mapped[int] = mapped_column(default=4)
    age_from: Mapped[int | None]
    age_before: Mapped[int | None]
    handover: Mapped[list[str]] = mapped_column(JSON, default=list)

    pieces: Mapped[list[MotifPiece]] = relationship(
        order_by="MotifPiece.position", cascade="all, delete-orphan"
    )


class MotifPiece(Base):
    __tablename__ = "motif_piece"
    __table_args__ = (UniqueConstraint("motif_id", "piece_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    motif_id: Mapped[int] = mapped_column(ForeignKey("motif.id"))
    piece_id: Mapped[int] = mapped_column(ForeignKey("piece.id"))
    position: Mapped[int]

    piece: Mapped[Piece] = relationship()
