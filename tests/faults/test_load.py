"""Eight counters depositing 250 dossiers each at the same moment on one PostgreSQL server."""

from __future__ import annotations

import time
from pathlib import Path

from rdv_desktop.models.db import Database
from tests.conftest import _empty_pg
from tests.faults.stations import Station, consistency, expected_pieces, seat_at_counters, seed

STATIONS = 8
DEPOSITS = 250


def test_eight_stations_deposit_2000_dossiers(pg_schema_url: str, tmp_path: Path) -> None:
    _empty_pg(pg_schema_url)
    keys = tmp_path / "keys"
    services = seed(pg_schema_url, keys, STATIONS)
    pieces = expected_pieces(services)
    seat_at_counters(services, STATIONS, DEPOSITS)
    services.ctx.db.dispose()
    stations = [Station.start(pg_schema_url, keys, n) for n in range(1, STATIONS + 1)]
    for station in stations:
        station.wait_ready()
    started = time.monotonic()
    for station in stations:
        station.go()
    for station in stations:
        code, err = station.finish(timeout=600)
        assert code == 0, err
        assert len(station.events("done")) == DEPOSITS
    elapsed = time.monotonic() - started
    print(f"{STATIONS * DEPOSITS} deposits from {STATIONS} processes in {elapsed:.1f} s")

    reported = [e[1] for st in stations for e in st.events("done")]
    assert len(set(reported)) == STATIONS * DEPOSITS  # no number handed out twice
    db = Database(pg_schema_url)
    problems, numbered = consistency(db, pieces)
    db.dispose()
    assert problems == []
    assert numbered == STATIONS * DEPOSITS
    assert sorted(reported) == [f"CANTAL-2026-{n:06d}" for n in range(1, numbered + 1)]
    # The stations really overlapped: each one's numbers are spread over the whole range.
    for station in stations:
        mine = sorted(int(e[1][-6:]) for e in station.events("done"))
        assert mine[-1] - mine[0] > DEPOSITS
