"""A récépissé handed over for a complete dossier (R431-12). The app never prints it (a secure
state form); it records that it was given, and when, so overdue ones can be listed."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base

WORK_MENTIONS = ("work", "accessory", "no_work")


class Recepisse(Base):
    """One hand-over; cancelling it (audited, with a reason) keeps the row, dated."""

    __tablename__ = "recepisse"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointment.id"))
    number: Mapped[str] = mapped_column(String(40))
    valid_from: Mapped[date]
    valid_until: Mapped[date]
    work_mention: Mapped[str] = mapped_column(String(12))
    handed_at: Mapped[datetime]
    handed_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    station: Mapped[str] = mapped_column(String(100))
    cancelled_at: Mapped[datetime | None]
    cancelled_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
