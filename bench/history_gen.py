"""Years of synthetic appointment history, bulk-inserted with SQLAlchemy Core (reusable by benches).

Not the demo generator: no dossiers, signatures or audit rows, just appointments with realistic
outcomes and timestamps, fast enough to write ~1M rows. Usage from another bench:

    db = Database(url); ctx = ServiceContext.create(db, "CANTAL", FixedClock(now))
    prepare_database(ctx)
    summary = generate_history(db, HistorySpec(start, end, per_day=770))
"""

from __future__ import annotations

import random
import string
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert, select

from rdv_desktop.models import Appointment, CatalogueVersion, Counter, Motif, Site, User
from rdv_desktop.models.db import Database
from rdv_desktop.services.core.clock import PARIS

AGENT_LOGINS = tuple(f"bench-agent-{i}" for i in range(1, 9))
BATCH = 20_000


@dataclass(frozen=True)
class HistorySpec:
    start: date
    end: date  # inclusive; weekends are skipped
    per_day: int = 770
    seed: int = 1


@dataclass(frozen=True)
class HistorySummary:
    appointments: int
    days: int
    seconds: float


def _agents(db: Database) -> list[int]:
    with db.write() as s:
        known = dict(s.execute(select(User.login, User.id)).all())
        now = datetime.now(UTC)
        for login in AGENT_LOGINS:
            if login not in known:
                user = User(login=login, display_name=f"Agent {login[-1]}", roles="agent",
                            password_hash="!", active=True, failed_logins=0, created_at=now)
                s.add(user)
                s.flush()
                known[login] = user.id
        return [known[login] for login in AGENT_LOGINS]


def _context(db: Database) -> tuple[int, list[int], list[str], list[str]]:
    with db.read() as s:
        site_id = s.scalar(select(Site.id))
        counters = list(s.scalars(select(Counter.id)))
        current = select(CatalogueVersion.id).where(CatalogueVersion.current.is_(True))
        motifs = s.execute(select(Motif.code, Motif.anef_redirect)
                           .where(Motif.catalogue_version_id.in_(current))).all()
    paper = [c for c, anef in motifs if not anef]
    anef = [c for c, anef in motifs if anef]
    return site_id, counters, paper, anef


def _rows(spec: HistorySpec, site_id: int, counters: list[int], agents: list[int],
          paper: list[str], anef: list[str]) -> Iterator[dict[str, Any]]:
    rng = random.Random(spec.seed)
    letters = string.ascii_uppercase
    day = spec.start
    serial = 0
    while day <= spec.end:
        if day.weekday() >= 5:
            day += timedelta(days=1)
            continue
        midnight = datetime.combine(day, time(0), PARIS)
        for _ in range(spec.per_day):
            serial += 1
            minute = 8 * 60 + 30 + 15 * rng.randrange(32)
            slot = midnight + timedelta(minutes=minute)
            roll = rng.random()
            row: dict[str, Any] = {
                "reference": f"H{serial:08d}", "source": "import", "site_id": site_id,
                "slot_date": day, "slot_time": time(minute // 60, minute % 60),
                "family_name": "".join(rng.choices(letters, k=7)), "given_names": "Bench",
                "birth_date": date(1960 + serial % 45, 1 + serial % 12, 1 + serial % 28),
                "birth_place": "", "nationality": "", "phone": "", "email": "",
                "foreign_number": "", "motif_code": rng.choice(paper), "motif_source_label": "",
                "motif_to_confirm": False, "outcome": "pending", "arrived_at": None,
                "ticket": None, "arrival_station": None, "called_at": None, "counter_id": None,
                "service_started_at": None, "finished_at": None, "agent_id": None,
                "anonymised_at": None, "created_at": slot - timedelta(days=10),
                "updated_at": slot,
            }
            if roll < 0.04:
                row.update(outcome="cancelled", finished_at=slot - timedelta(days=1))
            elif roll < 0.13:
                row.update(outcome="no_show", finished_at=slot + timedelta(minutes=30))
            else:
                arrived = slot - timedelta(minutes=rng.randint(-10, 25), seconds=rng.randrange(60))
                called = arrived + timedelta(seconds=rng.randint(60, 75 * 60))
                started = called + timedelta(seconds=rng.randint(20, 120))
                finished = started + timedelta(seconds=rng.randint(5 * 60, 35 * 60))
                outcome = ("redirected" if roll < 0.18 else "incomplete" if roll < 0.32
                           else "deposited")
                row.update(outcome=outcome, arrived_at=arrived, called_at=called,
                           service_started_at=started, finished_at=finished,
                           counter_id=rng.choice(counters), agent_id=rng.choice(agents),
                           ticket=f"A{serial % 1000:03d}", arrival_station="ACCUEIL")
                if outcome == "redirected":
                    row["motif_code"] = rng.choice(anef)
            yield row
        day += timedelta(days=1)


def generate_history(db: Database, spec: HistorySpec) -> HistorySummary:
    """Insert the history in batches of BATCH rows, one transaction each."""
    import time as clock

    begin = clock.perf_counter()
    agents = _agents(db)
    site_id, counters, paper, anef = _context(db)
    table = Appointment.__table__
    batch: list[dict[str, Any]] = []
    total = 0
    days: set[date] = set()
    for row in _rows(spec, site_id, counters, agents, paper, anef):
        batch.append(row)
        days.add(row["slot_date"])
        if len(batch) == BATCH:
            with db.engine.begin() as conn:
                conn.execute(insert(table), batch)
            total += len(batch)
            batch = []
    if batch:
        with db.engine.begin() as conn:
            conn.execute(insert(table), batch)
        total += len(batch)
    return HistorySummary(total, len(days), clock.perf_counter() - begin)
