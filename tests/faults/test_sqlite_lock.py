"""SQLite held locked by another writer: the station waits (busy timeout), then says so clearly.

A short lock is waited out and the deposit goes through; a lock held past the busy timeout gives
the French « base occupée » message, changes nothing (no number used, no audit row), and the
same deposit succeeds once the lock is gone. Reading the queue never waits (WAL).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rdv_desktop.errors import DatabaseBusy
from rdv_desktop.models import AuditEvent, NumberSequence
from rdv_desktop.models.db import SQLITE_BUSY_TIMEOUT_MS, Database
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.core.clock import FixedClock
from rdv_desktop.services.core.context import ServiceContext
from rdv_desktop.services.setup import Services, prepare_database
from tests.conftest import TEST_NOW, make_actor
from tests.flows import at_counter, deposit

LOCKER = Path(__file__).with_name("lock_worker.py")
BUSY_S = SQLITE_BUSY_TIMEOUT_MS / 1000


@pytest.fixture
def station(sqlite_template: Path, tmp_path: Path) -> Iterator[tuple[Services, Actor, Actor]]:
    """A one-PC SQLite station (the lock is SQLite's own matter): services, accueil, agent."""
    path = tmp_path / "rdv.sqlite3"
    shutil.copyfile(sqlite_template, path)
    ctx = ServiceContext.create(Database(f"sqlite:///{path}"), "CANTAL", FixedClock(TEST_NOW),
                                "TEST-1", tmp_path / "keys", tmp_path / "pdf")
    prepare_database(ctx)
    services = Services.build(ctx)
    services.keys.signer(create_if_missing=True)
    yield (services, make_actor(services, "accueil1", {"accueil"}),
           make_actor(services, "agent1", {"agent"}, 1))
    ctx.db.dispose()


def _lock(services: Services, hold: float) -> subprocess.Popen[str]:
    path = services.ctx.db.engine.url.database
    proc = subprocess.Popen([sys.executable, str(LOCKER), str(path), str(hold)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def _state(services: Services) -> tuple[int, int]:
    with services.ctx.db.read() as s:
        audit = s.scalar(select(func.max(AuditEvent.id))) or 0
        last = s.scalar(select(func.max(NumberSequence.last))
                        .where(NumberSequence.kind == "dossier")) or 0
    return audit, last


def test_short_lock_is_waited_out(station: tuple[Services, Actor, Actor]) -> None:
    services, accueil, agent = station
    appointment_id = at_counter(services, accueil, agent)
    locker = _lock(services, 1.0)
    started = time.monotonic()
    dossier = deposit(services, agent, appointment_id)
    waited = time.monotonic() - started
    assert locker.wait(timeout=30) == 0
    assert dossier.number == "CANTAL-2026-000001"
    assert 0.5 < waited < BUSY_S


def test_long_lock_gives_a_clear_message_and_changes_nothing(
        station: tuple[Services, Actor, Actor]) -> None:
    services, accueil, agent = station
    appointment_id = at_counter(services, accueil, agent)
    before = _state(services)
    locker = _lock(services, 0)
    try:
        # Reading goes on while another program writes.
        day = services.appointments.day(agent, TEST_NOW.date())
        assert [v.id for v in day] == [appointment_id]
        started = time.monotonic()
        with pytest.raises(DatabaseBusy) as busy:
            deposit(services, agent, appointment_id)
        assert time.monotonic() - started >= BUSY_S * 0.9  # waited the whole busy timeout
        assert busy.value.message == ("La base de données est occupée par un autre poste. "
                                      "Réessayez dans un instant.")
    finally:
        assert locker.stdin is not None
        locker.stdin.write("release\n")
        locker.stdin.flush()
        locker.wait(timeout=30)
    assert _state(services) == before
    assert services.dossiers.latest_for(appointment_id) is None
    # The agent presses the button again: it goes through, with the number nobody used.
    assert deposit(services, agent, appointment_id).number == "CANTAL-2026-000001"
