"""The stations' live feed never misses a committed change, whatever the commit order.

Real databases and real processes: a 3,000-row import holding its audit ids uncommitted while
check-ins commit higher ones was the case a « last audit id » cursor lost (2,000 rows unseen
until a manual reload).
"""

from __future__ import annotations

import dataclasses
import math
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from datetime import time as hour
from pathlib import Path

import pytest
from sqlalchemy import event, func, insert, select, text, update

from rdv_desktop.models import Appointment, AuditEvent, Site
from rdv_desktop.models.db import Database
from rdv_desktop.services.core.actor import Actor, system_actor
from rdv_desktop.services.core.audit import record
from rdv_desktop.services.core.clock import FixedClock
from rdv_desktop.services.core.context import ServiceContext
from rdv_desktop.services.counter.booking import NewAppointment
from rdv_desktop.services.counter.queue_feed import FeedCursor, QueueFeed
from rdv_desktop.services.setup import Services, prepare_database
from tests.conftest import TEST_NOW, _empty_pg, make_actor

TODAY = date(2026, 11, 26)
WORKER = Path(__file__).with_name("import_worker.py")


def book(services: Services, actor: Actor, count: int, day: date = TODAY) -> list[int]:
    return [services.booking.create(actor, NewAppointment(
        f"Personne{i}", "Test", day, hour(9 + i % 8, i % 60), "RETRAITE")).id
        for i in range(count)]


def station(url: str, name: str, tmp_path: Path) -> Services:
    """Another station: its own engine and connections on the same database."""
    return Services.build(ServiceContext.create(Database(url), "CANTAL", FixedClock(TEST_NOW),
                                                name, tmp_path / "keys", tmp_path / "pdf"))


def statements(db: Database) -> list[str]:
    """Every SQL statement the engine sends from now on, transaction control left out."""
    sent: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        if statement.strip().upper() not in ("BEGIN", "COMMIT", "ROLLBACK"):
            sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    return sent


