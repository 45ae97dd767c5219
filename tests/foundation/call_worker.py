"""A counter process pressing « Appeler le suivant » until nobody waits (URL COUNTER LOGIN MODE).

MODE « serve »: each person called is received and closed before the next call, as a counter
must (one current person per counter). MODE « once »: a single F2, printing the ticket or the
refusal, to race stations signed in on the same counter number.
"""

import sys
from datetime import datetime

from rdv_desktop.errors import InvalidTransition
from rdv_desktop.models.db import Database
from rdv_desktop.services.core.clock import PARIS, FixedClock
from rdv_desktop.services.core.context import ServiceContext
from rdv_desktop.services.setup import Services

url, counter, login, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
ctx = ServiceContext.create(Database(url), "CANTAL", FixedClock(datetime(2026, 11, 26, 11, 0,
                                                                       tzinfo=PARIS)))
services = Services.build(ctx)
actor = services.users.authenticate(login, "motdepasse-" + login, f"GUICHET-{counter}", counter)
print("ready", flush=True)
sys.stdin.readline()  # every process starts calling at the same moment
if mode == "once":
    try:
        result = services.counter.call_next(actor)
        print("called", result.view.id if result.view else "none", flush=True)
    except InvalidTransition as exc:
        print("refused", exc.message, flush=True)
    sys.exit(0)
while (view := services.appointments.call_next(actor)) is not None:
    print(view.id, flush=True)
    services.appointments.start_service(actor, view.id)
    services.appointments.set_outcome(actor, view.id, "redirected")
