"""The checklist fits a desk PC's screen with a very long name and works from the keyboard."""

from __future__ import annotations

from datetime import date, time

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableView,
    QWidget,
)

from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.counter.booking import NewAppointment
from rdv_desktop.services.setup import Services
from rdv_desktop.ui.checklist_dialog import ChecklistDialog
from rdv_desktop.ui.checklist_model import NOTE, STATUS
from rdv_desktop.ui.checklist_parts import mnemonic_of
from rdv_desktop.ui.main_window import MainWindow
from tests.gui.conftest import checklist_setup

LONG_FAMILY = "de la Tour d'Auvergne-Lauragais"
LONG_GIVEN = "Nguyễn Thị Ánh Maximilienne-Charlotte"
CONTROLS = (QAbstractButton, QComboBox, QLineEdit, QAbstractSpinBox, QTableView)


def checklist(qtbot, window: MainWindow, services: Services, accueil: Actor,
              motif: str | None = "AES_SALARIE") -> ChecklistDialog:
    view = services.booking.create(accueil, NewAppointment(
        LONG_FAMILY, LONG_GIVEN, date(2026, 11, 26), time(10, 0), motif, date(1990, 1, 1),
        "Hanoï", "vietnamienne"))
    dialog = ChecklistDialog(services, accueil, view, window.executor,
                             checklist_setup(services, 22500))
    qtbot.addWidget(dialog)
    return dialog


def inside(dialog: ChecklistDialog, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(dialog, QPoint(0, 0)), widget.size())


@pytest.mark.parametrize("screen", [(1366, 768), (1920, 1080)], ids=["1366x768", "1920x1080"])
def test_every_control_is_on_screen_with_a_long_name(qtbot, window: MainWindow,
                                                     services: Services, accueil: Actor,
                                                     screen: tuple[int, int]) -> None:
    dialog = checklist(qtbot, window, services, accueil)
    width, height = screen[0], screen[1] - 30  # the title bar
    hint = dialog.minimumSizeHint()
    assert hint.width() <= width and hint.height() <= height, hint
    dialog.resize(min(width, 1340), min(height, 720))
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.wait(50)  # the side column's wrapped labels settle their heights
    assert dialog.width() <= width and dialog.height() <= height
    visible = [w for w in dialog.findChildren(QWidget)
               if isinstance(w, CONTROLS) and w.isVisibleTo(dialog)
               and not isinstance(w.parentWidget(), QAbstractSpinBox | QComboBox)
               and w.window() is dialog and w.width() > 0]
    names = {w.accessibleName() for w in visible}
    assert {"Enregistrer le dépôt", "Numéro de timbre", "Date du nouveau rendez-vous",
            "Motif", "Pièces du dossier"} <= names
    panel = dialog.side.widget()
    bar = dialog.side.verticalScrollBar()
    assert bar.maximum() >= panel.height() - dialog.side.viewport().height()
    for control in visible:
        if dialog.side.isAncestorOf(control):  # in the side column: reached by scrolling
            placed = QRect(control.mapTo(panel, QPoint(0, 0)), control.size())
            assert panel.rect().contains(placed), control.accessibleName()
            assert placed.right() < dialog.side.viewport().width(), control.accessibleName()
        else:
            assert dialog.rect().contains(inside(dialog, control)), control.accessibleName()
    # the name is whole in the tooltip, and elided only when the window is too narrow
    assert LONG_FAMILY.upper() in dialog.who.full_text and LONG_GIVEN in dialog.who.full_text
    assert LONG_FAMILY.upper().replace("'", "&#x27;") in dialog.who.toolTip()
    dialog.resize(600, 600)
    qtbot.waitUntil(dialog.who.is_elided)
    assert "…" in dialog.who.text() and LONG_GIVEN in dialog.who.full_text


def test_notes_are_typed_and_marks_act_on_the_status(qtbot, window: MainWindow,
                                                    services: Services, accueil: Actor) -> None:
    dialog = checklist(qtbot, window, services, accueil)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    table = dialog.table
    table.setFocus()
    assert table.currentIndex().column() == STATUS
    qtbot.keyClick(table, Qt.Key.Key_R)  # the form is received, the next piece is current
    assert dialog.model.rows[0].status == "received" and table.currentIndex().row() == 1
    qtbot.keyClick(table, Qt.Key.Key_Right)
    assert table.currentIndex().column() == NOTE
    qtbot.keyClick(table, Qt.Key.Key_M)  # opens the note's editor, with the M typed in it
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, "anque le verso, Recto seul")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next loop turn
    row = dialog.model.rows[1]
    qtbot.waitUntil(lambda: row.note != "")
    assert row.note == "manque le verso, Recto seul" and row.status is None
    qtbot.keyClick(table, Qt.Key.Key_Left)  # back to the status, never to the piece's name
    assert table.currentIndex().column() == STATUS
    qtbot.keyClick(table, Qt.Key.Key_M)
    assert dialog.model.rows[1].status == "missing"


