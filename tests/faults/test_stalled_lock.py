"""A station frozen while it holds the dossier-number counter (PostgreSQL).

The frozen station is a real process (`stall_worker.py`) stopped with SIGSTOP in the middle of
its write session, its counter row locked. Another station asking for a number must not hang:
it gets « La base de données est occupée par un autre poste » after the lock timeout, with
nothing changed. The number comes back as soon as the frozen process dies, and even if it stays
frozen the server drops its idle transaction, so the counter never stays blocked for good.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from rdv_desktop.errors import DatabaseBusy
from rdv_desktop.models import NumberSequence
from rdv_desktop.models.db import (
    PG_IDLE_IN_TRANSACTION_TIMEOUT_S,
    PG_LOCK_TIMEOUT_S,
    Database,
)
from rdv_desktop.services.counter.numbering import dossier_number
from tests.conftest import _empty_pg

WORKER = Path(__file__).with_name("stall_worker.py")
ROOT = Path(__file__).resolve().parents[2]
BUSY_LIMIT_S = 6.0


@pytest.fixture
def db(pg_schema_url: str) -> Iterator[Database]:
    """The test schema, emptied, with the year's dossier counter row already there."""
    _empty_pg(pg_schema_url)
    database = Database(pg_schema_url)
    with database.write() as s:
        s.execute(insert(NumberSequence).values(kind="dossier", site_code="CANTAL",
                                                period="2026", last=0))
    yield database
    database.dispose()


@pytest.fixture
def frozen(pg_schema_url: str) -> Iterator[subprocess.Popen[str]]:
    """A station process stopped (SIGSTOP) while it holds the counter row lock."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}
    proc = subprocess.Popen([sys.executable, str(WORKER), pg_schema_url], env=env, cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        assert line == "locked CANTAL-2026-000001", (line, proc.stderr and proc.stderr.read())
        _wait_stopped(proc.pid)
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()  # SIGKILL ends a stopped process too
        proc.wait(timeout=30)
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def _wait_stopped(pid: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "T":
        assert time.monotonic() < deadline, "the worker did not stop itself"
        time.sleep(0.02)


def _take_number(db: Database) -> str:
    with db.write() as s:
        return dossier_number(s, "CANTAL", 2026)


def _last(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(NumberSequence.last).where(NumberSequence.kind == "dossier")) or 0


@pytest.mark.pg_only
def test_frozen_holder_gives_busy_quickly_then_the_lock_comes_back(
        db: Database, frozen: subprocess.Popen[str]) -> None:
    started = time.monotonic()
    with pytest.raises(DatabaseBusy) as busy:
        _take_number(db)
    waited = time.monotonic() - started
    print(f"\nlock held by a frozen station: DatabaseBusy after {waited:.2f} s")
    assert busy.value.message == (
        "La base de données est occupée par un autre poste. Réessayez dans un instant.")
    assert PG_LOCK_TIMEOUT_S - 0.5 < waited < BUSY_LIMIT_S
    assert _last(db) == 0  # reading is not blocked, and nothing was taken

    frozen.kill()
    frozen.wait(timeout=30)
    started = time.monotonic()
    assert _take_number(db) == "CANTAL-2026-000001"  # the frozen station's number was never used
    assert time.monotonic() - started < BUSY_LIMIT_S


@pytest.mark.pg_only
def test_server_drops_a_frozen_transaction_by_itself(
        db: Database, frozen: subprocess.Popen[str]) -> None:
    """Nobody kills the frozen process: the idle-in-transaction timeout frees the counter."""
    started = time.monotonic()
    while True:
        try:
            number = _take_number(db)
            break
        except DatabaseBusy:
            assert time.monotonic() - started < PG_IDLE_IN_TRANSACTION_TIMEOUT_S + BUSY_LIMIT_S
    freed = time.monotonic() - started
    print(f"\nfrozen transaction dropped by the server: number taken after {freed:.2f} s")
    assert number == "CANTAL-2026-000001"
    assert frozen.poll() is None  # still frozen: the server did it alone

    frozen.send_signal(signal.SIGCONT)
    out, err = frozen.communicate("\n", timeout=30)
    assert frozen.returncode == 0, err
    assert out.strip() in ("released", "lost")
    assert _last(db) == 1
