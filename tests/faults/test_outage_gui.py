"""A station's window while the database server is down: red banner, writes refused, recovery."""

from __future__ import annotations

from pathlib import Path

from rdv_desktop.ui.main_window import MainWindow
from tests.faults.stations import seat_at_counters, seed
from tests.faults.throwaway_pg import ThrowawayServer
from tests.gui.conftest import settle


def test_banner_refusal_and_recovery(qtbot, outage_pg: ThrowawayServer, tmp_path: Path) -> None:
    services = seed(outage_pg.url, tmp_path / "keys", 1)
    seat_at_counters(services, 1, 2)
    agent = services.users.authenticate("agent1", "motdepasse-agent1", "GUICHET-1", 1)
    window = MainWindow(services, agent, "serveur de test")
    qtbot.addWidget(window)
    window.queue.timer.stop()  # the test drives the polling
    window.show()
    window.queue.poll()
    settle(qtbot, window)
    assert window.banner.isHidden()
    rows = window.queue.model.rowCount()
    assert rows == 2

    outage_pg.stop("immediate")
    try:
        window.queue.poll()
        settle(qtbot, window, 20000)
        assert not window.banner.isHidden()
        assert "Connexion à la base perdue" in window.banner.text()
        assert "La base de données ne répond pas" in window.banner.text()
        assert not window.queue.actions_by_name["call_next"].isEnabled()
        window.queue.call_next()  # a write while the server is down: refused, said clearly
        assert "action refusée, rien n'a été enregistré" in window.queue.message.text()
        assert window.queue.model.rowCount() == rows  # the screen is kept
        window.queue.poll()  # still down: still the banner, still no crash
        settle(qtbot, window, 20000)
        assert not window.banner.isHidden()
    finally:
        outage_pg.start()

    window.queue.poll()  # the server is back: the station recovers by itself
    settle(qtbot, window, 20000)
    assert window.banner.isHidden()
    assert window.queue.actions_by_name["call_next"].isEnabled()
    assert window.statusBar().currentMessage() == "Connexion à la base rétablie."
    assert window.queue.model.rowCount() == rows
    window.close()
