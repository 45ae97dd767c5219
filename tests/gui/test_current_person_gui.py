"""One person per counter, driven through the real window with a filter hiding the queue.

The scenario that once put three people at one guichet: a search filter hides the first people
waiting, F2 calls one of them (hidden), F2 again must be refused with who holds the counter, and
F4 with another row selected must receive the counter's current person, not the selected row.
"""

from __future__ import annotations

from datetime import time

from PySide6.QtWidgets import QApplication

from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.counter.booking import NewAppointment
from rdv_desktop.services.setup import Services
from rdv_desktop.ui.checklist_dialog import ChecklistDialog
from rdv_desktop.ui.main_window import MainWindow
from tests.flows import TODAY
from tests.gui.conftest import settle


def arrive(services: Services, accueil: Actor, name: str, hour: time) -> int:
    view = services.booking.create(accueil, NewAppointment(name, "Test", TODAY, hour,
                                                           "AES_SALARIE"))
    services.appointments.check_in(accueil, view.id, accept_timing=True)
    return view.id


def press(qtbot, window: MainWindow, name: str) -> None:
    window.queue.actions_by_name[name].trigger()
    settle(qtbot, window)


def at_counter_one(services: Services, agent: Actor) -> list[str]:
    return [v.ticket or "" for v in services.appointments.day(agent, TODAY)
            if v.counter_number == 1 and v.outcome == "pending"]


def test_filtered_queue_cannot_put_two_people_on_a_counter(qtbot, window: MainWindow,
                                                           services: Services,
                                                           accueil: Actor,
                                                           agent: Actor) -> None:
    first = arrive(services, accueil, "Premier", time(9, 30))
    arrive(services, accueil, "Second", time(9, 45))
    visible = arrive(services, accueil, "Visible", time(10, 0))
    window.queue.reload()
    settle(qtbot, window)
    window.queue.search.setText("visible")
    assert window.queue.proxy.rowCount() == 1

    press(qtbot, window, "call_next")
    assert at_counter_one(services, agent) == ["A001"]
    assert "A001" in window.queue.current_label.text()
    assert "A001" in window.status_current.text()

    press(qtbot, window, "call_next")
    assert "Guichet 1 : A001 est déjà appelé" in window.queue.message.text()
    assert at_counter_one(services, agent) == ["A001"]

    window.queue.select_appointment(visible)
    assert window.queue.selected().id == visible
    press(qtbot, window, "call")  # Maj+F2 on the selected row: refused too
    assert "Guichet 1 : A001 est déjà appelé" in window.queue.message.text()

    press(qtbot, window, "serve")  # F4: the counter's person, not the selected row
    dialogs = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, ChecklistDialog) and w.isVisible()]
    assert [d.view.id for d in dialogs] == [first]
    assert at_counter_one(services, agent) == ["A001"]
    assert "au guichet" in window.queue.current_label.text()
    dialogs[0].reject()


def test_send_back_then_call_next_moves_on(qtbot, window: MainWindow, services: Services,
                                           accueil: Actor, agent: Actor) -> None:
    arrive(services, accueil, "Premier", time(9, 30))
    window.queue.reload()
    settle(qtbot, window)
    press(qtbot, window, "send_back")
    assert "Personne n'est appelé au guichet 1" in window.queue.message.text()
    press(qtbot, window, "call_next")
    press(qtbot, window, "send_back")
    assert "Renvoyé en attente : ticket A001" in window.queue.message.text()
    assert "libre" in window.queue.current_label.text()
    assert at_counter_one(services, agent) == []


def test_undo_dialog_names_the_step_and_what_it_takes_back(qtbot, window: MainWindow,
                                                            services: Services, accueil: Actor,
                                                            agent: Actor) -> None:
    from datetime import datetime

    from rdv_desktop.services.counter.dossiers import DepositRequest
    from rdv_desktop.services.counter.piece_checks import PieceCheck, checklist

    person = arrive(services, accueil, "Incomplet", time(9, 30))
    services.counter.call_next(agent)
    services.counter.receive(agent)
    info = services.catalogue.current().motif("AES_SALARIE")
    situations = frozenset({"entree_irreguliere"})
    checks = tuple(PieceCheck(line.piece.code, "missing") for line in checklist(info, situations))
    services.counter.register_incomplete(
        agent, DepositRequest(person, "AES_SALARIE", "Première demande", situations, checks),
        datetime(2026, 12, 14, 14, 0))
    window.queue.reload()
    settle(qtbot, window)
    window.queue.select_appointment(person)
    press(qtbot, window, "undo")
    dialog = window.queue.undo_dialog
    assert dialog.isVisible()
    from PySide6.QtWidgets import QLabel

    text = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "Annuler le dossier incomplet pour \u2066INCOMPLET Test\u2069 ?" in text  # isolated
    assert "Le nouveau rendez-vous du 14/12/2026 à 14:00 sera annulé." in text
    dialog.reject()


def test_a_name_from_online_booking_is_shown_as_text(qtbot, window: MainWindow,
                                                     services: Services, accueil: Actor) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    arrive(services, accueil, "<img src=x>Hostile", time(9, 30))
    window.queue.reload()
    settle(qtbot, window)
    press(qtbot, window, "call_next")
    assert "<IMG SRC=X>HOSTILE" in window.queue.current_label.text()
    for label in (window.queue.current_label, window.status_current, window.queue.message):
        assert label.textFormat() is Qt.TextFormat.PlainText
    press(qtbot, window, "serve")
    dialog = window.checklist
    header = dialog.who  # the name: plain text, elided if long, whole in its tooltip
    assert header.textFormat() is Qt.TextFormat.PlainText
    assert "<IMG SRC=X>HOSTILE" in header.full_text
    assert "&lt;IMG SRC=X&gt;HOSTILE" in header.toolTip()  # a tooltip would read HTML
    assert all(label.textFormat() is Qt.TextFormat.PlainText
               for label in dialog.findChildren(QLabel) if "HOSTILE" in label.text())
    dialog.reject()
