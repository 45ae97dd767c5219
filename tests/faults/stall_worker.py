"""A station that freezes while holding the dossier-number lock: `stall_worker.py URL`.

It opens a write session, takes the next dossier number (which locks the counter row until the
session ends), prints ``locked NUMBER`` and stops itself with SIGSTOP, as a PC whose process is
frozen (debugger, suspended VM, swapped to death) would. If it is continued it waits for a line
on stdin, then rolls back and prints ``released`` (or ``lost`` if the server had already dropped
the session); the test may as well kill it while stopped.
"""

import os
import signal
import sys

from rdv_desktop.errors import DatabaseUnavailable
from rdv_desktop.models.db import Database
from rdv_desktop.services.counter.numbering import dossier_number


class _GiveBack(Exception):
    """Leaves the write session by its error path, so nothing is committed."""


db = Database(sys.argv[1])
try:
    with db.write() as session:
        print("locked", dossier_number(session, "CANTAL", 2026), flush=True)
        os.kill(os.getpid(), signal.SIGSTOP)
        sys.stdin.readline()
        raise _GiveBack
except _GiveBack:
    print("released", flush=True)
except DatabaseUnavailable:
    print("lost", flush=True)
finally:
    db.dispose()
