"""The real window on PostgreSQL behind a link that goes silent: it keeps repainting.

A heartbeat timer measures the longest gap in the UI event loop while the relay holds every
byte: every database call runs in the window's executor, so the loop never stalls (goal < 200 ms),
the red banner rises within 5 s, the counter's acts are refused, and when the link forwards
again the station recovers without a restart.
"""

from __future__ import annotations

import time
from datetime import time as clock_time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from rdv_desktop.models.db import Database
from rdv_desktop.services.core.clock import FixedClock
from rdv_desktop.services.core.context import ServiceContext
from rdv_desktop.services.counter.booking import NewAppointment
from rdv_desktop.services.setup import Services, prepare_database
from rdv_desktop.ui.main_window import MainWindow
from tests.conftest import TEST_NOW, make_actor
from tests.faults.conftest import relayed_url
from tests.faults.tcp_relay import TcpRelay
from tests.flows import TODAY

HEARTBEAT_MS = 20


class Heartbeat:
    """The longest interval between two ticks of a 20 ms timer: the event loop's worst stall."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(HEARTBEAT_MS)
        self.timer.timeout.connect(self._tick)
        self.last = time.monotonic()
        self.worst = 0.0

    def start(self) -> None:
        self.last = time.monotonic()
        self.worst = 0.0
        self.timer.start()

    def _tick(self) -> None:
        now = time.monotonic()
        self.worst = max(self.worst, now - self.last)
        self.last = now

    def stop(self) -> None:
        self.timer.stop()




@pytest.mark.pg_only
def test_window_keeps_repainting_and_recovers_on_a_silent_link(qtbot, pg_schema_url: str,
                                                               relay: TcpRelay,
                                                               tmp_path: Path) -> None:
    clock = FixedClock(TEST_NOW)
    direct = ServiceContext.create(Database(pg_schema_url), "CANTAL", clock, "TEST-1",
                                   tmp_path / "keys", tmp_path / "pdf")
    prepare_database(direct)
    seed = Services.build(direct)
    agent = make_actor(seed, "agent1", {"agent"}, counter=1)
    accueil = make_actor(seed, "accueil1", {"accueil"})
    for i in range(3):
        view = seed.booking.create(accueil, NewAppointment(f"Relais{i}", "Test", TODAY,
                                                           clock_time(9, 30 + i), "RETRAITE"))
        seed.appointments.check_in(accueil, view.id, accept_timing=True)

    station_db = Database(relayed_url(pg_schema_url, relay))
    station = Services.build(ServiceContext.create(station_db, "CANTAL", clock, "TEST-1",
                                                   tmp_path / "keys", tmp_path / "pdf"))
    window = MainWindow(station, agent, "base relayée")
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitUntil(window.executor.is_idle, timeout=10000)
    assert window.queue.model.rowCount() == 3
    heartbeat = Heartbeat()
    try:
        relay.pause()
        heartbeat.start()
        paused_at = time.monotonic()
        window.queue.poll()
        window.queue.actions_by_name["call_next"].trigger()
        qtbot.waitUntil(window.banner.isVisible, timeout=5000)
        banner_s = time.monotonic() - paused_at
        assert not window.queue.actions_by_name["call_next"].isEnabled()
        # The poll keeps ticking while the calls hang: the loop must stay responsive.
        window.queue.timer.start()
        qtbot.waitUntil(lambda: time.monotonic() - paused_at > 9, timeout=15000)
        assert heartbeat.worst < 0.2, f"UI stalled {heartbeat.worst * 1000:.0f} ms"
        assert banner_s < 5
        relay.resume()
        qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=20000)
        assert window.queue.actions_by_name["call_next"].isEnabled()
        assert heartbeat.worst < 0.2, f"UI stalled {heartbeat.worst * 1000:.0f} ms"
    finally:
        heartbeat.stop()
        window.queue.timer.stop()
        relay.resume()
    # The F2 pressed while the link was silent either never reached the server or did; the
    # station now shows the truth, whichever it was, and F2 works again.
    qtbot.waitUntil(window.executor.is_idle, timeout=20000)
    window.queue.actions_by_name["refresh"].trigger()
    qtbot.waitUntil(window.executor.is_idle, timeout=20000)
    held = [v for v in seed.appointments.day(agent, TODAY) if v.counter_number == 1]
    assert len(held) <= 1
    shown = [window.queue.model.view_at(r) for r in range(window.queue.model.rowCount())]
    assert [v.id for v in shown if v.counter_number == 1] == [v.id for v in held]
    window.close()
    station_db.dispose()
    direct.db.dispose()
