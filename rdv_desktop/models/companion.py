"""Who comes with the applicant: a minor's legal representative, an interpreter (and language)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base

COMPANION_ROLES = ("legal_rep", "interpreter")


class Companion(Base):
    __tablename__ = "companion"

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointment.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(60), default="")
