"""A station process taking dossier numbers: `number_worker.py URL COUNT` prints one per line."""

import sys

from rdv_desktop.models.db import Database
from rdv_desktop.services.counter.numbering import next_number

db = Database(sys.argv[1])
for _ in range(int(sys.argv[2])):
    with db.write() as s:
        print(next_number(s, "dossier", "CANTAL", "2026"), flush=True)
