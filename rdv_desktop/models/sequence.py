"""Gapless counters: dossier numbers per site and year, queue tickets per site and day."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class NumberSequence(Base):
    """One row per (kind, site, period), locked while a number is taken."""

    __tablename__ = "number_sequence"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    site_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    period: Mapped[str] = mapped_column(String(10), primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


class SigningKey(Base):
    """Public half of a site signing key, so every station can verify; private keys stay on disk."""

    __tablename__ = "signing_key"

    key_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    site_code: Mapped[str] = mapped_column(String(16))
    public_key_pem: Mapped[str] = mapped_column(String(400))
    created_at: Mapped[datetime]
    retired_at: Mapped[datetime | None]
    # Declared compromised (`rdv-admin key-compromised`): nothing it signed is valid any more.
    compromised_at: Mapped[datetime | None]
