"""The scan field owns the keyboard at the desk: a scanner's burst is a scan wherever the
focus is, documents never take the focus, every answer is seen, listed and heard."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton

from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.counter.appointment_views import AppointmentView
from rdv_desktop.services.desk.scan_input import KeyBurst
from rdv_desktop.services.setup import Services
from rdv_desktop.ui.checkin_panel import CheckInPanel
from rdv_desktop.ui.document_dialog import DocumentDialog
from rdv_desktop.ui.main_window import MainWindow
from rdv_desktop.ui.printing import PdfPrinter
from tests.arrival.conftest import Book, arrivals, audit_count, shown_window
from tests.arrival.test_desk_gui import by_name, scanner_types
from tests.gui.conftest import settle

Code = Callable[[AppointmentView], str]


def scanner_burst(qtbot, widget, text: str) -> None:
    """A keyboard-wedge scanner typing into `widget` (keys back to back), then Return."""
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_key_burst_tells_a_scanner_from_a_person() -> None:
    burst = KeyBurst(gap_ms=50, min_chars=6)
    for n, char in enumerate("RDV-26"):
        assert burst.add(char, 1000 + 8 * n)
    assert burst.is_scan(1000 + 8 * 6) and burst.text == "RDV-26"
    assert not burst.is_scan(1000 + 8 * 5 + 200)  # Return long after: a person
    burst.clear()
    assert burst.add("d", 0) and not burst.add("i", 180)  # a person's pace
    assert burst.text == "d"
    burst.clear()
    for n, char in enumerate("abc"):
        burst.add(char, 5 * n)
    assert not burst.is_scan(15)  # too short for a code


def test_burst_in_the_search_field_checks_in_once(qtbot, panel: CheckInPanel,
                                                  services: Services, book: Book,
                                                  code_of: Code) -> None:
    view = book()
    searched: list[int] = []
    panel.search_done.connect(searched.append)
    panel.focus_search()
    search = by_name(panel, QLineEdit, "Recherche d'une personne")
    with qtbot.waitSignal(panel.scan_finished, timeout=10000):
        scanner_burst(qtbot, search, code_of(view))
    assert panel.feedback.kind == "green" and "Ticket A001" in panel.feedback.text()
    assert search.text() == "" and searched == []  # no name search ran
    qtbot.wait(200)
    assert arrivals(services) == 1 and audit_count(services, "checkin") == 1
    assert panel.scan.hasFocus()


def test_a_person_typing_in_the_search_field_is_not_a_scan(qtbot, panel: CheckInPanel,
                                                           book: Book) -> None:
    book("Celik", "Zeynep")
    panel.focus_search()
    search = panel.search
    for char in "celik":
        qtbot.keyClick(search, char)
        qtbot.wait(80)  # a person's pace
    assert search.text() == "celik"
    with qtbot.waitSignal(panel.search_done, timeout=10000) as found:
        qtbot.keyClick(search, Qt.Key.Key_Return)
    assert found.args == [1]
    qtbot.keyClicks(search, "ab")  # fast, but two keys are no code: typed, not swallowed
    qtbot.keyClick(search, Qt.Key.Key_Backspace)
    assert search.text() == "celika"


def test_burst_in_a_dialog_checks_in_and_types_nothing(qtbot, panel: CheckInPanel,
                                                      services: Services, book: Book,
                                                      code_of: Code) -> None:
    view = book()
    dialog = panel.open_walkin()
    name = by_name(dialog, QLineEdit, "Nom de famille")
    name.setFocus()
    with qtbot.waitSignal(panel.scan_finished, timeout=10000):
        for char in code_of(view):  # as xdotool and real scanners do: Shift pressed alone
            qtbot.keyPress(name, Qt.Key.Key_Shift)
            qtbot.keyClick(name, char)
            qtbot.keyRelease(name, Qt.Key.Key_Shift)
        qtbot.keyClick(name, Qt.Key.Key_Return)
    assert name.text() == "" and dialog.isVisible()  # Return did not submit the dialog
    assert panel.feedback.kind == "green" and arrivals(services) == 1


@pytest.fixture
def desk_window(qtbot, services: Services, accueil: Actor) -> MainWindow:
    return shown_window(qtbot, services, accueil)


def test_day_list_at_the_desk_leaves_the_scan_field_the_keyboard(
        qtbot, desk_window: MainWindow, services: Services, book: Book,
        code_of: Code) -> None:
    view = book()
    desk = desk_window.checkin
    assert desk is not None and desk_window.desk_shown() is desk
    before = audit_count(services)
    desk_window.print_day_list()  # Ctrl+P
    qtbot.waitUntil(lambda: bool(desk_window.findChildren(DocumentDialog)), timeout=10000)
    document = desk_window.findChildren(DocumentDialog)[0]
    assert document.isVisible() and not document.isModal()
    assert document.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    assert all(not b.isDefault() and not b.autoDefault()
               and b.focusPolicy() == Qt.FocusPolicy.NoFocus
               for b in document.findChildren(QPushButton))
    assert desk.scan.hasFocus() or QApplication.focusWidget() in (None, desk.scan)
    printed = audit_count(services) - before
    # the scanner's burst lands in the document window: it is a scan, and prints nothing
    with qtbot.waitSignal(desk.scan_finished, timeout=10000):
        scanner_burst(qtbot, document, code_of(view))
    settle(qtbot, desk_window)
    assert desk.feedback.kind == "green" and arrivals(services) == 1
    assert audit_count(services) - before == printed + 1  # the arrival, nothing printed again
    assert len(desk_window.findChildren(DocumentDialog)) == 1


def test_red_stays_until_acknowledged_and_is_heard(qtbot, panel: CheckInPanel,
                                                   book: Book, code_of: Code) -> None:
    scanner_types(qtbot, panel, "RDV-000000-NOPE42")
    assert panel.feedback.kind == "red" and not panel.feedback.timer.isActive()
    assert panel.last_sound in ("son", "bip")
    assert by_name(panel, QPushButton, "Acquitter l'alerte").isVisible()
    scanner_types(qtbot, panel, code_of(book()))  # the next person: green, and listed
    assert panel.feedback.kind == "green" and panel.last_sound in ("son", "bip")
    assert panel.recent.kinds() == ["green", "red"]
    assert "Code inconnu" in panel.recent.item(1).text()
    scanner_types(qtbot, panel, "RDV-000000-NOPE43")
    qtbot.keyClick(panel.scan, Qt.Key.Key_Escape)  # the clerk has seen it
    assert panel.feedback.kind == "idle" and panel.scan.hasFocus()
    panel.sounds.setChecked(False)
    scanner_types(qtbot, panel, "RDV-000000-NOPE44")
    assert panel.last_sound == ""


def test_recent_scans_keep_the_last_twenty(qtbot, panel: CheckInPanel) -> None:
    for n in range(23):
        with qtbot.waitSignal(panel.scan_finished, timeout=10000):
            panel.submit_scan(f"RDV-000000-X{n:05d}")
    assert panel.recent.count() == 20 and set(panel.recent.kinds()) == {"red"}


def test_a_ticket_that_does_not_print_says_so_on_the_panel(qtbot, services: Services,
                                                           accueil: Actor, book: Book,
                                                           code_of: Code) -> None:
    desk = CheckInPanel(services, accueil)
    desk.printer = PdfPrinter("nulle-part", desk)  # a printer this station does not have
    qtbot.addWidget(desk)
    desk.show()
    qtbot.waitExposed(desk)
    scanner_types(qtbot, desk, code_of(book()))
    qtbot.keyClick(desk.scan, Qt.Key.Key_F10)
    qtbot.waitUntil(lambda: desk.feedback.kind == "red", timeout=10000)
    assert "non imprimé" in desk.status.text() and "impression…" not in desk.status.text()
    assert "Ticket A001 non imprimé" in desk.feedback.text()
    assert "introuvable" in desk.feedback.text()


def test_an_arabic_name_is_isolated_in_every_line(qtbot, panel: CheckInPanel,
                                                  book: Book) -> None:
    """« بن علي » must not move « ticket A001 » around it: names are isolated, read left to
    right inside so the family name stays first."""
    view = book("بن علي", "Hélène-Marie")
    scanner_types(qtbot, panel, view.reference)
    isolated = "\u2066بن علي Hélène-Marie\u2069"
    assert isolated in panel.recent.item(0).text()
    assert isolated in panel.feedback.details.text()
    panel.search.setText("Hélène")  # (QTest types ASCII only)
    with qtbot.waitSignal(panel.search_done, timeout=10000):
        qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert isolated + " — né(e) le" in panel.results.item(0).text()


def test_a_convocation_from_f7_prints_without_taking_the_keyboard(
        qtbot, desk_window: MainWindow, services: Services, book: Book,
        code_of: Code) -> None:
    desk = desk_window.checkin
    assert desk is not None
    later = desk.open_walkin()  # F7
    qtbot.keyClicks(by_name(later, QLineEdit, "Nom de famille"), "Ivanova")
    later.later.setChecked(True)
    later.day.setDate(later.day.date().addDays(7))
    qtbot.waitUntil(lambda: later.motif.count() > 1)
    later.motif.setCurrentIndex(1)
    later.submit()
    qtbot.waitUntil(lambda: bool(desk_window.findChildren(DocumentDialog)), timeout=10000)
    document = desk_window.findChildren(DocumentDialog)[0]
    assert document.doc.title.startswith("Convocation ") and document.passive
    assert not document.isModal() and not later.isVisible()
    settle(qtbot, desk_window)
    view = book()  # the next person scans while the convocation window is up
    with qtbot.waitSignal(desk.scan_finished, timeout=10000):
        scanner_burst(qtbot, desk.scan, code_of(view))
    assert desk.feedback.kind == "green" and arrivals(services) == 1


def test_a_station_without_sounds(qtbot, services: Services, accueil: Actor,
                                  book: Book, code_of: Code) -> None:
    window = MainWindow(services, accueil, "base de test", sounds=False)
    qtbot.addWidget(window)
    window.queue.timer.stop()
    window.show()
    desk = window.checkin
    assert desk is not None and not desk.sounds.isChecked()
    scanner_types(qtbot, desk, code_of(book()))
    assert desk.feedback.kind == "green" and desk.last_sound == ""


def test_the_shipped_sounds_are_what_the_code_makes(tmp_path) -> None:
    from rdv_desktop.ui.chime import SOUNDS, sound_path, write_all

    write_all(tmp_path)
    for name in SOUNDS:
        assert (tmp_path / name).read_bytes() == sound_path(name).read_bytes(), name
