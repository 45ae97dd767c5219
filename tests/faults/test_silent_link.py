"""A network link that goes silent: sockets stay open, bytes stop flowing.

A TCP relay sits between the station and the machine's PostgreSQL. When it stops forwarding,
nothing on the station's side fails by itself (the relay's kernel ACKs, keepalives are happy);
the station's deadline watchdog must cut the connection so the agent gets « La base de données
ne répond pas » within seconds, and the same `Database` must work again once the link does.

A write whose link dies while it commits gets `OutcomeUnknown`. Whether it was saved depends on
what the network did with the COMMIT, so each case looks at the server to see what really
happened, and checks the station, once reconnected, sees the same thing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, create_engine, event, func, select, text

from rdv_desktop.errors import DatabaseUnavailable, OutcomeUnknown
from rdv_desktop.models import NumberSequence
from rdv_desktop.models.db import PING_DEADLINE_S, SESSION_DEADLINE_S, Database
from tests.faults.conftest import relayed_url
from tests.faults.tcp_relay import TcpRelay

LIMIT_S = 15.0  # the agent must hear about it well before this
APP_NAME = "rdv-silent-link"
COMMIT_DEADLINE_S = 4.0  # shorter than the default only to keep the commit cases quick
SITE = "SILENT"




@pytest.fixture
def direct(pg_schema_url: str) -> Iterator[Engine]:
    """A connection that does not go through the relay, to see what the server holds."""
    engine = create_engine(pg_schema_url)
    yield engine
    engine.dispose()


def _timed_unavailable(action: Callable[[], object]) -> float:
    """Seconds until `action()` is refused with DatabaseUnavailable."""
    started = time.monotonic()
    with pytest.raises(DatabaseUnavailable) as refused:
        action()
    elapsed = time.monotonic() - started
    assert "La base de données ne répond pas" in refused.value.message
    return elapsed


@pytest.mark.pg_only
def test_silent_link_is_noticed_and_the_same_database_recovers(pg_schema_url: str,
                                                              relay: TcpRelay) -> None:
    db = Database(relayed_url(pg_schema_url, relay))
    try:
        db.ping()  # one healthy connection in the pool

        relay.pause()
        ping_s = _timed_unavailable(db.ping)
        relay.resume()

        def read_through_silence() -> None:
            with db.read() as s:
                s.execute(text("SELECT 1"))
                relay.pause()  # the link dies in the middle of the action
                s.scalar(select(func.count()).select_from(NumberSequence))

        read_s = _timed_unavailable(read_through_silence)

        def new_read() -> None:
            with db.read() as s:
                s.execute(text("SELECT 1"))

        new_read_s = _timed_unavailable(new_read)  # connecting through the silence
        print(f"\nsilent link noticed: ping {ping_s:.2f} s, read {read_s:.2f} s, "
              f"new session {new_read_s:.2f} s")
        assert PING_DEADLINE_S - 0.5 < ping_s < LIMIT_S
        assert SESSION_DEADLINE_S - 0.5 < read_s < LIMIT_S
        assert new_read_s < LIMIT_S

        relay.resume()
        db.ping()
        with db.read() as s:
            assert s.scalar(select(func.count()).select_from(NumberSequence)) == 0
    finally:
        db.dispose()


_COUNT = select(func.count()).select_from(NumberSequence).where(NumberSequence.site_code == SITE)


def _rows_on_server(direct: Engine) -> int:
    with direct.connect() as conn:
        return conn.scalar(_COUNT) or 0


def _rows_seen_by(db: Database) -> int:
    with db.read() as s:
        return s.scalar(_COUNT) or 0


def _wait_backend_gone(direct: Engine, timeout: float = 10.0) -> None:
    """Until the server has finished with the relayed session (committed or rolled back)."""
    deadline = time.monotonic() + timeout
    query = text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :a")
    while True:
        with direct.connect() as conn:
            if conn.scalar(query, {"a": APP_NAME}) == 0:
                return
        assert time.monotonic() < deadline, "the relayed session is still open on the server"
        time.sleep(0.1)


@pytest.mark.pg_only
@pytest.mark.parametrize("fate", ["reply_lost", "commit_lost", "commit_late"])
def test_link_lost_while_committing_gives_outcome_unknown(
        pg_schema_url: str, relay: TcpRelay, direct: Engine, fate: str) -> None:
    """reply_lost: the COMMIT reached the server, its answer did not come back.
    commit_lost: the COMMIT was held on the way, then the link was reset.
    commit_late: the COMMIT was held on the way, then delivered after the station gave up."""
    db = Database(relayed_url(pg_schema_url, relay), session_deadline_s=COMMIT_DEADLINE_S,
                  connect_args={"application_name": APP_NAME})

    def cut_at_commit(_conn: object) -> None:
        relay.pause(upstream=fate != "reply_lost", downstream=True)

    try:
        db.ping()
        event.listen(db.engine, "commit", cut_at_commit)  # the next commit is the write's
        started = time.monotonic()
        with pytest.raises(OutcomeUnknown) as unknown, db.write() as s:
            s.add_all([NumberSequence(kind="dossier", site_code=SITE, period="2026", last=5),
                       NumberSequence(kind="ticket", site_code=SITE, period="2026-11-26",
                                      last=7)])
        elapsed = time.monotonic() - started
        event.remove(db.engine, "commit", cut_at_commit)
        assert "on ne sait pas encore s'il a été pris en compte" in unknown.value.message
        assert isinstance(unknown.value, DatabaseUnavailable)
        assert elapsed < LIMIT_S

        if fate == "commit_lost":
            relay.sever()
        relay.resume()  # commit_late: the held COMMIT goes through now
        _wait_backend_gone(direct)
        on_server = _rows_on_server(direct)
        print(f"\n{fate}: OutcomeUnknown after {elapsed:.2f} s, {on_server} rows on the server")
        assert on_server in (0, 2), "half a transaction on the server"
        assert on_server == (0 if fate == "commit_lost" else 2)
        assert _rows_seen_by(db) == on_server  # the station, back online, finds out the same
    finally:
        if event.contains(db.engine, "commit", cut_at_commit):
            event.remove(db.engine, "commit", cut_at_commit)
        db.dispose()
