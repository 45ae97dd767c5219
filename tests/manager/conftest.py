"""Manager-office fixtures: a month of demo history generated through the real dossier path.

Generating that month costs 1 to 2 s, so it is done once per session and per database kind,
then copied into each test's own empty database: a test may change its copy freely.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import Connection, make_url

from rdv_desktop.models import Appointment, Base
from rdv_desktop.models.db import Database
from rdv_desktop.services.core.actor import Actor, system_actor
from rdv_desktop.services.core.clock import FixedClock
from rdv_desktop.services.core.context import ServiceContext
from rdv_desktop.services.demo import DemoOptions, generate_demo
from rdv_desktop.services.setup import Services, prepare_database
from tests.conftest import PG_BASE_URL, TEST_NOW, make_actor
from tests.ui_thread_guard import ui_thread_guard  # noqa: F401 (autouse: UI code never opens a session on the main thread)

TODAY = date(2026, 11, 26)
HISTORY = DemoOptions(TODAY, per_day=16, days_back=30, seed=7)


@dataclass
class HistorySnapshots:
    """Per database kind: where the generated month is kept, and the signing keys made for it
    (the database publishes the site key, so every copy needs the matching private key)."""

    root: Path
    sqlite_file: Path | None = None
    pg_schema: str | None = None
    keys: dict[str, Path] = field(default_factory=dict)


def _generate(url: str, keys: Path, pdf: Path) -> None:
    db = Database(url)
    try:
        ctx = ServiceContext.create(db, "CANTAL", FixedClock(TEST_NOW), "TEST-1", keys, pdf)
        prepare_database(ctx)
        generate_demo(Services.build(ctx), system_actor("TEST-1"), HISTORY)
    finally:
        db.dispose()


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's own backup: a consistent file even if the source still has a WAL beside it."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def _copy_rows(conn: Connection, source: str, target: str) -> None:
    """Copy every application table from schema `source` into the empty tables of `target`,
    parents first, then move each id sequence past the copied ids."""
    for table in Base.metadata.sorted_tables:
        columns = ", ".join(f'"{c.name}"' for c in table.columns)
        conn.execute(text(f'INSERT INTO "{target}"."{table.name}" ({columns}) '
                          f'SELECT {columns} FROM "{source}"."{table.name}"'))
        for column in table.primary_key.columns:
            sequence = conn.scalar(text("SELECT pg_get_serial_sequence(:table, :column)"),
                                   {"table": f'"{target}"."{table.name}"',
                                    "column": column.name})
            if sequence is not None:
                conn.execute(text(
                    f'SELECT setval(:sequence, COALESCE((SELECT MAX("{column.name}") '
                    f'FROM "{target}"."{table.name}"), 0) + 1, false)'),
                    {"sequence": sequence})


def _snapshot_pg(url: str, snapshot: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        schema = conn.scalar(text("SELECT current_schema()"))
        conn.execute(text(f'CREATE SCHEMA "{snapshot}"'))
        for table in Base.metadata.sorted_tables:
            conn.execute(text(f'CREATE TABLE "{snapshot}"."{table.name}" AS '
                              f'TABLE "{schema}"."{table.name}"'))
    engine.dispose()


def _restore_pg(url: str, snapshot: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        _copy_rows(conn, snapshot, conn.scalar(text("SELECT current_schema()")))
    engine.dispose()


@pytest.fixture(scope="session")
def history_snapshots(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HistorySnapshots]:
    snapshots = HistorySnapshots(tmp_path_factory.mktemp("history"))
    yield snapshots
    if snapshots.pg_schema is not None:
        engine = create_engine(PG_BASE_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{snapshots.pg_schema}" CASCADE'))
        engine.dispose()


@pytest.fixture
def db_url(db_url: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The shared empty database, already filled with the month of history when the test asks
    for `history` (filled here, before any service or engine opens it)."""
    if "history" not in request.fixturenames:
        return db_url
    snapshots: HistorySnapshots = request.getfixturevalue("history_snapshots")
    kind = make_url(db_url).get_backend_name()
    keys = tmp_path / "keys"
    if kind == "sqlite":
        path = Path(make_url(db_url).database or "")
        if snapshots.sqlite_file is None:
            built_keys = snapshots.root / "sqlite-keys"
            _generate(db_url, built_keys, snapshots.root / "sqlite-pdf")
            snapshots.sqlite_file = snapshots.root / "history.sqlite3"
            _sqlite_copy(path, snapshots.sqlite_file)
            snapshots.keys[kind] = built_keys
        else:
            _sqlite_copy(snapshots.sqlite_file, path)
    elif snapshots.pg_schema is None:
        built_keys = snapshots.root / "pg-keys"
        _generate(db_url, built_keys, snapshots.root / "pg-pdf")
        engine = create_engine(db_url)
        with engine.connect() as conn:
            snapshot = f"{conn.scalar(text('SELECT current_schema()'))}_history"
        engine.dispose()
        _snapshot_pg(db_url, snapshot)
        snapshots.pg_schema = snapshot
        snapshots.keys[kind] = built_keys
    else:
        _restore_pg(db_url, snapshots.pg_schema)
    shutil.copytree(snapshots.keys[kind], keys, dirs_exist_ok=True)
    return db_url


@pytest.fixture
def history(services: Services) -> Services:
    """The services on a database holding a month of demo history (see `db_url` above)."""
    return services


@pytest.fixture
def manager(services: Services) -> Actor:
    """A manager whose login does not collide with the demo's « chef »."""
    return make_actor(services, "direction", {"manager"}, counter=2)


def appointment_rows(services: Services, start: date, end: date) -> list[Appointment]:
    """The appointments of [start, end] read straight from the table, for expected values."""
    with services.ctx.db.read() as s:
        return list(s.scalars(select(Appointment).where(
            Appointment.slot_date.between(start, end))))
