"""The arrival desk on real widgets: a scanner's burst of keys, the big panel, the fallbacks."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, time
from pathlib import Path

import pytest
import qrcode
import shiboken6
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QImage, QKeyEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPushButton

from rdv_desktop.models.db import Database
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.core.clock import FixedClock
from rdv_desktop.services.core.context import ServiceContext
from rdv_desktop.services.counter.appointment_views import AppointmentView
from rdv_desktop.services.papers.documents import RenderedDocument
from rdv_desktop.services.setup import Services
from rdv_desktop.ui.camera_scanner import NO_CAMERA, CameraScanner, decode_image
from rdv_desktop.ui.checkin_panel import CheckInPanel
from rdv_desktop.ui.main_window import MainWindow
from tests.arrival.conftest import Book, arrivals, audit_count
from tests.conftest import settle
from tests.signing.test_scan_input import azerty_mangle, azerty_mangle_with_capslock, capslock

Code = Callable[[AppointmentView], str]


def by_name(widget, cls, name):
    found = [w for w in widget.findChildren(cls) if w.accessibleName() == name]
    assert len(found) == 1, f"{name}: {len(found)} widgets"
    return found[0]


def key_burst(widget, text: str) -> None:
    """Key press/release events as a keyboard sends them, including é, è, ç, à, § of AZERTY.

    (QTest.keyClicks only knows ASCII keys: it aborts on « é ».)
    """
    for char in text:
        code = ord(char.upper()) if len(char.upper()) == 1 else 0
        key = Qt.Key(code) if 0x20 <= code <= 0xFF else Qt.Key.Key_unknown
        shift = Qt.KeyboardModifier.ShiftModifier if char.isupper() else \
            Qt.KeyboardModifier.NoModifier
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, shift, char))


def scanner_types(qtbot, panel: CheckInPanel, text: str) -> None:
    """What a USB scanner does: a fast burst of key presses, then Enter."""
    field = by_name(panel, QLineEdit, "Code scanné")
    key_burst(field, text)
    assert field.text() == text
    with qtbot.waitSignal(panel.scan_finished, timeout=10000):
        qtbot.keyClick(field, Qt.Key.Key_Return)


def test_scanner_burst_checks_a_person_in(qtbot, panel: CheckInPanel, services: Services,
                                          book: Book, code_of: Code) -> None:
    view = book()
    scanner_types(qtbot, panel, code_of(view))
    assert panel.feedback.kind == "green"
    shown = panel.feedback.text()
    assert "Ticket A001" in shown and "DIALLO Aïssatou" in shown and "10:00" in shown
    assert by_name(panel, QLineEdit, "Code scanné").text() == ""
    assert services.appointments.get(view.id).ticket == "A001"


@pytest.mark.parametrize("mangle", [
    azerty_mangle, capslock, lambda t: azerty_mangle_with_capslock(t, "windows"),
], ids=["azerty", "capslock", "azerty-capslock"])
def test_mangled_scans_check_in_too(qtbot, panel: CheckInPanel, services: Services, book: Book,
                                    code_of: Code, mangle) -> None:
    view = book()
    scanner_types(qtbot, panel, mangle(code_of(view)))
    assert panel.feedback.kind == "green", panel.feedback.text()
    assert arrivals(services) == 1


def test_same_code_twice_is_amber_and_the_panel_resets(qtbot, panel: CheckInPanel,
                                                       services: Services, book: Book,
                                                       code_of: Code) -> None:
    code = code_of(book())
    scanner_types(qtbot, panel, code)
    scanner_types(qtbot, panel, code)
    assert panel.feedback.kind == "amber"  # nothing wrong: the person is already in the queue
    assert "Déjà enregistré" in panel.feedback.text() and "poste TEST-1" in panel.feedback.text()
    assert audit_count(services, "checkin") == 1
    assert panel.feedback.timer.isActive() and panel.feedback.timer.interval() == 10000
    assert panel.recent.kinds() == ["amber", "green"]
    panel.feedback.timer.timeout.emit()
    assert panel.feedback.kind == "idle" and "Prêt" in panel.feedback.text()


def test_orange_waits_for_the_clerk(qtbot, panel: CheckInPanel, services: Services,
                                    book: Book) -> None:
    view = book(hour=time(11, 15))
    scanner_types(qtbot, panel, view.reference)
    accept = by_name(panel, QPushButton, "Accepter l'arrivée")
    assert panel.feedback.kind == "orange" and accept.isEnabled()
    assert "En avance de 1 h 15" in panel.feedback.text()
    assert arrivals(services) == 0
    qtbot.waitUntil(panel.isActiveWindow)
    with qtbot.waitSignal(panel.scan_finished, timeout=10000):
        qtbot.keyClick(panel.scan, Qt.Key.Key_F9)  # the clerk's key; the button does the same
    assert panel.feedback.kind == "green" and not accept.isEnabled()
    assert arrivals(services) == 1


def test_garbage_and_empty_scans_are_red(qtbot, panel: CheckInPanel, services: Services) -> None:
    scanner_types(qtbot, panel, "")
    assert panel.feedback.kind == "red" and "Aucun code lu" in panel.feedback.text()
    scanner_types(qtbot, panel, "&é\"'(-è_çà)=azerty")
    assert panel.feedback.kind == "red" and "Code inconnu" in panel.feedback.text()
    assert audit_count(services, "checkin") == 0


def test_unreachable_database_keeps_the_screen(qtbot, clock: FixedClock, tmp_path: Path,
                                               accueil: Actor) -> None:
    down = Database("postgresql+psycopg://rdv@127.0.0.1:1/rdv")
    services = Services.build(ServiceContext.create(down, "CANTAL", clock, "TEST-1",
                                                    tmp_path / "k", tmp_path / "p"))
    desk = CheckInPanel(services, accueil)
    qtbot.addWidget(desk)
    desk.show()
    scanner_types(qtbot, desk, "RDV-261126-ABCDEF")
    assert desk.feedback.kind == "red"
    assert "Base de données injoignable : rien n'a été enregistré" in desk.feedback.text()
    down.dispose()


def test_manual_search_then_check_in(qtbot, panel: CheckInPanel, services: Services,
                                     book: Book) -> None:
    celik = book("Çelik", "Zeynep")
    book("Diallo", "Mamadou", hour=time(10, 15))
    search = by_name(panel, QLineEdit, "Recherche d'une personne")
    qtbot.keyClicks(search, "celik")
    with qtbot.waitSignal(panel.search_done, timeout=10000):
        qtbot.keyClick(search, Qt.Key.Key_Return)
    assert panel.results.count() == 1 and "ÇELIK Zeynep" in panel.results.item(0).text()
    with qtbot.waitSignal(panel.scan_finished, timeout=10000):
        qtbot.mouseClick(by_name(panel, QPushButton,
                                 "Enregistrer l'arrivée de la personne choisie"),
                         Qt.MouseButton.LeftButton)
    assert panel.feedback.kind == "green"
    assert services.appointments.get(celik.id).ticket == "A001"
    assert "ticket A001" in panel.results.item(0).text()


def test_ticket_goes_to_the_printer_path(qtbot, panel: CheckInPanel, book: Book,
                                         code_of: Code) -> None:
    scanner_types(qtbot, panel, code_of(book()))
    docs: list[RenderedDocument] = []
    panel.document_requested.connect(docs.append)
    with qtbot.waitSignal(panel.document_requested, timeout=10000):
        qtbot.mouseClick(by_name(panel, QPushButton, "Imprimer le ticket"),
                         Qt.MouseButton.LeftButton)
    assert [d.title for d in docs] == ["Ticket A001"]


def v_day(dialog) -> date:
    d = dialog.day.date()
    return date(d.year(), d.month(), d.day())


def test_walk_in_gets_a_ticket_and_later_slot_a_convocation(
        qtbot, panel: CheckInPanel, services: Services) -> None:
    dialog = panel.open_walkin()
    qtbot.keyClicks(by_name(dialog, QLineEdit, "Nom de famille"), "Haddad")
    qtbot.keyClicks(by_name(dialog, QLineEdit, "Prénoms"), "Rania")
    qtbot.keyClicks(by_name(dialog, QLineEdit, "Date de naissance"), "31/02/1990")
    dialog.submit()
    assert "Date de naissance invalide" in dialog.message.text()
    assert dialog.isVisible()
    by_name(dialog, QLineEdit, "Date de naissance").setText("03/04/1990")
    priority = by_name(dialog, QComboBox, "Priorité")  # a priority given at booking
    priority.setCurrentIndex(priority.findData("pregnancy"))
    with qtbot.waitSignal(panel.scan_finished, timeout=10000):
        qtbot.mouseClick(by_name(dialog, QPushButton, "Créer le rendez-vous"),
                         Qt.MouseButton.LeftButton)
    assert panel.feedback.kind == "green" and "HADDAD Rania" in panel.feedback.text()
    assert "Sans rendez-vous" in panel.feedback.text()
    assert panel.feedback.result is not None and panel.feedback.result.view is not None
    assert panel.feedback.result.view.priority == "pregnancy"

    later = panel.open_walkin()
    qtbot.keyClicks(by_name(later, QLineEdit, "Nom de famille"), "Ivanova")
    later.later.setChecked(True)
    later.day.setDate(later.day.date().addDays(7))
    qtbot.waitUntil(lambda: later.motif.count() > 1)  # the motifs load off the UI thread
    later.motif.setCurrentIndex(1)
    assert later.print_convocation.isChecked()
    expires = by_name(later, QLineEdit, "Titre actuel valable jusqu'au")
    assert not expires.isEnabled()  # a renewal's field only
    kind = by_name(later, QComboBox, "Type de demande")
    kind.setCurrentIndex(kind.findData("Renouvellement"))
    assert expires.isEnabled()
    expires.setText("31/12/2026")
    with qtbot.waitSignal(panel.document_requested, timeout=10000) as sent:
        later.submit()
    doc = sent.args[0]
    assert doc.title.startswith("Convocation ") and doc.pdf.startswith(b"%PDF")
    assert arrivals(services) == 1  # the later appointment is not an arrival
    booked = [v for v in services.appointments.day(panel.actor, v_day(later))
              if v.family_name == "Ivanova"]
    assert [(v.request_kind, v.titre_expires_on) for v in booked] == [
        ("Renouvellement", date(2026, 12, 31))]


def test_desk_tab_first_for_accueil_and_queue_row_updated_at_once(
        qtbot, services: Services, accueil: Actor, book: Book, code_of: Code) -> None:
    view = book()
    window = MainWindow(services, accueil, "base de test")
    qtbot.addWidget(window)
    window.queue.timer.stop()  # the queue must change without its poll
    window.show()
    assert window.tabs.tabText(0) == "Accueil" and window.tabs.tabText(1) == "File du jour"
    assert window.checkin is not None
    scanner_types(qtbot, window.checkin, code_of(view))
    row = window.queue.model.row_of(view.id)
    assert row is not None and window.queue.model.view_at(row).ticket == "A001"
    assert window.queue.counts.value("En attente") == 1


def test_camera_without_device_says_so_and_frames_decode(qtbot, panel: CheckInPanel,
                                                         code_of: Code, book: Book) -> None:
    scanner = CameraScanner()
    qtbot.addWidget(scanner)
    if not scanner.start():
        assert not scanner.available
        note = scanner.note.text()
        assert note == NO_CAMERA or note.startswith("Caméra indisponible")
        assert "recherche par nom fonctionnent" in note
    code = code_of(book())
    png = io.BytesIO()
    qrcode.make(code).save(png)
    image = QImage.fromData(png.getvalue())
    assert decode_image(image) == [code]
    assert decode_image(QImage()) == []
    seen: list[str] = []
    scanner.decoded.connect(seen.append)
    scanner.report([code])
    scanner.report([code])  # the same QR still in view: once only
    assert seen == [code]
    panel.camera_button.click()
    assert panel.camera is not None and panel.camera.note.isVisible()


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.text(max_size=200))
def test_fuzzed_scans_never_break_the_screen(qtbot, panel: CheckInPanel, services: Services,
                                            raw: str) -> None:
    before = audit_count(services)
    with qtbot.waitSignal(panel.scan_finished, timeout=10000) as done:
        panel.submit_scan(raw)
    assert done.args[0].kind == "red"
    assert panel.feedback.kind == "red" and panel.feedback.text()
    assert audit_count(services) == before


def test_closing_the_desk_during_a_scan_is_harmless(qtbot, services: Services, accueil: Actor,
                                                    book: Book) -> None:
    desk = CheckInPanel(services, accueil)
    desk.show()
    reference = book().reference
    desk.submit_scan(reference)
    desk.deleteLater()  # the window closes before the answer comes back
    # deleting the desk deletes its scan pool, which first lets the scan finish
    qtbot.waitUntil(lambda: not shiboken6.isValid(desk), timeout=10_000)
    settle(qtbot)  # the answer reached the UI thread and found no desk
    assert arrivals(services) == 1  # the arrival itself was registered
