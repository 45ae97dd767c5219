"""Migrations bring an empty database to head, and the models match the migrated schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from rdv_desktop.models import Base
from rdv_desktop.models.db import Database
from rdv_desktop.models.migrate import current_revision, head_revision, upgrade


def test_schema_at_head_matches_models(db: Database) -> None:
    upgrade(db)  # a second upgrade is a no-op
    assert current_revision(db) == head_revision()
    with db.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    assert diff == []


def test_upgrade_from_empty_sqlite(tmp_path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    assert current_revision(db) is None
    upgrade(db)
    assert current_revision(db) == head_revision()
    with db.engine.connect() as conn:
        mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
        fks = conn.exec_driver_sql("PRAGMA foreign_keys").scalar()
    assert (mode, fks) == ("wal", 1)


def _start_together(url: str, count: int) -> list[str]:
    import subprocess
    import sys
    from pathlib import Path

    worker = Path(__file__).with_name("migrate_worker.py")
    procs = [subprocess.Popen([sys.executable, str(worker), url], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True) for _ in range(count)]
    for p in procs:
        assert p.stdout.readline().strip() == "ready"
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    outputs = []
    for p in procs:
        out, _ = p.communicate(timeout=120)
        assert p.returncode == 0
        outputs.append(out.strip())
    return outputs


def test_stations_migrating_at_once_on_sqlite(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    assert _start_together(url, 3) == [head_revision()] * 3


def test_stations_migrating_at_once_on_postgresql(pg_schema_url: str) -> None:
    from sqlalchemy import create_engine, text

    base = pg_schema_url.partition("?")[0]
    schema = f"migr_{abs(hash(pg_schema_url)) % 10**8}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = f"{base}?options=-csearch_path%3D{schema}"
        assert _start_together(url, 3) == [head_revision()] * 3
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_start_up_check_knows_the_head_without_alembic(tmp_path) -> None:
    from rdv_desktop.models.migrate import ensure_schema, shipped_head

    assert shipped_head() == head_revision()
    db = Database(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    ensure_schema(db)  # a new database is migrated
    assert current_revision(db) == head_revision()
    ensure_schema(db)  # an up-to-date one is left alone
    assert current_revision(db) == head_revision()


def test_a_database_from_a_newer_version_is_refused_in_french(db: Database) -> None:
    import pytest
    from sqlalchemy import text

    from rdv_desktop.errors import ConfigurationError
    from rdv_desktop.models.migrate import ensure_schema

    head = head_revision()
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    try:
        for step in (ensure_schema, upgrade):
            with pytest.raises(ConfigurationError, match=r"version plus récente.*schéma 0099"):
                step(db)
        assert current_revision(db) == "0099"  # nothing was attempted
    finally:
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})
