"""Engine and session set-up for SQLite (one PC) and PostgreSQL (several stations).

Services open one short session per user action with ``db.read()`` or ``db.write()``. On SQLite
a write session starts with ``BEGIN IMMEDIATE`` so two writers queue on the busy timeout instead
of failing half-way; on PostgreSQL rows that must be taken once are locked ``FOR UPDATE``.
Driver errors are turned into the French errors of :mod:`rdv_desktop.errors` here, once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    InterfaceError,
    NoSuchModuleError,
    OperationalError,
)
from sqlalchemy.orm import Session, sessionmaker

from ..errors import ConfigurationError, DatabaseBusy, DatabaseUnavailable

SQLITE_BUSY_TIMEOUT_MS = 5000
PG_CONNECT_TIMEOUT_S = 3
_WRITE = "rdv_write"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Let SQLAlchemy's begin event emit BEGIN itself (pysqlite's own would defer the lock).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    write = conn.get_execution_options().get(_WRITE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def build_engine(url: str, **kwargs: Any) -> Engine:
    """Create the engine for `url`; a malformed URL or unknown driver is a ConfigurationError."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigurationError(f"Adresse de base de données invalide : {url!r}") from exc
    try:
        if parsed.get_backend_name() == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(parsed, **kwargs)
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin)
            return engine
        if parsed.get_backend_name() == "postgresql":
            if parsed.drivername == "postgresql":
                parsed = parsed.set(drivername="postgresql+psycopg")
            connect_args = dict(kwargs.pop("connect_args", {}))
            connect_args.setdefault("connect_timeout", PG_CONNECT_TIMEOUT_S)
            return create_engine(
                parsed, pool_pre_ping=True, connect_args=connect_args, **kwargs
            )
    except (NoSuchModuleError, ArgumentError, ImportError) as exc:
        message = f"Pilote de base de données inconnu : {parsed.drivername}"
        raise ConfigurationError(message) from exc
    raise ConfigurationError(
        f"Base de données non prise en charge : {parsed.get_backend_name()} "
        "(SQLite ou PostgreSQL seulement)"
    )


def describe_url(url: str) -> str:
    """The URL without its password, for the status bar and messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def translate_db_error(exc: DBAPIError, url: str) -> Exception:
    """A driver error as the French error a person can act on."""
    text_ = str(exc.orig).lower() if exc.orig is not None else str(exc).lower()
    if "locked" in text_ or "busy" in text_:
        return DatabaseBusy(
            "La base de données est occupée par un autre poste. Réessayez dans un instant."
        )
    if isinstance(exc, (OperationalError, InterfaceError)) or exc.connection_invalidated:
        return DatabaseUnavailable(
            f"La base de données ne répond pas ({describe_url(url)}). Aucune modification n'a "
            "été enregistrée ; l'application réessaiera automatiquement."
        )
    return exc


class Database:
    """The one handle services get: engine, session factories and error translation."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = build_engine(url, **engine_kwargs)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(
            self.engine.execution_options(**{_WRITE: True}), expire_on_commit=False
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def display_url(self) -> str:
        return describe_url(self.url)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._translated(), self._read() as session, session.begin():
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction that commits on success and leaves nothing behind on error."""
        with self._translated(), self._write() as session, session.begin():
            yield session

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except DBAPIError as exc:
            translated = translate_db_error(exc, self.url)
            if translated is exc:
                raise
            raise translated from exc

    def ping(self) -> None:
        """Raise DatabaseUnavailable unless a trivial query answers."""
        with self._translated(), self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()
