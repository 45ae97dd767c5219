"""Engine and session set-up for SQLite (one PC) and PostgreSQL (several stations).

Services open one short session per user action with ``db.read()`` or ``db.write()``. On SQLite
a write session starts with ``BEGIN IMMEDIATE`` so two writers queue on the busy timeout instead
of failing half-way; on PostgreSQL rows that must be taken once are locked ``FOR UPDATE``.
Driver errors are turned into the French errors of :mod:`rdv_desktop.errors` here, once.

On PostgreSQL no action may hang the counter: the server gives up waiting for a lock
(``lock_timeout``) or on a runaway statement (``statement_timeout``) and drops a session left
idle in a transaction (a frozen station must not keep the number counter locked); TCP keepalives
notice a dead peer; and because a link that still accepts bytes but never answers (a stuck
router, a half-dead VPN) fools keepalives, a watchdog thread cuts the socket of any session that
outlives its deadline, so the call fails with « La base de données ne répond pas » instead.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    InterfaceError,
    InvalidatePoolError,
    NoSuchModuleError,
    OperationalError,
)
from sqlalchemy.orm import Session, sessionmaker

from ..errors import ConfigurationError, DatabaseBusy, DatabaseUnavailable, OutcomeUnknown
from .audit_chain import seal as seal_audit

SQLITE_BUSY_TIMEOUT_MS = 5000
PG_CONNECT_TIMEOUT_S = 3
# Server-side limits, set on every new connection. A lock held by another station is given up
# well before an agent loses patience; a transaction left open by a frozen or unplugged station
# is rolled back (releasing its locks) by the server itself.
PG_LOCK_TIMEOUT_S = 3
PG_IDLE_IN_TRANSACTION_TIMEOUT_S = 10
PG_STATEMENT_TIMEOUT_S = 15
# libpq TCP keepalives: a peer that vanished (cable, crash of the host) is noticed in ~11 s.
PG_KEEPALIVES_IDLE_S = 5
PG_KEEPALIVES_INTERVAL_S = 2
PG_KEEPALIVES_COUNT = 3
# Client-side deadlines enforced by the watchdog (see `Database`).
LONG_SESSION_DEADLINE_S = 900  # imports, exports, purges, rollup rebuilds: bulk jobs
SESSION_DEADLINE_S = 8.0
PING_DEADLINE_S = 3.0

BUSY_MESSAGE = "La base de données est occupée par un autre poste. Réessayez dans un instant."
OUTCOME_UNKNOWN_MESSAGE = (
    "La connexion à la base a été perdue pendant l'enregistrement : on ne sait pas encore s'il "
    "a été pris en compte. La vérification se fera dès que la base répondra."
)
# SQLSTATEs meaning "another session holds what we need" or "the statement took too long".
_BUSY_SQLSTATES = frozenset({"55P03", "57014"})  # lock_not_available, query_canceled
# Errors that say nothing about what the server did with a COMMIT: no SQLSTATE at all (the link
# broke on our side), connection exceptions (08…), or the server shutting the session (57P…).
_LINK_LOST_PREFIXES = ("08", "57P")
_WRITE = "rdv_write"
_FRESH = "rdv_fresh"


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


def _pg_on_connect(dbapi_conn: Any, record: Any) -> None:
    """SET the server-side timeouts (never through libpq `options`: the URL may carry its own)."""
    autocommit = dbapi_conn.autocommit
    dbapi_conn.autocommit = True
    try:
        with dbapi_conn.cursor() as cur:
            cur.execute(f"SET lock_timeout = '{PG_LOCK_TIMEOUT_S}s'")
            cur.execute(f"SET statement_timeout = '{PG_STATEMENT_TIMEOUT_S}s'")
            cur.execute("SET idle_in_transaction_session_timeout = "
                        f"'{PG_IDLE_IN_TRANSACTION_TIMEOUT_S}s'")
    finally:
        dbapi_conn.autocommit = autocommit
    record.info[_FRESH] = True  # just connected: no need to ping it at its first checkout


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
            connect_args.setdefault("keepalives", 1)
            connect_args.setdefault("keepalives_idle", PG_KEEPALIVES_IDLE_S)
            connect_args.setdefault("keepalives_interval", PG_KEEPALIVES_INTERVAL_S)
            connect_args.setdefault("keepalives_count", PG_KEEPALIVES_COUNT)
            # No pool_pre_ping: `Database` pings in its checkout hook, under a deadline.
            engine = create_engine(parsed, connect_args=connect_args, **kwargs)
            event.listen(engine, "connect", _pg_on_connect)
            return engine
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


def _sqlstate(exc: DBAPIError) -> str | None:
    return getattr(exc.orig, "sqlstate", None)


def _link_lost(exc: DBAPIError) -> bool:
    """True when the error tells nothing of the server's side (the link itself failed)."""
    if not isinstance(exc, (OperationalError, InterfaceError)) and not exc.connection_invalidated:
        return False
    state = _sqlstate(exc)
    return state is None or state.startswith(_LINK_LOST_PREFIXES)


