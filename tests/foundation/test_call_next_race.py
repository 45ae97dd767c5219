"""Counters pressing « Appeler le suivant » at the same moment never get the same person, and
stations signed in on one counter number never put two people on it."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, time
from pathlib import Path

from rdv_desktop.models.db import Database
from rdv_desktop.services.core.actor import system_actor
from rdv_desktop.services.core.clock import FixedClock
from rdv_desktop.services.core.context import ServiceContext
from rdv_desktop.services.counter.booking import NewAppointment
from rdv_desktop.services.setup import Services, prepare_database
from tests.conftest import TEST_NOW, _empty_pg, make_actor

WORKER = Path(__file__).with_name("call_worker.py")


def seed_waiting(pg_schema_url: str, tmp_path: Path, agents: dict[str, int], people: int
                 ) -> list[int]:
    """A fresh database with `agents` (login → guichet) and `people` arrived for today."""
    _empty_pg(pg_schema_url)
    db = Database(pg_schema_url)
    ctx = ServiceContext.create(db, "CANTAL", FixedClock(TEST_NOW), "TEST", tmp_path / "k")
    prepare_database(ctx)
    services = Services.build(ctx)
    accueil = make_actor(services, "accueil1", {"accueil"})
    for login, counter in agents.items():
        make_actor(services, login, {"agent"}, counter)
    ids = []
    for i in range(people):
        view = services.booking.create(accueil, NewAppointment(
            f"Personne{i}", "Test", date(2026, 11, 26), time(10, i % 60), "RETRAITE"))
        services.appointments.check_in(accueil, view.id, accept_timing=True)
        ids.append(view.id)
    db.dispose()
    return ids


def start_together(pg_schema_url: str, stations: list[tuple[int, str]], mode: str
                   ) -> list[subprocess.Popen[str]]:
    """One process per (guichet, login), all released at the same moment."""
    procs = [subprocess.Popen([sys.executable, str(WORKER), pg_schema_url, str(counter), login,
                               mode],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
             for counter, login in stations]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    return procs


def test_parallel_call_next_on_postgresql(pg_schema_url: str, tmp_path: Path) -> None:
    agents = {f"agent{n}": n for n in range(1, 5)}
    ids = seed_waiting(pg_schema_url, tmp_path, agents, 120)
    procs = start_together(pg_schema_url, [(n, login) for login, n in agents.items()], "serve")
    called: list[int] = []
    per_counter = []
    for p in procs:
        out, _ = p.communicate(timeout=180)
        assert p.returncode == 0
        got = [int(x) for x in out.split()]
        per_counter.append(len(got))
        called += got
    assert sorted(called) == sorted(ids)  # everyone called exactly once
    assert sum(1 for n in per_counter if n > 0) >= 2  # the counters really raced
    check = Services.build(ServiceContext.create(Database(pg_schema_url), "CANTAL",
                                                 FixedClock(TEST_NOW)))
    views = check.appointments.day(system_actor(), date(2026, 11, 26))
    assert all(v.called_at is not None and v.counter_number is not None for v in views)
    assert len({v.counter_number for v in views}) >= 2


def test_one_counter_number_on_four_stations_calls_one_person(pg_schema_url: str,
                                                               tmp_path: Path) -> None:
    agents = {f"agent{n}": 1 for n in range(1, 5)}
    seed_waiting(pg_schema_url, tmp_path, agents, 8)
    procs = start_together(pg_schema_url, [(1, login) for login in agents], "once")
    answers = [p.communicate(timeout=120)[0].strip() for p in procs]
    called = [a for a in answers if a.startswith("called")]
    refused = [a for a in answers if a.startswith("refused")]
    assert len(called) == 1, answers
    assert len(refused) == 3, answers
    assert all("Guichet 1 :" in a and "est déjà appelé" in a for a in refused)
    check = Services.build(ServiceContext.create(Database(pg_schema_url), "CANTAL",
                                                 FixedClock(TEST_NOW)))
    views = check.appointments.day(system_actor(), date(2026, 11, 26))
    assert sum(1 for v in views if v.counter_number == 1) == 1
