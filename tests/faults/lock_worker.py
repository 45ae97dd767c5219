"""Another program holding the SQLite write lock: `lock_worker.py PATH HOLD_S`.

Takes the lock with BEGIN IMMEDIATE (as a station's write does), prints ``locked``, and keeps it
HOLD_S seconds, or until a line arrives on stdin when HOLD_S is 0, then rolls back.
"""

import sqlite3
import sys
import time

path, hold = sys.argv[1], float(sys.argv[2])
conn = sqlite3.connect(path, isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
if hold > 0:
    time.sleep(hold)
else:
    sys.stdin.readline()
conn.execute("ROLLBACK")
conn.close()
print("released", flush=True)
