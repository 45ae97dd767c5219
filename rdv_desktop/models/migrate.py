"""Apply the Alembic migrations shipped inside the package, safely from several processes.

The whole upgrade runs in one transaction that first takes a lock (a PostgreSQL advisory lock,
or SQLite's write lock through BEGIN IMMEDIATE): a second station starting at the same moment
waits, then finds the schema already at head and does nothing.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from .db import Database, translate_db_error

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_ADVISORY_KEY = 0x5244_5631  # "RDV1"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    try:
        with db.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except DBAPIError as exc:
        raise translate_db_error(exc, db.url) from exc


def upgrade(db: Database, revision: str = "head") -> None:
    """Bring the schema to `revision`, holding the migration lock throughout."""
    cfg = alembic_config()
    engine = db.engine.execution_options(rdv_write=True)
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ADVISORY_KEY})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    except DBAPIError as exc:
        translated = translate_db_error(exc, db.url)
        if translated is exc:
            raise
        raise translated from exc
