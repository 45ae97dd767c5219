"""An import written in short transactions, and what each of them wrote, so a cancel or a
failure can take the whole import back out (services/importing/batch.py).

A batch is `running` while its chunks commit, then `done` (kept) or `removed` (taken back).
Its items are working data, deleted once the batch is settled: the audit trail is the record.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base

BATCH_STATES = ("running", "done", "removed")


class ImportBatch(Base):
    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255))
    user_login: Mapped[str] = mapped_column(String(64))
    station: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime]
    # Touched by every chunk: a running batch whose heartbeat is old was left by a dead process.
    heartbeat_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(10), default="running", index=True)


class ImportBatchItem(Base):
    """One appointment a batch created (`created`) or updated (`before` holds what it
    replaced); `outcome` and `updated_at` are what the batch left, to tell whether the counter
    has touched the appointment since."""

    __tablename__ = "import_batch_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"), index=True)
    appointment_id: Mapped[int]
    created: Mapped[bool]
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    outcome: Mapped[str] = mapped_column(String(12))
    updated_at: Mapped[datetime]
