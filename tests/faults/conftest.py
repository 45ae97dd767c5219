"""Fixtures of the fault tests: a throwaway PostgreSQL server that may be stopped at will."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator

import pytest

from tests.faults.tcp_relay import TcpRelay
from tests.faults.throwaway_pg import ThrowawayServer
from tests.ui_thread_guard import ui_thread_guard  # noqa: F401 (autouse: UI code never opens a session on the main thread)


@pytest.fixture(scope="session")
def throwaway_pg() -> Iterator[ThrowawayServer]:
    """Started once per run; each test gets it running (a test that stopped it restarts it)."""
    try:
        server = ThrowawayServer.create()
    except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
        if os.environ.get("CI"):
            pytest.fail(f"cannot start a throwaway PostgreSQL under CI: {exc}")
        pytest.skip(f"no throwaway PostgreSQL here: {exc}")
    yield server
    server.destroy()


@pytest.fixture
def outage_pg(throwaway_pg: ThrowawayServer) -> Iterator[ThrowawayServer]:
    """The throwaway server, emptied; left running whatever the test did."""
    from sqlalchemy import create_engine, text

    engine = create_engine(throwaway_pg.url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    try:
        yield throwaway_pg
    finally:
        if not throwaway_pg.running():
            throwaway_pg.start()


@pytest.fixture
def relay(pg_schema_url: str) -> Iterator[TcpRelay]:
    """A TCP relay on 127.0.0.1 in front of the test PostgreSQL (emptied), that can go silent."""
    from sqlalchemy.engine import make_url

    from tests.conftest import _empty_pg

    _empty_pg(pg_schema_url)
    url = make_url(pg_schema_url)
    with TcpRelay(url.host or "127.0.0.1", url.port or 5432) as running:
        yield running


def relayed_url(pg_schema_url: str, relay: TcpRelay) -> str:
    """The test database's URL, through the relay."""
    from sqlalchemy.engine import make_url

    url = make_url(pg_schema_url).set(host="127.0.0.1", port=relay.port)
    return url.render_as_string(hide_password=False)
