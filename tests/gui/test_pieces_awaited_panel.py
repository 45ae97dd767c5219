"""« Pièces attendues »: the list a manager works from, and pieces recorded from it."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox

from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.setup import Services
from rdv_desktop.ui.pieces_awaited_panel import PiecesAwaitedPanel, PiecesReceivedDialog
from tests.counter.test_pieces_to_complete import registered_with_pieces


def test_the_list_and_a_recording(qtbot, services: Services, accueil: Actor, agent: Actor,
                                  manager: Actor) -> None:
    services.keys.signer(create_if_missing=True)
    number = registered_with_pieces(services, accueil, agent, "Attente")
    panel = PiecesAwaitedPanel(services, manager)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.loaded, timeout=10000):
        panel.show()
    assert panel.model.rowCount() == 1 and panel.model.text(0, 0) == number
    assert panel.model.text(0, 4) == "28/12/2026" and panel.model.text(0, 5) == "dans les délais"
    assert panel.count.text() == "1 dossier(s) en attente, dont 0 en retard"

    panel.ask_received()  # window-modal, no nested loop: accepting it records
    dialog = panel.received_dialog
    assert isinstance(dialog, PiecesReceivedDialog) and dialog.isVisible()
    boxes = dialog.findChildren(QCheckBox)
    assert [b.text()[:15] for b in boxes] == ["Justificatif de", "4 photographies"]
    boxes[1].setChecked(True)
    assert dialog.codes() == ("PHOTOS",)

    with qtbot.waitSignal(panel.recorded, timeout=10000) as done:
        dialog.accept()
    assert done.args[0] is True and "encore 1 attendue(s)" in panel.message.text()
    qtbot.waitUntil(lambda: "Justificatif" in panel.model.text(0, 6)
                    and "photographies" not in panel.model.text(0, 6), timeout=10000)

    with qtbot.waitSignal(panel.recorded, timeout=10000) as refused:
        panel.record(number, ("PHOTOS",))
    assert refused.args[0] is False and "n'attend pas la pièce PHOTOS" in panel.message.text()