def test_every_section_and_situation_has_its_own_mnemonic(qtbot, window: MainWindow,
                                                         services: Services,
                                                         accueil: Actor) -> None:
    dialog = checklist(qtbot, window, services, accueil)
    dialog.show()
    assert len(dialog.situation_checks) == len(services.catalogue.current().situations) > 5
    situations = [check.label.text() for check in dialog.situation_checks]
    sections = [box.title() for box in dialog.findChildren(QGroupBox)]
    labels = [label.text() for label in dialog.findChildren(QLabel)
              if label.buddy() is not None and label not in
              [check.label for check in dialog.situation_checks]]
    buttons = [b.text() for b in dialog.findChildren(QAbstractButton) if b.text()]
    for text in (*situations, *sections, *labels):
        assert mnemonic_of(text) is not None, text
    letters = [mnemonic_of(t) for t in (*situations, *sections, *labels, *buttons)]
    letters = [letter for letter in letters if letter is not None]
    assert len(letters) == len(set(letters)), sorted(letters)
    first = dialog.situation_checks[0]
    key = mnemonic_of(first.label.text())
    assert key is not None
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.table, key, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(first.box.isChecked)
    assert first.box.hasFocus()


def test_escape_with_marks_asks_before_closing(qtbot, window: MainWindow, services: Services,
                                               accueil: Actor) -> None:
    dialog = checklist(qtbot, window, services, accueil)
    dialog.show()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)  # nothing marked: closes at once
    assert not dialog.isVisible()
    dialog = checklist(qtbot, window, services, accueil)
    dialog.show()
    qtbot.keyClick(dialog.table, Qt.Key.Key_R)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
    ask = dialog.confirm
    assert isinstance(ask, QMessageBox) and ask.isVisible() and dialog.isVisible()
    assert ask.windowTitle() == "Fermer sans décider ?" and "seront perdues" in ask.text()
    stay = next(b for b in ask.buttons() if "Continuer" in b.text())
    stay.click()
    assert dialog.isVisible() and dialog.model.rows[0].status == "received"
    qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
    leave = next(b for b in dialog.confirm.buttons() if "Fermer" in b.text())
    leave.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_notes_never_start_a_line_with_a_lone_mark(qtbot, window: MainWindow,
                                                  services: Services, accueil: Actor) -> None:
    dialog = checklist(qtbot, window, services, accueil, motif="AES_VPF")
    note = dialog.note.text()
    assert ";" in note and " ;" not in note and "\u202f;" in note  # a narrow no-break space
    assert not any(mark in dialog.missing.text() for mark in (" :", " ;", "« ", " »"))


def test_no_motif_yet_is_not_called_complete(qtbot, window: MainWindow, services: Services,
                                             accueil: Actor) -> None:
    dialog = checklist(qtbot, window, services, accueil, motif=None)
    assert dialog.missing.text() == "Choisissez d'abord le motif."
    assert not dialog.deposit_button.isEnabled()


def tab_walk(qtbot, dialog: QWidget, limit: int = 200) -> list[QWidget]:
    """The widgets Tab visits from the one with the focus, once round (a date field takes a
    Tab per section before it lets the focus go)."""
    seen: list[QWidget] = []
    for _ in range(limit):
        focus = QApplication.focusWidget()
        assert focus is not None
        if focus in seen and focus is not seen[-1]:
            break
        if focus not in seen:
            seen.append(focus)
        qtbot.keyClick(focus, Qt.Key.Key_Tab)
    return seen


def test_tab_alone_reaches_every_control_in_reading_order(qtbot, window: MainWindow,
                                                          services: Services,
                                                          accueil: Actor) -> None:
    """At 1,366×768 with the long name: Tab reaches every control, in the order a person
    reads the dialog (motif, pieces, situations, timbres, new appointment, decisions)."""
    dialog = checklist(qtbot, window, services, accueil)
    dialog.resize(1340, 720)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    everything = [b for b in dialog.findChildren(QAbstractButton)
                  if b.accessibleName() == "Tout reçu"]
    everything[0].click()  # the deposit button is enabled once every piece is marked
    dialog.motif.setFocus()
    walk = tab_walk(qtbot, dialog)
    reachable = [w for w in dialog.findChildren(QWidget)
                 if isinstance(w, CONTROLS) and w.isVisibleTo(dialog) and w.isEnabled()
                 and w.focusPolicy() & Qt.FocusPolicy.TabFocus
                 and not isinstance(w.parentWidget(), QAbstractSpinBox | QComboBox)
                 and w.window() is dialog]
    missed = [w.accessibleName() or type(w).__name__ for w in reachable if w not in walk]
    assert missed == [], [w.accessibleName() or type(w).__name__ for w in walk]
    names = [w.accessibleName() for w in walk]
    order = [names.index(n) for n in ("Motif", "Pièces du dossier", "Numéro de timbre",
                                      "Date du nouveau rendez-vous", "Enregistrer le dépôt")]
    assert order == sorted(order), names
    # every situation box comes after the pieces and before the timbres
    boxes = [i for i, name in enumerate(names) if name.startswith("Situation ")]
    assert boxes and all(order[1] < i < order[2] for i in boxes), names
