"""A station importing ROWS appointments for 26/11/2026 (URL ROWS PAUSE_AT), in chunks.

Protocol on stdin/stdout, so the test decides when things overlap: prints « ready » and waits
for a line; imports through the real ImportService; when PAUSE_AT rows are done (so the first
chunks have committed and the current one is open, its audit rows not yet chained) prints
« paused » and waits for a line; prints « committed N » once the import is committed.
"""

import sys
import tempfile
from datetime import datetime
from pathlib import Path

from rdv_desktop.models.db import Database
from rdv_desktop.services.core.actor import system_actor
from rdv_desktop.services.core.clock import PARIS, FixedClock
from rdv_desktop.services.core.context import ServiceContext
from rdv_desktop.services.importing import ImportService
from rdv_desktop.services.setup import Services

url, rows, pause_at = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ctx = ServiceContext.create(Database(url), "CANTAL", FixedClock(datetime(2026, 11, 26, 10, 0,
                                                                       tzinfo=PARIS)))
services = Services.build(ctx)
importer = ImportService(services.appointments, services.catalogue)
path = Path(tempfile.mkdtemp(prefix="feed-import-")) / "export.csv"
path.write_text("\n".join(["Référence;Nom;Prénom;Date;Heure;Motif"] + [
    f"FEED-{i};Importe{i};Jeanne;26/11/2026;{8 + i // 60 % 10:02d}:{i % 60:02d};RETRAITE"
    for i in range(rows)]), encoding="utf-8")


def pause(done: int, _total: int) -> None:
    if done == pause_at:
        print("paused", flush=True)
        sys.stdin.readline()


print("ready", flush=True)
sys.stdin.readline()
report = importer.import_file(system_actor("IMPORT-1"), path, progress=pause)
print("committed", report.created, flush=True)
