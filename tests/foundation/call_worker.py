"""A counter process pressing « Appeler le suivant » until nobody waits (URL COUNTER LOGIN)."""

import sys
from datetime import datetime

from rdv_desktop.models.db import Database
from rdv_desktop.services.clock import PARIS, FixedClock
from rdv_desktop.services.context import ServiceContext
from rdv_desktop.services.setup import Services

url, counter, login = sys.argv[1], int(sys.argv[2]), sys.argv[3]
ctx = ServiceContext.create(Database(url), "CANTAL", FixedClock(datetime(2026, 11, 26, 11, 0,
                                                                       tzinfo=PARIS)))
services = Services.build(ctx)
actor = services.users.authenticate(login, "motdepasse-" + login, f"GUICHET-{counter}", counter)
print("ready", flush=True)
sys.stdin.readline()  # every process starts calling at the same moment
while (view := services.appointments.call_next(actor)) is not None:
    print(view.id, flush=True)
