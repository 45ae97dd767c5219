"""Dossier numbers: unique, consecutive, no gap, even when stations take them at the same time."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from rdv_desktop.models.db import Database
from rdv_desktop.services.counter.numbering import dossier_number, next_number, ticket_number

WORKER = Path(__file__).with_name("number_worker.py")


def test_format_and_rollback_gives_number_back(db: Database) -> None:
    with db.write() as s:
        assert dossier_number(s, "CANTAL", 2026) == "CANTAL-2026-000001"
    try:
        with db.write() as s:
            assert dossier_number(s, "CANTAL", 2026) == "CANTAL-2026-000002"
            raise RuntimeError("deposit failed after numbering")
    except RuntimeError:
        pass
    with db.write() as s:
        assert dossier_number(s, "CANTAL", 2026) == "CANTAL-2026-000002"
        assert dossier_number(s, "CANTAL", 2027) == "CANTAL-2027-000001"
        assert dossier_number(s, "AUTRE", 2026) == "AUTRE-2026-000001"


def test_tickets_roll_over_letters(db: Database) -> None:
    with db.write() as s:
        tickets = [ticket_number(s, "CANTAL", "2026-11-26") for _ in range(1000)]
    assert tickets[0] == "A001" and tickets[998] == "A999" and tickets[999] == "B001"


def test_threads_get_consecutive_numbers(db_url: str) -> None:
    db = Database(db_url, pool_size=8) if db_url.startswith("postgresql") else Database(db_url)
    taken: list[int] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(25):
            with db.write() as s:
                n = next_number(s, "dossier", "CANTAL", "2026")
            with lock:
                taken.append(n)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db.dispose()
    assert sorted(taken) == list(range(1, 151))


def test_processes_get_consecutive_numbers(pg_schema_url: str) -> None:
    """Several OS processes on PostgreSQL, as several stations would."""
    from tests.conftest import _empty_pg

    _empty_pg(pg_schema_url)
    procs = [
        subprocess.Popen([sys.executable, str(WORKER), pg_schema_url, "40"],
                         stdout=subprocess.PIPE, text=True)
        for _ in range(5)
    ]
    numbers: list[int] = []
    for p in procs:
        out, _ = p.communicate(timeout=120)
        assert p.returncode == 0
        numbers += [int(line) for line in out.split()]
    assert sorted(numbers) == list(range(1, 201))
