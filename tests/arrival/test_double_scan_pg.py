"""The same convocation scanned at two stations at the same moment: one arrival, not two."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import date
from datetime import time as hour
from pathlib import Path

import pytest

from rdv_desktop.models.db import Database
from rdv_desktop.services.core.clock import FixedClock
from rdv_desktop.services.core.context import ServiceContext
from rdv_desktop.services.counter.booking import NewAppointment
from rdv_desktop.services.setup import Services, prepare_database
from tests.arrival.conftest import arrivals, audit_count
from tests.conftest import TEST_NOW, _empty_pg, make_actor

WORKER = Path(__file__).with_name("scan_worker.py")
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.pg_only
@pytest.mark.parametrize("_round", range(3))
def test_two_stations_scan_the_same_code_at_once(pg_schema_url: str, tmp_path: Path,
                                                 _round: int) -> None:
    _empty_pg(pg_schema_url)
    db = Database(pg_schema_url)
    ctx = ServiceContext.create(db, "CANTAL", FixedClock(TEST_NOW), "TEST-1", tmp_path / "keys",
                                tmp_path / "pdf")
    prepare_database(ctx)
    services = Services.build(ctx)
    accueil = make_actor(services, "accueil1", {"accueil"})
    view = services.booking.create(accueil, NewAppointment(
        "Haddad", "Rania", date(2026, 11, 26), hour(10, 0), "AES_SALARIE"))
    code = services.documents.checkin_code(view, services.keys.signer(create_if_missing=True))
    start = time.time() + 4.0
    procs = [
        subprocess.Popen([sys.executable, str(WORKER), pg_schema_url, f"ACCUEIL-{n}",
                          str(accueil.user_id), str(start), code],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        for n in (1, 2)
    ]
    answers = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        answers.append(json.loads(out))
    kinds = sorted((a["kind"], a["reason"]) for a in answers)
    assert kinds == [("green", "checked_in"), ("red", "already")], answers
    refused = next(a for a in answers if a["kind"] == "red")
    assert refused["headline"] == "Déjà enregistré"
    assert "ticket A001" in refused["details"][1] and "poste ACCUEIL-" in refused["details"][1]
    assert arrivals(services) == 1 and audit_count(services, "checkin") == 1
    db.dispose()
