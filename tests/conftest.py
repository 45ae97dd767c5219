"""Shared fixtures: every storage test runs on SQLite and on the machine's PostgreSQL.

PostgreSQL: one fresh schema per test run (``rdv_test_<pid>``), migrated once, emptied before each
test and dropped at the end. Set ``RDV_TEST_PG_URL`` to use another server. Under CI (``CI`` set)
an unreachable PostgreSQL is an error, never a silent skip.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, text

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from rdv_desktop.models import Base
from rdv_desktop.models.db import Database
from rdv_desktop.services.actor import Actor, system_actor
from rdv_desktop.services.clock import PARIS, FixedClock
from rdv_desktop.services.context import ServiceContext
from rdv_desktop.services.setup import Services, prepare_database

# Fuzzing checks behaviour, not speed (speed lives in bench/): on a loaded 2-core CI machine a
# per-example deadline or the "too slow" health check would fail a correct run at random.
settings.register_profile("rdv", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("rdv")

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


def make_actor(services: Services, login: str, roles: set[str], counter: int | None = None
               ) -> Actor:
    """Create a real account and sign it in, so audit rows carry a real user id."""
    services.users.create_user(system_actor("TEST-1"), login, login.title(), roles,
                               "motdepasse-" + login)
    return services.users.authenticate(login, "motdepasse-" + login, "TEST-1", counter)


@pytest.fixture
def agent(services: Services) -> Actor:
    return make_actor(services, "agent1", {"agent"}, counter=1)


@pytest.fixture
def accueil(services: Services) -> Actor:
    return make_actor(services, "accueil1", {"accueil"})


@pytest.fixture
def manager(services: Services) -> Actor:
    return make_actor(services, "chef", {"manager"}, counter=2)