class Ticking:
    """A monotonic clock the test moves by hand (the safety net's cadence)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def ids(changes: object) -> set[int]:
    return {v.id for v in changes.changed}  # type: ignore[attr-defined]


# -- both databases ---------------------------------------------------------------------------


def test_idle_poll_is_one_statement_and_a_change_is_that_row(
        services: Services, db_url: str, accueil: Actor, agent: Actor, tmp_path: Path) -> None:
    today = book(services, accueil, 3)
    other = station(db_url, "ACCUEIL-2", tmp_path)
    feed = QueueFeed(services.appointments, monotonic=Ticking())
    first = feed.changes(agent, TODAY, feed.latest_event_id())  # takes the net's baseline
    assert (first.changed, first.calls, first.repaired) == ((), (), ())

    sent = statements(services.ctx.db)
    idle = feed.changes(agent, TODAY, first.cursor)
    assert (idle.changed, idle.calls) == ((), ())
    assert len(sent) == 1 and "audit_event" in sent[0]

    other.appointments.check_in(accueil, today[1], accept_timing=True)
    tomorrow = other.booking.create(accueil, NewAppointment(
        "Demain", "Test", TODAY + timedelta(days=1), hour(9, 0), "RETRAITE")).id
    arrived = feed.changes(agent, TODAY, idle.cursor)
    assert ids(arrived) == {today[1]}  # tomorrow's new booking is not today's queue
    assert arrived.changed[0].arrived_at is not None and arrived.calls == ()

    other.appointments.call(agent, today[1])
    called = feed.changes(agent, TODAY, arrived.cursor)
    assert ids(called) == {today[1]} and [v.id for v in called.calls] == [today[1]]
    assert feed.changes(agent, TODAY, called.cursor).changed == ()
    assert ids(feed.changes(agent, TODAY + timedelta(days=1), idle.cursor)) == {tomorrow}
    other.ctx.db.dispose()


def test_no_usable_cursor_gives_the_whole_day(services: Services, accueil: Actor,
                                              agent: Actor) -> None:
    today = book(services, accueil, 4)
    book(services, accueil, 2, TODAY + timedelta(days=1))
    feed = QueueFeed(services.appointments)
    cursor = feed.latest_event_id()
    assert feed.changes(agent, TODAY, cursor).changed == ()
    start = feed.changes(agent, TODAY, 0)  # what a panel holds before its first load
    assert ids(start) == set(today) and start.calls == ()
    assert feed.changes(agent, TODAY, start.cursor).changed == ()
    restored = dataclasses.replace(cursor, position=cursor.position + 10**6)  # a restored base
    assert ids(feed.changes(agent, TODAY, restored)) == set(today)
    foreign = FeedCursor("oracle", 1)
    assert ids(feed.changes(agent, TODAY, foreign)) == set(today)


def test_safety_net_hands_back_rows_changed_behind_the_audit_trail(
        services: Services, db_url: str, accueil: Actor, agent: Actor, tmp_path: Path) -> None:
    today = book(services, accueil, 3)
    other = station(db_url, "ACCUEIL-2", tmp_path)
    ticking = Ticking()
    feed = QueueFeed(services.appointments, reconcile_every=30.0, monotonic=ticking)
    cursor = feed.changes(agent, TODAY, feed.latest_event_id()).cursor
    db = services.ctx.db
    with db.engine.begin() as conn:  # a manual fix in SQL: no audit row
        conn.execute(update(Appointment).where(Appointment.id == today[0])
                     .values(ticket="Z99"))
        site_id = conn.scalar(select(Site.id))
        conn.execute(insert(Appointment).values(
            reference="SQL-1", source="manual", site_id=site_id, slot_date=TODAY,
            slot_time=hour(16, 0), family_name="Sql", created_at=TEST_NOW, updated_at=TEST_NOW))
        added = conn.scalar(select(Appointment.id).where(Appointment.reference == "SQL-1"))
    other.appointments.check_in(accueil, today[2], accept_timing=True)  # audited
    seen = feed.changes(agent, TODAY, cursor)
    assert ids(seen) == {today[2]} and seen.repaired == ()  # the net is not due yet
    ticking.now += 31
    net = feed.changes(agent, TODAY, seen.cursor)
    assert net.repaired == tuple(sorted({today[0], added}))
    assert ids(net) == {today[0], added}
    assert next(v for v in net.changed if v.id == today[0]).ticket == "Z99"
    ticking.now += 31
    calm = feed.changes(agent, TODAY, net.cursor)
    assert (calm.changed, calm.repaired) == ((), ())
    other.ctx.db.dispose()


# -- PostgreSQL: commits out of id order ------------------------------------------------------


@pytest.fixture
def pg_services(pg_schema_url: str, tmp_path: Path) -> Iterator[Services]:
    _empty_pg(pg_schema_url)
    ctx = ServiceContext.create(Database(pg_schema_url), "CANTAL", FixedClock(TEST_NOW),
                                "TEST-1", tmp_path / "keys", tmp_path / "pdf")
    prepare_database(ctx)
    services = Services.build(ctx)
    yield services
    ctx.db.dispose()


@pytest.mark.pg_only
def test_a_transaction_open_at_the_last_poll_is_reported_when_it_commits(
        pg_services: Services, pg_schema_url: str, tmp_path: Path) -> None:
    accueil = make_actor(pg_services, "accueil1", {"accueil"})
    late, early = book(pg_services, accueil, 2)
    poller = station(pg_schema_url, "GUICHET-2", tmp_path)
    feed = QueueFeed(poller.appointments, reconcile_every=0.0)  # the net at every poll, too
    viewer = system_actor("GUICHET-2")
    cursor = feed.latest_event_id()
    with pg_services.ctx.db.write() as s:  # the long transaction, open across a poll
        a = s.get(Appointment, late)
        assert a is not None
        a.motif_source_label, a.updated_at = "modifié", TEST_NOW + timedelta(seconds=1)
        slow = record(s, accueil, TEST_NOW, "import_update", "appointment", late,
                      appointment_id=late)
        other = station(pg_schema_url, "ACCUEIL-2", tmp_path)
        other.appointments.check_in(accueil, early, accept_timing=True)
        meanwhile = feed.changes(viewer, TODAY, cursor)
        assert ids(meanwhile) == {early} and meanwhile.repaired == ()
        xact = s.scalar(text("SELECT CAST(CAST(pg_current_xact_id() AS text) AS bigint)"))
        assert xact in meanwhile.cursor.pending
        cursor = meanwhile.cursor
    with poller.ctx.db.read() as s:
        # Audit ids are taken when the row is chained, at commit (models/audit_chain.py):
        # the transaction that began first still commits last, with the highest id.
        assert slow.id == s.scalar(select(func.max(AuditEvent.id)))
    after = feed.changes(viewer, TODAY, cursor)
    assert ids(after) == {late} and after.repaired == ()  # fingerprints share the snapshot
    assert feed.changes(viewer, TODAY, after.cursor).changed == ()
    other.ctx.db.dispose()
    poller.ctx.db.dispose()


@pytest.mark.pg_only
def test_idle_poll_uses_the_index_on_a_large_audit_trail(pg_services: Services) -> None:
    from rdv_desktop.services.counter import queue_feed

    db = pg_services.ctx.db
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO audit_event (at, user_login, station, action, entity_type, "
            "appointment_id) SELECT now(), 'x', 'x', 'checkin', 'appointment', g "
            "FROM generate_series(1, 50000) AS g"))
        conn.execute(text("ANALYZE audit_event"))
    cursor = QueueFeed(pg_services.appointments).latest_event_id()
    with db.engine.begin() as conn:
        plan = "\n".join(conn.execute(
            text("EXPLAIN " + queue_feed._PG_EVENTS.text),
            {"position": cursor.position, "pending": [cursor.position + 1]}).scalars())
    assert "ix_audit_event_xact_id" in plan and "Seq Scan on audit_event" not in plan


@pytest.mark.pg_only
def test_rows_restored_from_another_server_are_not_reported_again(pg_services: Services) -> None:
    accueil = make_actor(pg_services, "accueil1", {"accueil"})
    (booked,) = book(pg_services, accueil, 1)
    feed = QueueFeed(pg_services.appointments, reconcile_every=math.inf)
    cursor = feed.latest_event_id()
    with pg_services.ctx.db.engine.begin() as conn:  # a dump's row: another server's xid
        conn.execute(insert(AuditEvent).values(
            at=TEST_NOW, user_login="x", station="x", action="checkin",
            entity_type="appointment", appointment_id=booked, xact_id=cursor.position + 10**6))
    first = feed.changes(accueil, TODAY, cursor)
    assert first.changed == ()  # without the xmax bound it matched `>= position` every poll
    assert feed.changes(accueil, TODAY, first.cursor).changed == ()


class Poller(threading.Thread):
    """A station polling every ~100 ms, remembering every row and arrival it was shown."""

    def __init__(self, services: Services) -> None:
        super().__init__(daemon=True)
        self.feed = QueueFeed(services.appointments, reconcile_every=math.inf)  # no net: the
        self.actor = system_actor("GUICHET-9")  # feed alone must be exact
        self.cursor = self.feed.latest_event_id()
        self.seen: set[int] = set()
        self.arrived: set[int] = set()
        self.repaired: list[int] = []
        self.polls = 0
        self.halt = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.halt.is_set():
                changes = self.feed.changes(self.actor, TODAY, self.cursor)
                self.cursor = changes.cursor
                self.seen |= ids(changes)
                self.arrived |= {v.id for v in changes.changed if v.arrived_at is not None}
                self.repaired += changes.repaired
                self.polls += 1
                self.halt.wait(0.1)
        except BaseException as exc:  # surfaced by the test, not lost in the thread
            self.error = exc

    def wait_for(self, done: Callable[[], bool], seconds: float) -> float:
        begin = time.monotonic()
        while not done() and time.monotonic() - begin < seconds and self.error is None:
            time.sleep(0.02)
        assert self.error is None, self.error
        return time.monotonic() - begin


@pytest.mark.pg_only
def test_a_long_import_committed_after_check_ins_is_seen_whole(
        pg_services: Services, pg_schema_url: str, tmp_path: Path) -> None:
    accueil = make_actor(pg_services, "accueil1", {"accueil"})
    waiting = book(pg_services, accueil, 40)
    poller_station = station(pg_schema_url, "GUICHET-9", tmp_path)
    poller = Poller(poller_station)
    poller.start()
    worker = subprocess.Popen([sys.executable, str(WORKER), pg_schema_url, "3000", "1500"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert worker.stdin is not None and worker.stdout is not None
    checked: set[int] = set()
    try:
        assert worker.stdout.readline().strip() == "ready"
        worker.stdin.write("go\n")
        worker.stdin.flush()
        for appointment_id in waiting[:10]:  # while the import runs
            pg_services.appointments.check_in(accueil, appointment_id, accept_timing=True)
            checked.add(appointment_id)
        assert worker.stdout.readline().strip() == "paused"  # 1,500 rows written, open
        for appointment_id in waiting[10:]:
            pg_services.appointments.check_in(accueil, appointment_id, accept_timing=True)
            checked.add(appointment_id)
        poller.wait_for(lambda: checked <= poller.arrived, 2.0)
        assert checked <= poller.arrived  # check-ins show while the import is still open
        worker.stdin.write("go\n")
        worker.stdin.flush()
        out, _ = worker.communicate(timeout=120)
        assert worker.returncode == 0 and out.split() == ["committed", "3000"]
        with pg_services.ctx.db.read() as s:
            imported = set(s.scalars(select(Appointment.id)
                                     .where(Appointment.reference.like("FEED-%"))))
            import_ids = s.scalars(select(AuditEvent.id)
                                   .where(AuditEvent.appointment_id.in_(imported))).all()
            checkin_ids = s.scalars(select(AuditEvent.id).where(
                AuditEvent.appointment_id.in_(checked), AuditEvent.action == "checkin")).all()
        assert len(imported) == 3000
        # The import began first, but audit rows take their ids when chained, at commit: the
        # chunk open at the pause commits after every check-in (an import commits in chunks).
        assert max(import_ids) > max(checkin_ids)
        took = poller.wait_for(lambda: imported <= poller.seen, 2.0)
        assert took < 2.0, f"import not seen whole after {took:.1f} s"
    finally:
        poller.halt.set()
        poller.join(10)
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        poller_station.ctx.db.dispose()
    assert poller.error is None, poller.error
    assert poller.seen == imported | checked
    assert poller.arrived == checked
    assert poller.repaired == []
    assert poller.polls > 10
