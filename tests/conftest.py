"""Shared fixtures: every storage test runs on SQLite and on the machine's PostgreSQL.

PostgreSQL: one fresh schema per test run (``rdv_test_<pid>``), migrated once, emptied before each
test and dropped at the end. Set ``RDV_TEST_PG_URL`` to use another server. Under CI (``CI`` set)
an unreachable PostgreSQL is an error, never a silent skip.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, text

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from rdv_desktop.models import Base
from rdv_desktop.models.db import Database
from rdv_desktop.services.core.actor import Actor, system_actor
from rdv_desktop.services.core.clock import PARIS, FixedClock
from rdv_desktop.services.core.context import ServiceContext
from rdv_desktop.services.core.passwords import set_cost
from rdv_desktop.services.setup import Services, prepare_database

# Fuzzing checks behaviour, not speed (speed lives in bench/): on a loaded 2-core CI machine a
# per-example deadline or the "too slow" health check would fail a correct run at random.
settings.register_profile("rdv", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("rdv")
# Password hashing at scrypt N = 2^12 instead of 2^17: the tests check the rules, not the CPU
# time (services/core/passwords.py, `set_cost`). Subprocesses keep the production cost.
set_cost(12)

PG_BASE_URL = os.environ.get(
    "RDV_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
TEST_NOW = datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)


def _pg_available() -> str | None:
    try:
        engine = create_engine(PG_BASE_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:
        return str(exc).splitlines()[0]


@pytest.fixture(scope="session")
def pg_schema_url() -> Iterator[str]:
    problem = _pg_available()
    if problem is not None:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL unreachable under CI: {problem}")
        pytest.skip(f"PostgreSQL not reachable here: {problem}")
    schema = f"rdv_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(PG_BASE_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_BASE_URL else "?"
    url = f"{PG_BASE_URL}{sep}options=-csearch_path%3D{schema}"
    db = Database(url)
    from rdv_desktop.models.migrate import upgrade

    upgrade(db)
    db.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    db = Database(f"sqlite:///{path}")
    from rdv_desktop.models.migrate import upgrade

    upgrade(db)
    db.dispose()
    return path


def _empty_pg(url: str) -> None:
    engine = create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database of each kind."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "rdv.sqlite3"
        shutil.copyfile(template, path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("pg_schema_url")
    _empty_pg(url)
    return url


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(TEST_NOW)


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def ctx(db: Database, clock: FixedClock, tmp_path: Path) -> ServiceContext:
    context = ServiceContext.create(db, "CANTAL", clock, "TEST-1", tmp_path / "keys",
                                    tmp_path / "pdf")
    prepare_database(context)
    return context


@pytest.fixture
def services(ctx: ServiceContext) -> Services:
    return Services.build(ctx)


@pytest.fixture
def admin() -> Actor:
    return system_actor("TEST-1")


def password_of(login: str) -> str:
    """A test account's password: « motdepasse-<login> », plus a digit when the login has none
    (the password policy wants three kinds of characters)."""
    base = f"motdepasse-{login}"
    return base if any(c.isdigit() for c in login) else f"{base}-1"


def make_actor(services: Services, login: str, roles: set[str], counter: int | None = None
               ) -> Actor:
    """Create a real account and sign it in, so audit rows carry a real user id."""
    services.users.create_user(system_actor("TEST-1"), login, login.title(), roles,
                               password_of(login))
    return services.users.authenticate(login, password_of(login), "TEST-1", counter)


@pytest.fixture
def agent(services: Services) -> Actor:
    return make_actor(services, "agent1", {"agent"}, counter=1)


@pytest.fixture
def accueil(services: Services) -> Actor:
    return make_actor(services, "accueil1", {"accueil"})


@pytest.fixture
def manager(services: Services) -> Actor:
    return make_actor(services, "chef", {"manager"}, counter=2)


# -- nothing left running after a test -------------------------------------------------------

LEFTOVER_GRACE_S = 5.0  # returns at once when all is idle; only a real leftover waits it out


def _qt_loaded() -> bool:
    """Qt is checked only once something imported it: pure storage tests never load it."""
    return "PySide6.QtWidgets" in sys.modules


def _active_timers() -> dict[int, Any]:
    """Active QTimers reachable from the QApplication: under every top-level widget (shown or
    not) and under the application object, keyed by C++ address. A parentless QTimer held only
    by Python cannot be reached from Qt and is not seen."""
    import shiboken6
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return {}
    timers = {}
    for root in [*QApplication.topLevelWidgets(), app]:
        for timer in root.findChildren(QTimer):
            if timer.isActive():
                timers[shiboken6.getCppPointer(timer)[0]] = timer
    return timers


def _timer_owner(timer: Any) -> Any:
    from PySide6.QtWidgets import QWidget

    owner = timer.parent()
    while owner is not None and not isinstance(owner, QWidget):
        owner = owner.parent()
    return owner


def _describe_timer(timer: Any) -> str:
    owner = _timer_owner(timer)
    where = "no widget" if owner is None else f"hidden {type(owner).__name__}"
    parent = timer.parent()
    return (f"QTimer {timer.objectName() or '(unnamed)'} every {timer.interval()} ms, child of "
            f"{type(parent).__name__ if parent is not None else 'nothing'}, owned by {where}")


def _qt_leftovers(timers_before: dict[int, Any]) -> list[str]:
    from PySide6.QtCore import QCoreApplication, QEvent, QThreadPool

    problems = []
    pool = QThreadPool.globalInstance()
    if not pool.waitForDone(int(LEFTOVER_GRACE_S * 1000)):
        problems.append(f"{pool.activeThreadCount()} job(s) of QThreadPool.globalInstance() "
                        f"still running {LEFTOVER_GRACE_S:.0f} s after the test")
    if QCoreApplication.instance() is None:
        return problems
    # pytest-qt closed the test's widgets and called deleteLater(); let those deletions happen
    # (as the next event loop would) so a closed widget's timers go with it.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    for address, timer in _active_timers().items():
        if address in timers_before:
            continue  # already running before this test: not its leak
        owner = _timer_owner(timer)
        if owner is None or not owner.isVisible():
            problems.append(_describe_timer(timer))
    return problems


def _is_foreign(thread: threading.Thread) -> bool:
    """A thread Python did not start (threading made a _DummyThread for it the first time it
    ran Python code): QThreadPool's workers, which stay parked between jobs by design and whose
    jobs are checked above with waitForDone; such threads can be neither joined nor named."""
    return isinstance(thread, threading._DummyThread)  # type: ignore[attr-defined]


def _is_process_service(thread: threading.Thread) -> bool:
    """The one process-wide PostgreSQL deadline watchdog (models/db.py `WATCHDOG`): started by
    the first PostgreSQL session, asleep while nothing is watched, shared by every Database."""
    return thread.name == "rdv-db-watchdog"


@pytest.fixture(autouse=True)
def nothing_left_running() -> Iterator[None]:
    """Fail the test that leaves work behind: a Python thread it started still alive after a
    grace period, a job still running in Qt's global thread pool, or an active QTimer that
    belongs to no visible widget (a closed window's clock still ticking into the next test)."""
    threads_before = set(threading.enumerate())
    timers_before = _active_timers() if _qt_loaded() else {}
    yield
    problems = _qt_leftovers(timers_before) if _qt_loaded() else []
    deadline = time.monotonic() + LEFTOVER_GRACE_S
    for thread in threading.enumerate():
        if (thread not in threads_before and not _is_foreign(thread)
                and not _is_process_service(thread)):
            thread.join(max(0.0, deadline - time.monotonic()))
    problems += [f"thread {t.name} ({'daemon' if t.daemon else 'not daemon'}) still alive"
                 for t in threading.enumerate()
                 if t not in threads_before and not _is_foreign(t)
                 and not _is_process_service(t) and t.is_alive()]
    if problems:
        pytest.fail("left running after the test:\n  " + "\n  ".join(problems), pytrace=False)


def settle(qtbot: Any, timeout_ms: int = 10_000) -> None:
    """Let background work end and its results reach the UI thread, without a fixed wait: the
    global pool empties, then a zero-delay timer posted after every result comes back."""
    from PySide6.QtCore import QThreadPool, QTimer

    assert QThreadPool.globalInstance().waitForDone(timeout_ms), "background job still running"
    flushed: list[bool] = []
    QTimer.singleShot(0, lambda: flushed.append(True))
    qtbot.waitUntil(lambda: bool(flushed), timeout=timeout_ms)
