"""Every counter and desk command, failed at each of its writes in turn, leaves no trace.

A `before_flush` hook raises at the n-th flush of the act (each step of a command flushes: the
appointment change, its audit row, the dossier, its number, the new appointment, the rendered
paper's audit row…), for n = 1, 2, … until the command runs out of flushes; every time, the
database must be exactly as before. Then the command runs whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.core.clock import FixedClock
from rdv_desktop.services.counter.booking import NewAppointment
from rdv_desktop.services.setup import Services
from tests.counter.test_commands import arrive, first_missing_code, footprint, request_for
from tests.flows import TODAY, at_counter

REBOOK = datetime(2026, 12, 10, 9, 0)


class Injected(RuntimeError):
    """The failure planted at one write of an act."""


@contextmanager
def failing_flush(n: int) -> Iterator[list[int]]:
    """Raise `Injected` at the n-th flush made inside the block; yields the flush count."""
    seen = [0]

    def hook(_session: Session, _context: Any, _instances: Any) -> None:
        seen[0] += 1
        if seen[0] == n:
            raise Injected(f"panne injectée à l'écriture {n}")

    event.listen(Session, "before_flush", hook)
    try:
        yield seen
    finally:
        event.remove(Session, "before_flush", hook)


Act = Callable[[], object]


def scenario(name: str, services: Services, accueil: Actor, agent: Actor,
             clock: FixedClock) -> Act:
    """Bring the database to the state the act starts from; return the act."""
    counter, desk = services.counter, services.desk
    if name == "call_next":
        arrive(services, accueil, "Appel", time(9, 30))
        return lambda: counter.call_next(agent)
    if name in ("recall", "send_back", "receive"):
        arrive(services, accueil, "Appel", time(9, 30))
        counter.call_next(agent)
        return lambda: getattr(counter, name)(agent)
    if name == "deposit":
        person = at_counter(services, accueil, agent)
        return lambda: counter.register_deposit(agent, request_for(services, person))
    if name == "incomplete":
        person = at_counter(services, accueil, agent)
        request = request_for(services, person, frozenset({first_missing_code(services)}))
        return lambda: counter.register_incomplete(agent, request, REBOOK)
    if name == "redirect":
        person = at_counter(services, accueil, agent)
        anef = next(m.code for m in services.catalogue.current().motifs if m.anef_redirect)
        return lambda: counter.redirect(agent, person, anef)
    if name == "undo_incomplete":
        person = at_counter(services, accueil, agent)
        request = request_for(services, person, frozenset({first_missing_code(services)}))
        counter.register_incomplete(agent, request, REBOOK)
        return lambda: counter.undo(agent, person, "erreur de saisie")
    if name == "walk_in":
        new = NewAppointment("Sans", "Rendez-vous", TODAY, time(10, 0), None,
                             source="walk_in")
        return lambda: desk.walk_in(accueil, new, check_in_now=True, print_convocation=False)
    if name == "later_with_convocation":
        new = NewAppointment("Plus", "Tard", TODAY + timedelta(days=5), time(9, 0), "RETRAITE")
        return lambda: desk.walk_in(accueil, new, check_in_now=False, print_convocation=True)
    if name == "close_day":
        services.booking.create(accueil, NewAppointment("Absent", "Test", TODAY, time(8, 0),
                                                        "RETRAITE"))
        services.booking.create(accueil, NewAppointment("Absente", "Test", TODAY, time(8, 15),
                                                        "RETRAITE"))
        return lambda: counter.close_day(agent, TODAY)
    raise AssertionError(name)


MULTI_STEP = {"deposit", "incomplete", "redirect", "undo_incomplete", "walk_in",
              "later_with_convocation", "close_day"}
COMMANDS = ["call_next", "recall", "send_back", "receive", "deposit", "incomplete",
            "redirect", "undo_incomplete", "walk_in", "later_with_convocation", "close_day"]


@pytest.mark.parametrize("name", COMMANDS)
def test_a_failure_at_any_write_leaves_no_trace(name: str, services: Services, accueil: Actor,
                                               agent: Actor, clock: FixedClock) -> None:
    act = scenario(name, services, accueil, agent, clock)
    services.catalogue.current()  # warm the catalogue cache: its first read is not the act's
    before = footprint(services)
    n = 1
    while True:
        with failing_flush(n) as seen:
            try:
                act()
            except Injected:
                assert footprint(services) == before, f"{name}: trace left by a failure at {n}"
                n += 1
                continue
        assert seen[0] < n  # the act made fewer than n flushes: every write was tried
        break
    assert n >= 2  # at least one write was made to fail
    if name in MULTI_STEP:
        assert n > 2, f"{name}: the act writes several things, each one was made to fail"
    assert footprint(services) != before  # and whole, it changed the database
