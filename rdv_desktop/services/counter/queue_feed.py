"""What changed since a station last looked, without ever missing a committed change.

Every change to an appointment writes an audit row naming it, in the same transaction, so the
audit trail is the feed. The question is where a station stands in it: a `FeedCursor` says
which writing transactions the station's last poll could already see, and the next poll asks
for the audit rows of every transaction it could not.

- SQLite serialises writers (`BEGIN IMMEDIATE`) and gives each new row the highest id plus one
  while holding the write lock, so ids become visible in id order: the cursor is the next id.
- PostgreSQL allocates ids before commit: a 3,000-row import commits ids lower than those of the
  check-ins committed meanwhile, and a max-id cursor skipped them. Each audit row is stamped
  with its transaction id (server default, migration 0004) and the cursor is the previous
  poll's snapshot: its xmax (every later transaction is new) and its list of transactions then
  in progress (each is new once it commits). Only committed rows are visible to the query, so a
  transaction still running is simply asked for again next time: nothing is guessed, no window.

The idle poll is one statement on an index (the snapshot and an empty range scan on PostgreSQL,
`max(id)` on SQLite). Every `reconcile_every` seconds a safety net also reads a fingerprint of
each of the day's rows in the same snapshot and hands back any row that changed without the
feed reporting it (a write that bypassed the audit trail); `QueueChanges.repaired` names them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from ...models import Appointment, AuditEvent
from ..core.actor import Actor
from .appointment_views import AppointmentView
from .appointments import AppointmentService

RECONCILE_EVERY_S = 30.0
CALL_ACTIONS = frozenset({"call", "recall"})
VIEW_CHUNK = 500  # ids per IN list when building views (an import touches thousands)

# What the safety net compares for each of the day's rows. `updated_at` alone would do in
# production; the step columns also catch a change made with an unchanged clock (tests, a
# manual fix in SQL) and are what the queue shows.
FINGERPRINT = (
    Appointment.updated_at, Appointment.outcome, Appointment.slot_time, Appointment.motif_code,
    Appointment.arrived_at, Appointment.ticket, Appointment.called_at, Appointment.counter_id,
    Appointment.service_started_at, Appointment.finished_at, Appointment.agent_id,
)

# The snapshot and the audit rows it shows that the previous snapshot did not, in one
# statement (so in one snapshot even outside REPEATABLE READ). The LEFT JOIN keeps one row
# when nothing changed, carrying the new snapshot. xid8 converts to bigint through its text.
# A visible row always has xact_id < xmax; the bound only drops rows restored from another
# server's dump, whose ids would otherwise match `>= position` at every poll.
_PG_HEAD = """
SELECT CAST(CAST(pg_snapshot_xmax(snap.s) AS text) AS bigint) AS position,
       ARRAY(SELECT CAST(CAST(x AS text) AS bigint) FROM pg_snapshot_xip(snap.s) AS x)
         AS pending"""
_PG_SNAPSHOT = "FROM (SELECT pg_current_snapshot() AS s) AS snap"
_PG_EVENTS = text(f"""{_PG_HEAD}, e.appointment_id, e.action
{_PG_SNAPSHOT}
LEFT JOIN audit_event AS e
  ON e.appointment_id IS NOT NULL
 AND e.xact_id < CAST(CAST(pg_snapshot_xmax(snap.s) AS text) AS bigint)
 AND (e.xact_id >= CAST(:position AS bigint) OR e.xact_id = ANY(CAST(:pending AS bigint[])))""")
_PG_NOW = text(f"{_PG_HEAD} {_PG_SNAPSHOT}")

Fingerprints = Mapping[int, tuple[Any, ...]]


@dataclass(frozen=True)
class FeedCursor:
    """Where a station stands in the feed; opaque to callers, who hand it back unchanged.

    `position`/`pending`: PostgreSQL, the xmax and in-progress transactions of the last
    snapshot; SQLite, the next audit id and nothing. The rest is the safety net's memory: the
    day's fingerprints at the last reconcile and the appointments reported since.
    """

    dialect: str
    position: int
    pending: tuple[int, ...] = ()
    day: date | None = None
    known: Fingerprints | None = field(default=None, compare=False, repr=False)
    reported: frozenset[int] = field(default=frozenset(), repr=False)
    reconcile_at: float = 0.0


@dataclass(frozen=True)
class QueueChanges:
    cursor: FeedCursor
    changed: tuple[AppointmentView, ...]
    calls: tuple[AppointmentView, ...]  # appointments called or recalled in this window
    repaired: tuple[int, ...] = ()  # ids the safety net found changed without an audit row

    @property
    def last_event_id(self) -> FeedCursor:
        """The cursor, under the name callers used when it was an audit id."""
        return self.cursor


@dataclass(frozen=True)
class _Head:
    position: int
    pending: tuple[int, ...]


class QueueFeed:
    """Stateless apart from its settings: every station's state travels in its cursor."""

    def __init__(self, appointments: AppointmentService, *,
                 reconcile_every: float = RECONCILE_EVERY_S,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.appointments = appointments
        self.ctx = appointments.ctx
        self.reconcile_every = reconcile_every
        self._monotonic = monotonic

    def latest_event_id(self) -> FeedCursor:
        """The cursor for « now »: call it before loading the day, then poll from it.

        A change committed between the two is reported again by the next poll (harmless, the
        queue updates rows in place); one committed after it is never lost.
        """
        with self._snapshot() as s:
            return self._cursor(self._head(s))

    def changes(self, actor: Actor, day: date, since: FeedCursor | int) -> QueueChanges:
        """Appointments of `day` changed by transactions `since` could not see yet.

        Anything but a cursor of this database kind (the callers' initial 0), or a cursor from
        the future (the database was restored or replaced), gives the whole day as changed.
        """
        self.ctx.require(actor, "queue.view")
        cursor = (since if isinstance(since, FeedCursor) and since.dialect == self.ctx.db.dialect
                  else None)
        now = self._monotonic()
        with self._snapshot() as s:
            if cursor is None:
                return self._whole_day(s, day, self._head(s), now)
            head, events = self._events(s, cursor)
            if head.position < cursor.position:
                return self._whole_day(s, day, head, now)
            ids = {appointment_id for appointment_id, _action in events}
            called = {appointment_id for appointment_id, action in events
                      if action in CALL_ACTIONS}
            known, reported, due = cursor.known, cursor.reported | ids, cursor.reconcile_at
            repaired: set[int] = set()
            if known is None or cursor.day != day or now >= due:
                fresh = self._fingerprints(s, day)
                if known is not None and cursor.day == day:
                    repaired = {i for i, row in fresh.items() if known.get(i) != row} - reported
                known, reported, due = fresh, frozenset(), now + self.reconcile_every
            after = self._cursor(head, day, known, reported, due)
            if not ids and not repaired:
                return QueueChanges(after, (), ())
            views = self._views(s, day, ids | repaired)
            return QueueChanges(after, views, tuple(v for v in views if v.id in called),
                                tuple(sorted(repaired)))

    # -- helpers -----------------------------------------------------------------------------

    @contextmanager
    def _snapshot(self) -> Iterator[Session]:
        """A read transaction whose statements all see one snapshot.

        SQLite's read transactions already do; PostgreSQL's default (READ COMMITTED) takes a
        new snapshot per statement, and the safety net must compare fingerprints taken in the
        very snapshot the cursor records. Read-only REPEATABLE READ never fails to serialise.
        """
        with self.ctx.db.read() as s:
            if self.ctx.db.dialect == "postgresql":
                s.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            yield s

    def _cursor(self, head: _Head, day: date | None = None, known: Fingerprints | None = None,
                reported: frozenset[int] = frozenset(), due: float = 0.0) -> FeedCursor:
        return FeedCursor(self.ctx.db.dialect, head.position, head.pending, day, known,
                          reported, due)

    def _head(self, s: Session) -> _Head:
        if self.ctx.db.dialect == "postgresql":
            position, pending = s.execute(_PG_NOW).one()
            return _Head(position, tuple(sorted(pending)))
        return _Head((s.scalar(select(func.max(AuditEvent.id))) or 0) + 1, ())

    def _events(self, s: Session, cursor: FeedCursor) -> tuple[_Head, list[tuple[int, str]]]:
        """The new snapshot, and (appointment id, action) of each audit row new to it."""
        if self.ctx.db.dialect == "postgresql":
            rows = s.execute(_PG_EVENTS, {"position": cursor.position,
                                          "pending": list(cursor.pending)}).all()
            head = _Head(rows[0].position, tuple(sorted(rows[0].pending)))
            return head, [(r.appointment_id, r.action) for r in rows
                          if r.appointment_id is not None]
        head = self._head(s)
        if head.position <= cursor.position:
            return head, []
        rows = s.execute(
            select(AuditEvent.appointment_id, AuditEvent.action)
            .where(AuditEvent.id >= cursor.position, AuditEvent.appointment_id.is_not(None))
        ).all()
        return head, [(r.appointment_id, r.action) for r in rows]

    @staticmethod
    def _fingerprints(s: Session, day: date) -> dict[int, tuple[Any, ...]]:
        rows = s.execute(select(Appointment.id, *FINGERPRINT).where(Appointment.slot_date == day))
        return {r[0]: tuple(r[1:]) for r in rows}

    def _whole_day(self, s: Session, day: date, head: _Head, now: float) -> QueueChanges:
        """Every row of `day`, when the station's position cannot be trusted."""
        known = self._fingerprints(s, day)
        views = self._views(s, day, set(known))
        after = self._cursor(head, day, known, frozenset(), now + self.reconcile_every)
        return QueueChanges(after, views, ())

    def _views(self, s: Session, day: date, ids: set[int]) -> tuple[AppointmentView, ...]:
        ordered = sorted(ids)
        rows: list[Appointment] = []
        for start in range(0, len(ordered), VIEW_CHUNK):
            rows += s.scalars(select(Appointment).where(
                Appointment.id.in_(ordered[start:start + VIEW_CHUNK]),
                Appointment.slot_date == day)).all()
        build = self.appointments.builder(s)
        return tuple(build.view(a) for a in rows)
