"""Running station processes and checking what they left in the database.

The consistency check is the heart of the fault tests: whatever happened to the processes, every
appointment is either deposited with exactly one numbered dossier (checklist snapshot, timbre,
signature, audit rows) or still at the counter with nothing of a dossier behind it, and the
numbers are 1..N without a gap.
"""

from __future__ import annotations

import queue
import re
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path

from sqlalchemy import func, insert, select

from rdv_desktop.models import Appointment, AuditEvent, Counter, Dossier, NumberSequence, User
from rdv_desktop.models.db import Database
from rdv_desktop.models.migrate import upgrade
from rdv_desktop.services.core.actor import system_actor
from rdv_desktop.services.core.clock import FixedClock
from rdv_desktop.services.core.context import ServiceContext
from rdv_desktop.services.counter.piece_checks import checklist
from rdv_desktop.services.setup import (
    DEFAULT_COUNTERS,
    Services,
    ensure_site,
    prepare_database,
)
from tests.conftest import TEST_NOW, make_actor

WORKER = Path(__file__).with_name("station_worker.py")
MOTIF = "AES_SALARIE"
SITUATIONS = frozenset({"entree_irreguliere"})
_NUMBER = re.compile(r"CANTAL-2026-(\d{6})")


def seed(url: str, key_dir: Path, counters: int) -> Services:
    """Schema, site with N guichets, catalogue, accounts agent1..N, the site signing key."""
    ctx = ServiceContext.create(Database(url), "CANTAL", FixedClock(TEST_NOW), "TEST-1",
                                key_dir, key_dir.parent / "pdf")
    upgrade(ctx.db)
    ensure_site(ctx, system_actor("TEST-1"), max(counters, DEFAULT_COUNTERS))
    prepare_database(ctx)
    services = Services.build(ctx)
    for n in range(1, counters + 1):
        make_actor(services, f"agent{n}", {"agent"}, n)
    services.keys.signer(create_if_missing=True)
    return services


def seat_at_counters(services: Services, counters: int, per_counter: int) -> list[int]:
    """Put `per_counter` people at each guichet, already received (the check-in, call and
    service steps are tested elsewhere; here only the deposits race)."""
    now = TEST_NOW
    with services.ctx.db.write() as s:
        site_id = services.appointments.site_id(s)
        counter_ids = dict(s.execute(select(Counter.number, Counter.id)
                                     .where(Counter.site_id == site_id)).all())
        agents = dict(s.execute(select(User.login, User.id)).all())
        start = (s.scalar(select(func.max(Appointment.id))) or 0) + 1
        rows = [
            {"reference": f"F-{start + i:08d}", "source": "walk_in", "site_id": site_id,
             "slot_date": now.date(), "slot_time": time(10, 0), "family_name": f"Charge{i}",
             "given_names": "Test", "birth_date": date(1990, 1, 1), "motif_code": MOTIF,
             "outcome": "pending", "arrived_at": now, "ticket": f"F{i % 1000:03d}",
             "called_at": now, "counter_id": counter_ids[1 + i % counters],
             "service_started_at": now, "agent_id": agents[f"agent{1 + i % counters}"],
             "created_at": now, "updated_at": now}
            for i in range(counters * per_counter)
        ]
        s.execute(insert(Appointment), rows)
        return list(s.scalars(select(Appointment.id).where(Appointment.id >= start)))