def translate_db_error(exc: DBAPIError, url: str, *, committing: bool = False) -> Exception:
    """A driver error as the French error a person can act on.

    `committing`: the error came from a PostgreSQL COMMIT; if the link broke then, the server
    may have committed or not, and only `OutcomeUnknown` tells the truth.
    """
    state = _sqlstate(exc)
    text_ = str(exc.orig).lower() if exc.orig is not None else str(exc).lower()
    if state in _BUSY_SQLSTATES or (state is None and ("locked" in text_ or "busy" in text_)):
        return DatabaseBusy(BUSY_MESSAGE)
    if committing and _link_lost(exc):
        return OutcomeUnknown(OUTCOME_UNKNOWN_MESSAGE)
    if isinstance(exc, (OperationalError, InterfaceError)) or exc.connection_invalidated:
        return DatabaseUnavailable(
            f"La base de données ne répond pas ({describe_url(url)}). Aucune modification n'a "
            "été enregistrée ; l'application réessaiera automatiquement."
        )
    return exc


def _socket_ends(sock: socket.socket) -> tuple[Any, Any] | None:
    try:
        return sock.getsockname(), sock.getpeername()
    except OSError:
        return None


def _dup_socket(dbapi_conn: Any) -> socket.socket | None:
    """A duplicate of the connection's socket (closing it leaves the connection's own fd)."""
    try:
        fd = dbapi_conn.pgconn.socket
        return socket.socket(fileno=os.dup(fd))
    except Exception:  # closed or broken connection: nothing left to cut
        return None


@dataclass(eq=False)
class _Link:
    """One DBAPI connection used by a watched session, with its socket's two addresses.

    The addresses are checked again before cutting, so a file descriptor number reused by
    another socket after the connection was closed is never touched.
    """

    dbapi_conn: Any
    ends: tuple[Any, Any] | None
    cut: bool = False

    @classmethod
    def of(cls, dbapi_conn: Any) -> _Link:
        sock = _dup_socket(dbapi_conn)
        if sock is None:
            return cls(dbapi_conn, None)
        with sock:
            return cls(dbapi_conn, _socket_ends(sock))

    def shut_down(self) -> None:
        """Shut the socket both ways: the thread blocked on it gets an error at once."""
        self.cut = True
        sock = _dup_socket(self.dbapi_conn) if self.ends is not None else None
        if sock is None:
            return
        with sock:
            if _socket_ends(sock) == self.ends:
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


@dataclass(eq=False)
class _Watch:
    """One session under a deadline (monotonic clock) and the connections it uses."""

    deadline: float
    links: list[_Link] = field(default_factory=list)
    fired: bool = False


