"""The reply to a deposit's COMMIT is lost: the agent is told the truth, then the attestation.

The station talks to PostgreSQL through a TCP relay that stops passing the server's bytes right
when the deposit commits: the COMMIT reaches the server, its answer never comes back. The
checklist must not say « rien n'a été enregistré »; it says the outcome is not known yet, keeps
its buttons disabled, and asks again until the link is back; then it reports the dossier that
was registered and hands over its original attestation (no second deposit, no second number).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from rdv_desktop.models import Dossier
from rdv_desktop.models.db import Database
from rdv_desktop.services.core.clock import FixedClock
from rdv_desktop.services.core.context import ServiceContext
from rdv_desktop.services.setup import Services, prepare_database
from rdv_desktop.ui.checklist_dialog import ChecklistDialog
from rdv_desktop.ui.main_window import MainWindow
from tests.conftest import TEST_NOW, make_actor
from tests.faults.conftest import relayed_url
from tests.faults.tcp_relay import TcpRelay
from tests.flows import at_counter


@pytest.mark.pg_only
def test_lost_commit_reply_is_settled_and_the_attestation_printed(
        qtbot, pg_schema_url: str, relay: TcpRelay, tmp_path: Path) -> None:
    clock = FixedClock(TEST_NOW)
    direct_db = Database(pg_schema_url)
    direct = ServiceContext.create(direct_db, "CANTAL", clock, "TEST-1", tmp_path / "keys",
                                   tmp_path / "pdf")
    prepare_database(direct)
    seed = Services.build(direct)
    agent = make_actor(seed, "agent1", {"agent"}, counter=1)
    accueil = make_actor(seed, "accueil1", {"accueil"})
    person = at_counter(seed, accueil, agent, motif="RETRAITE")
    seed.keys.signer(create_if_missing=True)  # the site key exists before the station signs

    station_db = Database(relayed_url(pg_schema_url, relay), session_deadline_s=3.0)
    station = Services.build(ServiceContext.create(station_db, "CANTAL", clock, "TEST-1",
                                                   tmp_path / "keys", tmp_path / "pdf"))
    window = MainWindow(station, agent, "base relayée")
    qtbot.addWidget(window)
    window.queue.timer.stop()
    window.show()
    qtbot.waitUntil(window.executor.is_idle, timeout=10000)
    window.open_checklist(station.appointments.get(person))
    qtbot.waitUntil(lambda: any(isinstance(w, ChecklistDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=10000)
    dialog = window.checklist
    dialog.model.mark_all_received()
    assert dialog.deposit_button.isEnabled()
    results: list[Any] = []
    dialog.act_done.connect(results.append)

    armed = [False]

    def deposit_committing(session: Session) -> None:
        """Arm the cut for the transaction that holds the new dossier, and no other."""
        if any(isinstance(o, Dossier) for o in session.identity_map.values()):
            armed[0] = True

    def lose_the_reply(_conn: Any) -> None:
        if armed[0]:
            armed[0] = False
            relay.pause(upstream=False, downstream=True)  # the COMMIT goes, its answer does not

    event.listen(Session, "before_commit", deposit_committing)

    event.listen(station_db.engine, "commit", lose_the_reply)
    try:
        dialog.deposit_button.click()
        qtbot.waitUntil(lambda: "on ne sait pas encore" in dialog.message.text(),
                        timeout=15000)
        assert "Rien n'a été enregistré" not in dialog.message.text()
        assert dialog.isVisible() and not dialog.deposit_button.isEnabled()
        dialog.reject()  # Escape while the outcome is unknown: the dialog stays
        assert dialog.isVisible()
        with direct_db.read() as s:  # the server did register it
            assert s.scalar(select(func.count(Dossier.id))) == 1
    finally:
        relay.resume()
        event.remove(station_db.engine, "commit", lose_the_reply)
        event.remove(Session, "before_commit", deposit_committing)
    qtbot.waitUntil(lambda: bool(results), timeout=20000)
    result = results[0]
    assert "avait bien été enregistré (dossier CANTAL-2026-000001)" in result.message
    assert [d.title for d in result.documents] == ["Attestation de dépôt CANTAL-2026-000001"]
    assert not dialog.isVisible()
    with direct_db.read() as s:
        assert s.scalar(select(func.count(Dossier.id))) == 1  # never registered twice
    qtbot.waitUntil(window.executor.is_idle, timeout=20000)
    window.close()
    station_db.dispose()
    direct_db.dispose()
