"""« Priorité et accompagnants » through the real window: the row moves to the head of the
queue, the agent sees the companions, and another station's window shows the same after its
reload (real database, both kinds; no mocks)."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton

from rdv_desktop.models.db import Database
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.core.clock import FixedClock
from rdv_desktop.services.core.context import ServiceContext
from rdv_desktop.services.counter import NewAppointment
from rdv_desktop.services.setup import Services
from rdv_desktop.ui.assistance_dialog import AssistanceDialog
from rdv_desktop.ui.main_window import MainWindow
from rdv_desktop.ui.plain_text import shown_name
from tests.flows import TODAY
from tests.gui.conftest import settle


def by_name(widget, cls, name):
    found = [w for w in widget.findChildren(cls) if w.accessibleName() == name]
    assert len(found) == 1, name
    return found[0]


def names(win: MainWindow) -> list[str]:
    return [win.queue.model.view_at(r).family_name for r in range(win.queue.model.rowCount())]


def test_priority_moves_the_row_and_survives_another_station(
        qtbot, window: MainWindow, services: Services, accueil: Actor, clock: FixedClock,
        db_url: str, tmp_path: Path) -> None:
    for name, slot in (("Premier", time(9, 0)), ("Second", time(9, 30)),
                       ("Dernier", time(10, 30))):
        view = services.booking.create(accueil, NewAppointment(
            name, "Test", TODAY, slot, "AES_SALARIE", date(1990, 1, 1)))
        services.appointments.check_in(accueil, view.id, accept_timing=True)
    window.queue.reload()
    settle(qtbot, window)
    assert names(window) == ["Premier", "Second", "Dernier"]

    last = window.queue.model.view_at(2)
    window.queue.select_appointment(last.id)
    window.queue.actions_by_name["assistance"].trigger()
    dialog = window.queue.assistance_dialog
    assert isinstance(dialog, AssistanceDialog) and dialog.isVisible()
    priority = by_name(dialog, QComboBox, "Priorité")
    priority.setCurrentIndex(priority.findData("cmi"))
    by_name(dialog, QLineEdit, "Interprète").setText("Hamid Rezaï")
    by_name(dialog, QLineEdit, "Langue de l'interprète").setText("dari")
    by_name(dialog, QPushButton, "Enregistrer priorité et accompagnants").click()
    settle(qtbot, window)
    assert names(window) == ["Dernier", "Premier", "Second"]
    top = window.queue.model.index(0, 8).data()
    assert top == ("priorité : carte mobilité inclusion (priorité ou invalidité) — "
                   "accompagné(e) de : Hamid Rezaï (interprète, dari)")
    assert window.queue.model.index(0, 2).data() == "★ " + shown_name("DERNIER Test")

    # Another station opens its window on the same database: same order, same companions.
    ctx = ServiceContext.create(Database(db_url), "CANTAL", clock, "TEST-2", tmp_path / "k2",
                                tmp_path / "p2")
    station = Services.build(ctx)
    try:
        other = MainWindow(station, accueil, "base de test")
        qtbot.addWidget(other)
        other.queue.timer.stop()
        settle(qtbot, other)
        assert names(other) == ["Dernier", "Premier", "Second"]
        assert other.queue.model.view_at(0).priority == "cmi"
        assert other.queue.model.index(0, 8).data() == top
        other.close()
    finally:
        ctx.db.dispose()

    # « Appeler le suivant » here calls the priority person; the counter's label shows who
    # comes with them.
    window.queue.actions_by_name["call_next"].trigger()
    settle(qtbot, window)
    assert "DERNIER Test" in window.queue.current_label.text()
    assert "Hamid Rezaï (interprète, dari)" in window.queue.current_label.text()
    assert names(window) == ["Premier", "Second", "Dernier"]  # called: back to its slot