@dataclass
class Station:
    """One station process; a thread drains its stdout so a kill never loses a line."""

    counter: int
    proc: subprocess.Popen[str]
    lines: queue.Queue[str] = field(default_factory=queue.Queue)
    seen: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, url: str, key_dir: Path, counter: int, pace: float = 0.0,
              retry_s: float = 60.0) -> Station:
        proc = subprocess.Popen(
            [sys.executable, str(WORKER), url, str(key_dir), str(counter), str(pace),
             str(retry_s)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        station = cls(counter, proc)
        threading.Thread(target=station._drain, daemon=True).start()
        return station

    def _drain(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put("")  # end of stream

    def next_line(self, timeout: float) -> str:
        line = self.lines.get(timeout=timeout)
        self.seen.append(line)
        return line

    def wait_ready(self, timeout: float = 300) -> None:
        line = self.next_line(timeout)
        if line != "ready":
            _out, err = self.proc.communicate(timeout=30)
            raise AssertionError(f"station {self.counter} not ready: {line!r}\n{err}")

    def go(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()

    def finish(self, timeout: float) -> tuple[int, str]:
        """Wait for the exit; returns (exit code, stderr) with every stdout line collected."""
        self.proc.wait(timeout=timeout)
        assert self.proc.stderr is not None
        err = self.proc.stderr.read()
        while (line := self.lines.get(timeout=10)) != "":
            self.seen.append(line)
        return self.proc.returncode, err

    def events(self, kind: str) -> list[list[str]]:
        """Complete event lines of `kind`; a line cut short by SIGKILL counts as never sent."""
        events = [line.split(" ", 2)[1:] for line in self.seen if line.startswith(kind + " ")]
        return [e for e in events if e and e[0].isdigit()]

    def in_flight(self) -> set[int]:
        """Appointments whose deposit had started but whose reply never came back."""
        done = {int(e[0]) for e in self.events("done")}
        return {int(e[0]) for e in self.events("start")} - done


def expected_pieces(services: Services) -> int:
    motif = services.catalogue.current().motif(MOTIF)
    return len(checklist(motif, SITUATIONS))


def consistency(db: Database, pieces: int) -> tuple[list[str], int]:
    """Problems found (empty when all is well) and the number of registered dossiers."""
    problems: list[str] = []
    with db.read(long=True) as s:  # a bulk check of thousands of rows, not a station's read
        rows = list(s.scalars(select(Dossier)))
        dossiers = {d.appointment_id: d for d in rows}
        if len(dossiers) != len(rows):
            problems.append(f"{len(rows)} dossiers for {len(dossiers)} appointments")
        registered = {e.entity_id: e for e in s.scalars(
            select(AuditEvent).where(AuditEvent.action == "dossier_registered"))}
        outcomes: dict[int, list[AuditEvent]] = {}
        for e in s.scalars(select(AuditEvent).where(AuditEvent.action == "outcome")):
            outcomes.setdefault(e.appointment_id or 0, []).append(e)
        last = s.scalar(select(func.max(NumberSequence.last))
                        .where(NumberSequence.kind == "dossier")) or 0
        for a in s.scalars(select(Appointment)):
            d = dossiers.get(a.id)
            if a.outcome == "pending":
                if d is not None or outcomes.get(a.id):
                    problems.append(f"appointment {a.id} pending but has a dossier or outcome")
                if a.service_started_at is None:
                    problems.append(f"appointment {a.id} left the counter")
                continue
            if a.outcome != "deposited" or d is None:
                problems.append(f"appointment {a.id}: outcome {a.outcome}, dossier {d}")
                continue
            if d.number is None or not _NUMBER.fullmatch(d.number) or not d.complete:
                problems.append(f"dossier {d.id}: bad number {d.number!r}")
                continue
            if len(d.pieces) != pieces or len(d.timbres) != 1 or not d.qr_payload:
                problems.append(f"dossier {d.number}: {len(d.pieces)} pieces, "
                                f"{len(d.timbres)} timbres, payload {d.qr_payload!r}")
            if d.number not in registered:
                problems.append(f"dossier {d.number}: no dossier_registered audit row")
            after = [e.after or {} for e in outcomes.get(a.id, [])]
            if [x.get("number") for x in after] != [d.number]:
                problems.append(f"dossier {d.number}: outcome audit rows {after}")
        numbers = sorted(int(d.number[-6:]) for d in dossiers.values() if d.number)
        if numbers != list(range(1, len(numbers) + 1)):
            problems.append(f"numbers not 1..{len(numbers)}: gaps or duplicates")
        if last != len(numbers):
            problems.append(f"sequence at {last} but {len(numbers)} numbered dossiers")
        if len(registered) != len(numbers):
            problems.append(f"{len(registered)} registration audit rows for {len(numbers)}")
    return problems, len(numbers)
