"""An import written in short transactions, and taken back whole when it does not finish.

On SQLite a write transaction locks the whole database: one transaction per file held every
other station's deposit for the import's length (55 s for 200,000 rows; they failed after the
5 s busy timeout). So an import writes chunk by chunk, each chunk one short transaction with
its appointments, their audit rows and `import_batch_item` rows naming what it did; between
chunks the importer leaves the lock free long enough for a waiting station to take it.

The chunks are visible as they commit. A cancel or a failure takes the batch back out, in short
transactions again: what it created is deleted, what it updated gets its values back, each with
an audit row `import_withdrawn`, and the batch ends with `import_removed`. The trail is
append-only, so the chunks' own audit rows stay: the trail tells that they came and went. An
appointment the counter has used meanwhile (arrived, closed, changed) is left as it is and
counted. A batch left `running` by a process that died is removed by the next import once its
heartbeat is STALE_AFTER old. See docs/import-limits.md.
"""

from __future__ import annotations

import time as clock_time
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from ...models import Appointment, AuditEvent, Companion, ImportBatch, ImportBatchItem
from ..core.actor import Actor
from ..core.audit import jsonable, record
from ..core.context import ServiceContext
from ..counter.appointments import state_of

STALE_AFTER = timedelta(minutes=2)
REMOVE_CHUNK = 500
# SQLite's busy handler retries a waiting writer at least every 100 ms: a pause a little longer
# than that after each chunk lets it in before the import takes the lock again.
SQLITE_PAUSE_S = 0.12
DATE_FIELDS = frozenset({"slot_date", "birth_date"})
DATETIME_FIELDS = frozenset({"finished_at", "updated_at"})


@dataclass(frozen=True)
class Removal:
    """What taking a batch back did: deleted, restored, left (used at the counter meanwhile)."""

    removed: int = 0
    restored: int = 0
    kept: int = 0

    def __add__(self, other: Removal) -> Removal:
        return Removal(self.removed + other.removed, self.restored + other.restored,
                       self.kept + other.kept)


def _from_json(name: str, value: Any) -> Any:
    if value is None or not isinstance(value, str):
        return value
    if name in DATE_FIELDS:
        return date.fromisoformat(value)
    if name == "slot_time":
        return time.fromisoformat(value)
    if name in DATETIME_FIELDS:
        return datetime.fromisoformat(value)
    return value


class Batches:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def pause_for_others(self) -> None:
        """On SQLite, leave the write lock free for a moment (see SQLITE_PAUSE_S)."""
        if self.ctx.db.dialect == "sqlite":
            clock_time.sleep(SQLITE_PAUSE_S)

    def open(self, actor: Actor, file_name: str, now: datetime) -> int:
        with self.ctx.db.write() as s:
            batch = ImportBatch(file_name=file_name[:255], user_login=actor.login,
                                station=actor.station, started_at=now, heartbeat_at=now,
                                state="running")
            s.add(batch)
            s.flush()
            return batch.id

    def note(self, s: Session, batch_id: int, items: list[dict[str, Any]]) -> None:
        """Within a chunk's transaction: what it did, and the batch's heartbeat."""
        if items:
            s.execute(insert(ImportBatchItem), [{**item, "batch_id": batch_id}
                                                for item in items])
        s.execute(update(ImportBatch).where(ImportBatch.id == batch_id)
                  .values(heartbeat_at=self.ctx.clock.now()))

    def finish(self, s: Session, batch_id: int) -> None:
        """Within the last transaction: the batch is kept; its working rows go."""
        s.execute(delete(ImportBatchItem).where(ImportBatchItem.batch_id == batch_id))
        s.execute(update(ImportBatch).where(ImportBatch.id == batch_id).values(state="done"))

    def remove_stale(self, actor: Actor) -> Removal:
        """Take back the batches a dead process left running (heartbeat older than STALE_AFTER)."""
        cutoff = self.ctx.clock.now() - STALE_AFTER
        with self.ctx.db.read() as s:
            stale = list(s.scalars(select(ImportBatch.id).where(
                ImportBatch.state == "running", ImportBatch.heartbeat_at < cutoff)))
        total = Removal()
        for batch_id in stale:
            total += self.remove(actor, batch_id, "processus interrompu")
        return total

    def remove(self, actor: Actor, batch_id: int, why: str, *, committed: bool = True
               ) -> Removal:
        """Take the batch back, chunk by chunk; nothing of it stays but its audit rows.

        A batch none of whose chunks committed has nothing to take back: it simply goes.
        """
        total = Removal()
        if not committed:
            with self.ctx.db.write() as s:
                s.execute(delete(ImportBatchItem).where(ImportBatchItem.batch_id == batch_id))
                s.execute(delete(ImportBatch).where(ImportBatch.id == batch_id))
            return total
        while True:
            with self.ctx.db.write() as s:
                batch = s.scalar(select(ImportBatch).where(ImportBatch.id == batch_id)
                                 .with_for_update())
                if batch is None or batch.state != "running":
                    return total
                items = list(s.scalars(select(ImportBatchItem)
                                       .where(ImportBatchItem.batch_id == batch_id)
                                       .order_by(ImportBatchItem.id.desc()).limit(REMOVE_CHUNK)))
                if not items:
                    batch.state = "removed"
                    record(s, actor, self.ctx.clock.now(), "import_removed", "import",
                           batch.file_name[:64], after={"batch": batch_id, "why": why,
                                                        "removed": total.removed,
                                                        "restored": total.restored,
                                                        "kept": total.kept})
                    return total
                total += self._take_back(s, actor, batch, items, why)
            self.pause_for_others()

    def _take_back(self, s: Session, actor: Actor, batch: ImportBatch,
                   items: list[ImportBatchItem], why: str) -> Removal:
        now = self.ctx.clock.now()
        ids = [item.appointment_id for item in items]
        found = {a.id: a for a in s.scalars(select(Appointment).where(Appointment.id.in_(ids))
                                            .with_for_update())}
        removed: list[int] = []
        restored = kept = 0
        events: list[AuditEvent] = []
        for item in items:
            a = found.get(item.appointment_id)
            if a is None:
                continue
            if (a.outcome != item.outcome or a.updated_at != item.updated_at
                    or a.arrived_at is not None):
                kept += 1  # the counter has used it since: not the import's to take back
                continue
            before = state_of(a)
            if item.created:
                removed.append(a.id)
                after = None
            else:
                for name, value in (item.before or {}).items():
                    setattr(a, name, _from_json(name, value))
                restored += 1
                after = state_of(a)
            events.append(AuditEvent(
                at=now, user_id=actor.user_id, user_login=actor.login, station=actor.station,
                action="import_withdrawn", entity_type="appointment", entity_id=str(a.id),
                appointment_id=a.id, before=jsonable(before),
                after=None if after is None else jsonable(after),
                reason=f"import retiré ({why}) : {batch.file_name}"[:500]))
        s.flush()
        if removed:
            s.execute(delete(Companion).where(Companion.appointment_id.in_(removed)))
            s.execute(delete(Appointment).where(Appointment.id.in_(removed))
                      .execution_options(synchronize_session=False))
        s.add_all(events)
        s.execute(delete(ImportBatchItem).where(ImportBatchItem.id.in_([i.id for i in items])))
        s.execute(update(ImportBatch).where(ImportBatch.id == batch.id).values(heartbeat_at=now))
        return Removal(len(removed), restored, kept)
