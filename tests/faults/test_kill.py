"""Station processes killed with SIGKILL in the middle of deposits leave no half-written dossier.

Each round seats people at three guichets, lets three station processes deposit, and kills each
one at a random moment (after a random number of deposits, plus a random fraction of one). At
the end a last, undisturbed round takes over whoever is still at a counter. Every dossier is then
either wholly there (number, checklist snapshot, timbre, signature, audit rows) or not at all, the
numbers have no gap, and every attestation whose reply was lost in the kill can be reprinted and
verifies.
"""

from __future__ import annotations

import random
import signal
import tempfile
import threading
import time
from pathlib import Path

from rdv_desktop.models.db import Database
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.setup import Services
from rdv_desktop.services.signing.qr_image import decode_image
from tests.faults.stations import Station, consistency, expected_pieces, seat_at_counters, seed

STATIONS = 3
ROUNDS = 4
PER_ROUND = 25


def _kill_round(url: str, keys: Path, rng: random.Random) -> tuple[set[int], set[int]]:
    """One round; returns (appointments in flight when killed, appointments reported done)."""
    stations = [Station.start(url, keys, n) for n in range(1, STATIONS + 1)]
    for station in stations:
        station.wait_ready()
    for station in stations:
        station.go()
    plans = [(rng.randint(1, 12), rng.uniform(0.0, 0.08)) for _ in stations]

    def kill_when(station: Station, target: int, delay: float) -> None:
        """Each station is watched on its own, so a fast one never runs out of people."""
        while len(station.events("done")) < target:
            line = station.next_line(timeout=120)
            assert line not in ("", "finished"), station.seen
        time.sleep(delay)  # somewhere inside the next deposit
        station.proc.send_signal(signal.SIGKILL)

    watchers = [threading.Thread(target=kill_when, args=(station, *plan))
                for station, plan in zip(stations, plans, strict=True)]
    for watcher in watchers:
        watcher.start()
    for watcher in watchers:
        watcher.join()
    in_flight: set[int] = set()
    done: set[int] = set()
    for station in stations:
        code, _err = station.finish(timeout=30)
        assert code == -signal.SIGKILL, station.seen
        in_flight |= station.in_flight()
        done |= {int(e[0]) for e in station.events("done")}
    return in_flight, done


def _reprint_and_verify(services: Services, agent: Actor, appointment_ids: set[int]) -> int:
    """Reprint the attestation of each committed dossier among `appointment_ids`; decode one."""
    reprinted = 0
    for appointment_id in sorted(appointment_ids):
        dossier = services.dossiers.latest_for(appointment_id)
        if dossier is None:
            continue
        assert dossier.number and dossier.qr_payload
        doc = services.documents.attestation(agent, dossier.number, reprint=True)
        assert doc.pdf.startswith(b"%PDF-")
        assert services.keys.verify(dossier.qr_payload).ok
        if reprinted == 0:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "duplicata.pdf"
                path.write_bytes(doc.pdf)
                assert decode_image(path) == [dossier.qr_payload]
        reprinted += 1
    return reprinted


def test_sigkill_during_deposits(db_url: str, tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    services = seed(db_url, keys, STATIONS)
    pieces = expected_pieces(services)
    rng = random.Random(20261126)
    seated: list[int] = []
    in_flight: set[int] = set()
    done: set[int] = set()
    rolled_back = 0
    for _ in range(ROUNDS):
        seated += seat_at_counters(services, STATIONS, PER_ROUND)
        lost, finished = _kill_round(db_url, keys, rng)
        in_flight |= lost
        done |= finished
        problems, _ = consistency(services.ctx.db, pieces)
        assert problems == []  # right after the kills: nothing half-written
        rolled_back += sum(services.dossiers.latest_for(a) is None for a in lost)
    assert in_flight, "no kill landed inside a deposit"

    # Every deposit that was reported done is there; a lost reply may or may not have committed.
    for appointment_id in done:
        assert services.dossiers.latest_for(appointment_id) is not None
    agent = services.users.authenticate("agent1", "motdepasse-agent1", "TEST-1", 1)
    _reprint_and_verify(services, agent, in_flight | set(sorted(done)[:3]))
    print(f"{len(in_flight)} deposits cut by SIGKILL, {rolled_back} before their commit")

    # The stations come back and finish the day: every number given back by a kill is reused.
    survivors = [Station.start(db_url, keys, n) for n in range(1, STATIONS + 1)]
    for station in survivors:
        station.wait_ready()
        station.go()
    for station in survivors:
        code, err = station.finish(timeout=300)
        assert code == 0, err
    db = Database(db_url)
    problems, numbered = consistency(db, pieces)
    db.dispose()
    assert problems == []
    assert numbered == len(seated) == STATIONS * PER_ROUND * ROUNDS