class _Watchdog:
    """One daemon thread per process that cuts the connections of overdue sessions (every
    PostgreSQL `Database` shares it: a test suite or a CLI opening many never piles up threads).

    The thread sleeps until the earliest deadline (or forever when nothing is watched), so
    it costs nothing while the link is healthy.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._watches: set[_Watch] = set()
        self._thread: threading.Thread | None = None  # the one running `_run`, if any

    def begin(self, deadline_s: float) -> _Watch:
        watch = _Watch(time.monotonic() + deadline_s)
        with self._cond:
            self._watches.add(watch)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="rdv-db-watchdog",
                                                daemon=True)
                self._thread.start()
            self._cond.notify()
        return watch

    def end(self, watch: _Watch) -> None:
        with self._cond:
            self._watches.discard(watch)

    def attach(self, watch: _Watch, dbapi_conn: Any) -> None:
        link = _Link.of(dbapi_conn)
        with self._cond:
            watch.links.append(link)
            if watch.fired:  # a connection taken after the deadline is cut at once
                self._cond.notify()

    def stop(self) -> None:
        """End the thread; a later session starts a new one (the Database stays usable)."""
        with self._cond:
            thread, self._thread = self._thread, None
            self._cond.notify_all()
        if thread is not None:
            thread.join(timeout=5)

    def _run(self) -> None:
        me = threading.current_thread()
        with self._cond:
            while self._thread is me:
                now = time.monotonic()
                for watch in self._watches:
                    if now >= watch.deadline:
                        watch.fired = True
                        for link in watch.links:
                            if not link.cut:
                                link.shut_down()
                pending = [w.deadline for w in self._watches if not w.fired]
                self._cond.wait(timeout=max(0.0, min(pending) - now) if pending else None)


WATCHDOG = _Watchdog()


class Database:
    """The one handle services get: engine, session factories and error translation.

    On PostgreSQL every session (and `ping`) runs under a client-side deadline,
    `session_deadline_s` from its start: past it, the watchdog shuts the socket down, the
    blocked call fails, the pool throws the connection away and the caller gets
    `DatabaseUnavailable` (`OutcomeUnknown` if it was committing). The same Database works
    again as soon as the link does.
    """

    def __init__(self, url: str, session_deadline_s: float = SESSION_DEADLINE_S,
                 **engine_kwargs: Any) -> None:
        self.url = url
        self.session_deadline_s = session_deadline_s
        self.engine = build_engine(url, **engine_kwargs)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(
            self.engine.execution_options(**{_WRITE: True}), expire_on_commit=False
        )
        self._watched_here = threading.local()  # this thread's stack of open watches
        self._watchdog: _Watchdog | None = None
        if self.dialect == "postgresql":
            self._watchdog = WATCHDOG
            event.listen(self.engine, "checkout", self._on_checkout)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def display_url(self) -> str:
        return describe_url(self.url)

    @contextmanager
    def read(self, *, long: bool = False) -> Iterator[Session]:
        """A read transaction; `long` for a bulk job (export, report, purge count) that may
        legitimately outlast the counter's deadlines."""
        with self._translated(), self._session(self._read, self._deadline(long)) as session:
            self._lift_statement_timeout(session, long)
            yield session

    def _deadline(self, long: bool) -> float:
        return max(self.session_deadline_s, LONG_SESSION_DEADLINE_S) if long else (
            self.session_deadline_s)

    def _lift_statement_timeout(self, session: Session, long: bool) -> None:
        if long and self.dialect == "postgresql":
            session.execute(text(f"SET LOCAL statement_timeout = '{LONG_SESSION_DEADLINE_S}s'"))

    @contextmanager
    def write(self, *, long: bool = False) -> Iterator[Session]:
        """One transaction that commits on success and leaves nothing behind on error.

        The pending changes are flushed first, so a failure left for the COMMIT itself can
        only mean a lost link: on PostgreSQL that is `OutcomeUnknown`.
        """
        committing = [False]

        def flush_then_commit(session: Session) -> None:
            seal_audit(session)  # flushes, then chains this transaction's audit rows
            committing[0] = self.dialect == "postgresql"

        with self._translated(lambda: committing[0]), self._session(
                self._write, self._deadline(long), flush_then_commit) as session:
            self._lift_statement_timeout(session, long)
            yield session

    def ping(self) -> None:
        """Raise DatabaseUnavailable unless a trivial query answers within PING_DEADLINE_S."""
        with self._translated(), self._session(self._read, PING_DEADLINE_S) as session:
            session.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _session(self, factory: sessionmaker[Session], deadline_s: float,
                 before_commit: Callable[[Session], None] | None = None) -> Iterator[Session]:
        # The watch ends before the session closes (returning its connection to the pool), so
        # the watchdog never cuts a connection another session has already taken.
        with factory() as session, self._watch(deadline_s), session.begin():
            yield session
            if before_commit is not None:
                before_commit(session)

    @contextmanager
    def _watch(self, deadline_s: float) -> Iterator[None]:
        if self._watchdog is None:
            yield
            return
        stack = self._watch_stack()
        watch = self._watchdog.begin(deadline_s)
        stack.append(watch)
        try:
            yield
        finally:
            stack.pop()
            self._watchdog.end(watch)

    def _watch_stack(self) -> list[_Watch]:
        """The watches opened by this thread, innermost last (sessions may nest)."""
        stack: list[_Watch] | None = getattr(self._watched_here, "stack", None)
        if stack is None:
            stack = self._watched_here.stack = []
        return stack

    def _on_checkout(self, dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        """Hand the connection to the current session's watch, then check it still answers.

        This replaces `pool_pre_ping`, whose ping runs before any checkout hook and so could
        hang on a silent link; a connection taken outside a session is pinged under
        PING_DEADLINE_S.
        """
        assert self._watchdog is not None
        stack = self._watch_stack()
        if stack:
            self._watchdog.attach(stack[-1], dbapi_conn)
        if record.info.pop(_FRESH, False):
            return
        if stack:
            self._ping_pooled(dbapi_conn, stack[-1])
            return
        with self._watch(PING_DEADLINE_S):
            watch = stack[-1]
            self._watchdog.attach(watch, dbapi_conn)
            self._ping_pooled(dbapi_conn, watch)

    def _ping_pooled(self, dbapi_conn: Any, watch: _Watch) -> None:
        dialect = self.engine.dialect
        try:
            dialect.do_ping(dbapi_conn)
        except dialect.loaded_dbapi.Error as exc:
            if watch.fired or not dialect.is_disconnect(exc, dbapi_conn, None):
                raise  # past the deadline a fresh connection would hang too: give up now
            # A stale connection (server restarted): drop the pool, use a fresh connection.
            raise InvalidatePoolError(str(exc)) from exc

    @contextmanager
    def _translated(self, committing: Callable[[], bool] = lambda: False) -> Iterator[None]:
        try:
            yield
        except DBAPIError as exc:
            translated = translate_db_error(exc, self.url, committing=committing())
            if translated is exc:
                raise
            raise translated from exc
