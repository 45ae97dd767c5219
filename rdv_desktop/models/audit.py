"""The audit trail. Append-only and hash-chained (audit_chain.py); it doubles as the stations'
change feed (services/queue_feed)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, FetchedValue, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class AuditEvent(Base):
    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_entity", "entity_type", "entity_id"),
        Index("ix_audit_event_at", "at"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    at: Mapped[datetime]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    user_login: Mapped[str] = mapped_column(String(64))
    station: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    appointment_id: Mapped[int | None] = mapped_column(index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text)
    # An undo is a new row naming the row it undoes (rows are never updated).
    undoes: Mapped[int | None] = mapped_column(BigInteger, index=True)
    # The hash chain (models/audit_chain.py): the previous row's hash and this row's own.
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    row_hash: Mapped[str | None] = mapped_column(String(64))
    # PostgreSQL: the writing transaction's id, stamped by the server default (migration 0004),
    # so the feed can tell what committed since its last snapshot whatever the commit order.
    # Never set by the application (FetchedValue keeps it out of INSERTs); NULL on SQLite.
    xact_id: Mapped[int | None] = mapped_column(BigInteger, server_default=FetchedValue(),
                                                index=True)
