"""The database server crashes and comes back while stations deposit.

Three station processes deposit on a throwaway PostgreSQL server; it is killed (``pg_ctl stop -m
immediate``) for three seconds and started again. No station crashes: each is refused with the
French « La base de données ne répond pas » sentence, retries as an agent would, and finishes its
queue once the server is back; nothing is lost, doubled or half-written, and the numbers have no
gap (a deposit whose reply was lost is found by looking it up, not registered twice).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from rdv_desktop.errors import DatabaseUnavailable
from rdv_desktop.models.db import Database
from tests.faults.stations import Station, consistency, expected_pieces, seat_at_counters, seed
from tests.faults.throwaway_pg import ThrowawayServer

STATIONS = 3
PER_STATION = 60
OUTAGE_S = 3.0


def test_server_crash_and_restart_while_depositing(outage_pg: ThrowawayServer,
                                                   tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    services = seed(outage_pg.url, keys, STATIONS)
    pieces = expected_pieces(services)
    seat_at_counters(services, STATIONS, PER_STATION)
    services.ctx.db.dispose()
    stations = [Station.start(outage_pg.url, keys, n, pace=0.03, retry_s=90)
                for n in range(1, STATIONS + 1)]
    for station in stations:
        station.wait_ready()
    for station in stations:
        station.go()
    for station in stations:  # everyone is depositing
        while len(station.events("done")) < 3:
            assert station.next_line(timeout=60) not in ("", "finished")
    outage_pg.stop("immediate")
    try:
        down_at = time.monotonic()
        probe = Database(outage_pg.url)
        with pytest.raises(DatabaseUnavailable) as refused:
            probe.ping()
        assert "La base de données ne répond pas" in refused.value.message
        probe.dispose()
        time.sleep(max(0.0, OUTAGE_S - (time.monotonic() - down_at)))
    finally:
        outage_pg.start()

    for station in stations:
        code, err = station.finish(timeout=300)
        assert code == 0, err
        assert "Traceback" not in err
        assert len(station.events("done")) == PER_STATION
        refusals = station.events("unavailable")
        assert refusals, f"station {station.counter} never saw the outage"
        assert all("La base de données ne répond pas" in r[1] for r in refusals), refusals

    db = Database(outage_pg.url)
    problems, numbered = consistency(db, pieces)
    db.dispose()
    assert problems == []
    assert numbered == STATIONS * PER_STATION
