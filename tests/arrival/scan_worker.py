"""One arrival-desk station as its own process: `scan_worker.py URL STATION USER_ID START CODE`.

It connects and loads the keys first, waits for the wall-clock instant START (so that several
workers scan at the same moment), scans CODE once and prints the answer as one JSON line.
"""

import json
import sys
import time

from rdv_desktop.models.db import Database
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.core.clock import PARIS, FixedClock
from rdv_desktop.services.core.context import ServiceContext
from rdv_desktop.services.setup import Services

url, station, user_id, start, code = sys.argv[1:6]
db = Database(url)
clock = FixedClock()
clock.set(__import__("datetime").datetime(2026, 11, 26, 10, 0, tzinfo=PARIS))
services = Services.build(ServiceContext.create(db, "CANTAL", clock, station))
actor = Actor(int(user_id), "accueil1", "Accueil", frozenset({"accueil"}), station)
services.checkin._keyring()  # warm: keys loaded, a pooled connection open
db.ping()
while time.time() < float(start):
    time.sleep(0.0005)
result = services.checkin.scan(actor, code)
print(json.dumps({"kind": result.kind, "reason": result.reason, "headline": result.headline,
                  "details": list(result.details)}), flush=True)
db.dispose()
