"""`rdv-admin audit-verify`: prove the audit trail's hash chain intact, or say where it breaks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from ...models import AuditEvent
from ...models.audit_chain import ChainBreak, walk
from .clock import fr_datetime
from .context import ServiceContext


@dataclass(frozen=True)
class ChainReport:
    rows: int  # rows checked (up to the break)
    head: str | None  # the last row's hash: note it somewhere safe to detect a cut-off tail
    broken_at: ChainBreak | None = None
    broken_row: tuple[datetime, str] | None = None  # (at, action) of the row that breaks

    @property
    def intact(self) -> bool:
        return self.broken_at is None

    def lines(self) -> list[str]:
        if self.broken_at is None:
            return [f"Journal d'audit intègre : {self.rows} ligne(s) chaînée(s).",
                    f"Dernière empreinte : {self.head or 'aucune (journal vide)'}"]
        where = ""
        if self.broken_row is not None:
            where = f" ({fr_datetime(self.broken_row[0])}, action {self.broken_row[1]})"
        return [f"Journal d'audit altéré à la ligne n° {self.broken_at.audit_id}{where} : "
                f"{self.broken_at.why}.",
                f"Les {self.rows - 1} ligne(s) précédente(s) sont intactes."]


def check_chain(ctx: ServiceContext) -> ChainReport:
    """Walk the whole chain in id order (read-only, in chunks)."""
    with ctx.db.read(long=True) as s:
        checked, broken = 0, None
        for progress in walk(s):
            checked, broken = progress
            if broken is not None:
                break
        if broken is not None:
            row = s.get(AuditEvent, broken.audit_id)
            at = (row.at, row.action) if row is not None else None
            return ChainReport(checked, None, broken, at)
        head = s.scalar(select(AuditEvent.row_hash).where(
            AuditEvent.id == select(func.max(AuditEvent.id)).scalar_subquery()))
        return ChainReport(checked, head)
