"""A station starting up: `migrate_worker.py URL` waits for "go" then migrates."""

import sys

from rdv_desktop.models.db import Database
from rdv_desktop.models.migrate import current_revision, upgrade

db = Database(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()
upgrade(db)
print(current_revision(db), flush=True)
