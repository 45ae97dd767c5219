"""Signing out while an import runs: asked first, then the import is cancelled and taken back
before the station leaves (no batch left writing behind a closed window)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from rdv_desktop.models import AuditEvent
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.setup import Services
from tests.gui.conftest import shown_window
from tests.importing.import_helpers import big_csv, counts
from tests.importing.test_import_dialog import start_big_import


def test_signing_out_cancels_a_running_import_and_takes_it_back(
        qtbot, services: Services, manager: Actor, tmp_path: Path) -> None:
    window = shown_window(qtbot, services, manager, closed_by_qtbot=False)  # deleted on sign-out
    before = counts(services)
    dialog = window.open_import()
    start_big_import(qtbot, dialog, big_csv(tmp_path / "gros-fichier.csv", 20_000))
    assert window.session.running_import() is dialog

    window.session.sign_out()
    ask = window.session.confirm
    assert isinstance(ask, QMessageBox) and "import de rendez-vous est en cours" in ask.text()
    leave = next(b for b in ask.buttons() if b.text() == "Se &déconnecter")
    with qtbot.waitSignal(window.signed_out, timeout=30_000):
        leave.click()
    assert not dialog.busy
    assert counts(services)[0] == before[0]  # every appointment it wrote is taken back
    with services.ctx.db.read() as s:
        actions = list(s.scalars(select(AuditEvent.action).where(AuditEvent.id > before[1])
                                 .order_by(AuditEvent.id)))
    assert actions[-1] == "logout"  # the sign-out came after the import was taken back
    if len(actions) > 1:  # some chunks had committed: each answered, under one removal
        assert actions[-2] == "import_removed"
    window.close()
    window.deleteLater()
