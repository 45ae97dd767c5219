"""Apply the Alembic migrations shipped inside the package, safely from several processes.

The whole upgrade runs in one transaction that first takes a lock (a PostgreSQL advisory lock,
or SQLite's write lock through BEGIN IMMEDIATE): a second station starting at the same moment
waits, then finds the schema already at head and does nothing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from ..errors import ConfigurationError
from .db import Database, translate_db_error

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_ADVISORY_KEY = 0x5244_5631  # "RDV1"
_REVISION = re.compile(r"""^(down_revision|revision)\s*=\s*["']([^"']+)["']""", re.MULTILINE)


def _shipped() -> tuple[set[str], set[str]]:
    """Revisions and parent revisions of the migration files (read as text, no Alembic)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        for key, value in _REVISION.findall(path.read_text(encoding="utf-8")):
            (revisions if key == "revision" else parents).add(value)
    return revisions, parents


def refuse_unknown_revision(stored: str | None) -> None:
    """A database migrated by a newer rdv-desktop: say so in French instead of letting Alembic
    fail on a revision it cannot locate (and never write to a schema this code does not know)."""
    if stored is not None and stored not in _shipped()[0]:
        raise ConfigurationError(
            f"La base de données a été mise à jour par une version plus récente de rdv-desktop "
            f"(schéma {stored}, ce poste connaît au plus le schéma {shipped_head()}) : "
            "installez sur ce poste la même version que sur les autres postes.")


def shipped_head() -> str:
    """The head revision read straight from the migration files (no Alembic import)."""
    revisions, parents = _shipped()
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"migrations must have exactly one head, found {sorted(heads)}")
    return heads.pop()


def ensure_schema(db: Database) -> None:
    """At start: one cheap query when the schema is already at head, else a real upgrade.

    Importing Alembic costs ~150 ms; a station starting on an up-to-date database skips it.
    """
    try:
        with db.engine.connect() as conn:
            stored = None  # a new database has no version table yet
            if inspect(conn).has_table("alembic_version"):
                stored = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError as exc:
        raise translate_db_error(exc, db.url) from exc
    if stored != shipped_head():
        refuse_unknown_revision(stored)
        upgrade(db)


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    from alembic.runtime.migration import MigrationContext

    try:
        with db.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except DBAPIError as exc:
        raise translate_db_error(exc, db.url) from exc


def upgrade(db: Database, revision: str = "head") -> None:
    """Bring the schema to `revision`, holding the migration lock throughout."""
    from alembic import command

    cfg = alembic_config()
    engine = db.engine.execution_options(rdv_write=True)
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # Another station may be migrating: wait for it, however long, not 3 s.
                conn.execute(text("SET LOCAL lock_timeout = 0"))
                conn.execute(text("SET LOCAL statement_timeout = 0"))
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ADVISORY_KEY})
            cfg.attributes["connection"] = conn
            from alembic.runtime.migration import MigrationContext

            refuse_unknown_revision(MigrationContext.configure(conn).get_current_revision())
            command.upgrade(cfg, revision)
    except DBAPIError as exc:
        translated = translate_db_error(exc, db.url)
        if translated is exc:
            raise
        raise translated from exc
