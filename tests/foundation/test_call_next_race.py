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


def test_parallel_call_next_on_postgresql(pg_schema_url: str, tmp_path: Path) -> None:
    _empty_pg(pg_schema_url)
    db = Database(pg_schema_url)
    ctx = ServiceContext.create(db, "CANTAL", FixedClock(TEST_NOW), "TEST", tmp_path / "k")
    prepare_database(ctx)
    services = Services.build(ctx)
    accueil = make_actor(services, "accueil1", {"accueil"})
    for n in range(1, 5):
        make_actor(services, f"agent{n}", {"agent"}, n)
    ids = []
    for i in range(120):
        view = services.booking.create(accueil, NewAppointment(
            f"Personne{i}", "Test", date(2026, 11, 26), time(10, i % 60), "RETRAITE"))
        services.appointments.check_in(accueil, view.id, accept_timing=True)
        ids.append(view.id)
    db.dispose()
    procs = [subprocess.Popen([sys.executable, str(WORKER), pg_schema_url, str(n), f"agent{n}",
                               "serve"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
             for n in range(1, 5)]
    for p in procs:
        assert p.stdout.readline().strip() == "ready"
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
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
    _empty_pg(pg_schema_url)
    db = Database(pg_schema_url)
    ctx = ServiceContext.create(db, "CANTAL", FixedClock(TEST_NOW), "TEST", tmp_path / "k")
    prepare_database(ctx)
    services = Services.build(ctx)
    accueil = make_actor(services, "accueil1", {"accueil"})
    for n in range(1, 5):
        make_actor(services, f"agent{n}", {"agent"}, 1)
    for i in range(8):
        view = services.booking.create(accueil, NewAppointment(
            f"Personne{i}", "Test", date(2026, 11, 26), time(10, i), "RETRAITE"))
        services.appointments.check_in(accueil, view.id, accept_timing=True)
    db.dispose()
    procs = [subprocess.Popen([sys.executable, str(WORKER), pg_schema_url, "1", f"agent{n}",
                               "once"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
             for n in range(1, 5)]
    for p in procs:
        assert p.stdout.readline().strip() == "ready"
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
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
