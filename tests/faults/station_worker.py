"""A counter station process depositing dossiers, as a real PC at a guichet would.

`station_worker.py URL KEY_DIR COUNTER [PACE_S] [RETRY_S]`

It signs in as `agent{COUNTER}`, takes everyone at its counter, prints ``ready``, waits
for a line on stdin (so every station starts depositing at the same moment), then registers one
complete deposit per appointment. Lines on stdout tell the parent what happened:
``start ID`` before a deposit, ``done ID NUMBER`` after it, ``unavailable ID MESSAGE`` when the
database refused (the station then waits and retries, as an agent would press the button again),
``finished`` at the end. A database error after RETRY_S seconds of retrying ends with exit 3.
"""

import sys
import time as clock
from datetime import datetime
from pathlib import Path

from rdv_desktop.errors import DatabaseBusy, DatabaseUnavailable
from rdv_desktop.models.db import Database
from rdv_desktop.services.core.clock import PARIS, FixedClock
from rdv_desktop.services.core.context import ServiceContext
from rdv_desktop.services.counter.dossiers import DepositRequest, DossierView, TimbreEntry
from rdv_desktop.services.counter.piece_checks import PieceCheck, checklist
from rdv_desktop.services.counter.stage import Stage
from rdv_desktop.services.setup import Services

MOTIF = "AES_SALARIE"
SITUATIONS = frozenset({"entree_irreguliere"})
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)

url, key_dir, counter = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
pace = float(sys.argv[4]) if len(sys.argv) > 4 else 0.0
retry_budget = float(sys.argv[5]) if len(sys.argv) > 5 else 60.0
station = f"GUICHET-{counter}"

ctx = ServiceContext.create(Database(url), "CANTAL", FixedClock(NOW), station, key_dir,
                            key_dir.parent / f"pdf-{counter}")
services = Services.build(ctx)
agent = services.users.authenticate(f"agent{counter}", f"motdepasse-agent{counter}", station,
                                    counter)
services.keys.signer()  # load the site key now, as a station does at its first deposit

# Whoever sits at this counter and is not finished yet: seated by the test, or left over by
# a station process that was killed in the middle of a deposit.
ids = [v.id for v in services.appointments.day(agent, NOW.date())
       if v.counter_number == counter and v.stage is Stage.AT_COUNTER]

motif = services.catalogue.current().motif(MOTIF)
checks = tuple(PieceCheck(line.piece.code, "received" if line.applies else "not_applicable")
               for line in checklist(motif, SITUATIONS))


def deposit(appointment_id: int, n: int) -> DossierView:
    """Register, retrying while the database is away; a lost reply is found by looking it up."""
    deadline = clock.monotonic() + retry_budget
    request = DepositRequest(appointment_id, MOTIF, "Première demande", SITUATIONS, checks,
                             (TimbreEntry(f"{counter:04d}{appointment_id:012d}", 10000),))
    attempted = False
    while True:
        try:
            if attempted:
                # The previous attempt may have committed before the connection dropped.
                earlier = services.dossiers.latest_for(appointment_id)
                if earlier is not None:
                    return earlier
            attempted = True
            return services.dossiers.register(agent, request)
        except (DatabaseUnavailable, DatabaseBusy) as exc:
            print("unavailable", appointment_id, exc.message, flush=True)
            if clock.monotonic() > deadline:
                sys.exit(3)
            clock.sleep(0.25)


print("ready", flush=True)
sys.stdin.readline()
for n, appointment_id in enumerate(ids):
    print("start", appointment_id, flush=True)
    dossier = deposit(appointment_id, n)
    print("done", appointment_id, dossier.number, flush=True)
    if pace:
        clock.sleep(pace)
print("finished", flush=True)
