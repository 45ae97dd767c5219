"""The window a person sees: sign-in, the queue, verification and printing, on real widgets."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QMenu

from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.papers.documents import DocumentKind, RenderedDocument
from rdv_desktop.services.setup import Services
from rdv_desktop.ui.document_dialog import DocumentDialog
from rdv_desktop.ui.login_dialog import LoginDialog
from rdv_desktop.ui.main_window import MainWindow
from rdv_desktop.ui.printing import PdfPrinter, paint_pdf
from rdv_desktop.ui.queue_model import QueueModel
from rdv_desktop.ui.verify_dialog import VerifyDialog
from tests.conftest import settle as settle_background
from tests.flows import at_counter, deposit
from tests.gui.conftest import settle


def by_name(widget, cls, name):
    found = [w for w in widget.findChildren(cls) if w.accessibleName() == name]
    assert len(found) == 1, f"{name}: {len(found)} widgets"
    return found[0]


def test_login_failure_then_success(qtbot, services: Services, agent: Actor) -> None:
    dialog = LoginDialog(lambda login, pw, counter: services.users.authenticate(
        login, pw, "TEST-1", counter), "TEST-1", "CANTAL", 1)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(by_name(dialog, QLineEdit, "Identifiant"), "agent1")
    qtbot.keyClicks(by_name(dialog, QLineEdit, "Mot de passe"), "faux")
    message = by_name(dialog, QLabel, "Message de connexion")
    with qtbot.waitSignal(dialog.answered, timeout=10_000) as answer:
        dialog.try_login()
        # The check runs in the background: the dialog says so and takes no second attempt.
        assert message.text() == "Connexion…" and not dialog.ok.isEnabled()
    assert answer.args == [False]
    assert dialog.actor is None and dialog.ok.isEnabled()
    assert "Identifiant ou mot de passe incorrect" in message.text()
    assert by_name(dialog, QLineEdit, "Mot de passe").text() == ""
    qtbot.keyClicks(by_name(dialog, QLineEdit, "Mot de passe"), "motdepasse-agent1")
    with qtbot.waitSignal(dialog.answered, timeout=10_000) as answer:
        dialog.try_login()
    assert answer.args == [True]
    assert dialog.result() == LoginDialog.DialogCode.Accepted
    assert dialog.actor is not None and dialog.actor.counter_number == 1


def test_quitting_while_the_check_runs_signs_nobody_in(qtbot, services: Services,
                                                       agent: Actor) -> None:
    dialog = LoginDialog(lambda login, pw, counter: services.users.authenticate(
        login, pw, "TEST-1", counter), "TEST-1", "CANTAL", 1)
    qtbot.addWidget(dialog)
    dialog.login.setText("agent1")
    dialog.password.setText("motdepasse-agent1")
    answers: list[bool] = []
    dialog.answered.connect(answers.append)
    dialog.try_login()
    dialog.reject()  # « Quitter » before the answer
    settle_background(qtbot)  # the check has ended and its answer has come back
    assert answers == [] and dialog.actor is None
    assert dialog.result() == LoginDialog.DialogCode.Rejected


def test_queue_shows_and_follows_another_station(qtbot, window: MainWindow, services: Services,
                                                 accueil: Actor, agent: Actor) -> None:
    assert window.queue.model.rowCount() == 0
    aid = at_counter(services, accueil, agent, name="Çelik")
    window.queue.poll()
    settle(qtbot, window)
    assert window.queue.model.rowCount() == 1
    window.queue.select_appointment(aid)
    deposit(services, agent, aid)
    window.queue.poll()
    settle(qtbot, window)
    row = window.queue.model.row_of(aid)
    assert window.queue.model.view_at(row).stage.value == "déposé"
    assert window.queue.selected().id == aid  # selection kept across the update
    assert window.queue.counts.value("Déposés") == 1


def test_search_folds_accents(qtbot, window: MainWindow, services: Services, accueil: Actor,
                              agent: Actor, manager: Actor) -> None:
    at_counter(services, accueil, agent, name="Çelik")
    at_counter(services, accueil, manager, name="Diallo")
    window.queue.reload()
    settle(qtbot, window)
    window.queue.search.setText("celik")
    assert window.queue.proxy.rowCount() == 1


def test_queue_model_is_a_valid_qt_model(qtmodeltester, services: Services, accueil: Actor,
                                         agent: Actor) -> None:
    at_counter(services, accueil, agent)
    model = QueueModel(services.ctx.clock.now)
    model.reset_rows(services.appointments.day(agent, services.ctx.clock.now().date()))
    qtmodeltester.check(model)


def test_verify_dialog_reads_a_scanned_attestation(qtbot, services: Services, accueil: Actor,
                                                   agent: Actor) -> None:
    dossier = deposit(services, agent, at_counter(services, accueil, agent))
    dialog = VerifyDialog(services.keys.verify)
    qtbot.addWidget(dialog)
    dialog.open()
    field = by_name(dialog, QLineEdit, "Code à vérifier")
    qtbot.keyClicks(field, f"  {dossier.qr_payload.lower()} ")  # Caps Lock on, stray spaces
    with qtbot.waitSignal(dialog.verified, timeout=10000):
        qtbot.keyClick(field, Qt.Key.Key_Return)
    result = by_name(dialog, QLabel, "Résultat de la vérification").text()
    assert "authentique" in result.lower() and dossier.number in result
    assert dialog.isVisible()  # the scanner's Enter did not close the dialog
    qtbot.keyClicks(field, dossier.qr_payload[:-3] + "AAA")
    with qtbot.waitSignal(dialog.verified, timeout=10000):
        qtbot.keyClick(field, Qt.Key.Key_Return)
    assert "authentique" not in by_name(dialog, QLabel, "Résultat de la vérification").text()


def test_print_path_paints_every_page(tmp_path: Path, services: Services, agent: Actor,
                                      accueil: Actor, qapp) -> None:
    dossier = deposit(services, agent, at_counter(services, accueil, agent))
    doc = services.documents.attestation(agent, dossier.number, reprint=False)
    out = tmp_path / "printed.pdf"
    assert paint_pdf(doc.pdf, "", str(out)) == 2  # the recto, and the rights on the verso
    assert len(PdfReader(out).pages) == 2


def test_missing_printer_keeps_the_document_and_says_so(qtbot, tmp_path: Path) -> None:
    printer = PdfPrinter("IMPRIMANTE-INEXISTANTE")
    kept = tmp_path / "kept.pdf"
    kept.write_bytes(b"%PDF-1.4")
    doc = RenderedDocument(DocumentKind.ATTESTATION, "Attestation de dépôt X", "x.pdf",
                           b"%PDF-1.4", kept)
    job = printer.print_document(doc)
    with qtbot.waitSignal(job.failed, timeout=10000) as blocker:
        pass
    message = blocker.args[0]
    assert "introuvable" in message and str(kept) in message and "Enregistrer en PDF" in message


def test_each_print_reports_to_the_window_that_asked(qtbot, tmp_path: Path) -> None:
    """Two documents printing at once: each window shows its own result, never the other's;
    a long red sentence makes its window grow instead of being cut."""
    printer = PdfPrinter("IMPRIMANTE-INEXISTANTE")
    body = b"%PDF-1.4"  # the printer is missing: refused before the PDF is read
    missing = RenderedDocument(DocumentKind.MISSING_PIECES, "Pièces manquantes — Ahmadi",
                               "m.pdf", body, tmp_path / "m.pdf")
    convocation = RenderedDocument(DocumentKind.CONVOCATION, "Convocation P-HFD84XHM",
                                   "c.pdf", body, tmp_path / "c.pdf")
    first = DocumentDialog(missing, printer, auto_print=True)
    second = DocumentDialog(convocation, printer, auto_print=True)
    for dialog in (first, second):
        qtbot.addWidget(dialog)
        dialog.show()
    heights = (first.height(), second.height())
    qtbot.waitUntil(lambda: all("non imprimé" in d.status.text() for d in (first, second)),
                    timeout=10000)
    assert first.status.text().startswith("Pièces manquantes — Ahmadi non imprimé")
    assert "Convocation" not in first.status.text()
    assert second.status.text().startswith("Convocation P-HFD84XHM non imprimé")
    assert "Ahmadi" not in second.status.text()
    for dialog, height in zip((first, second), heights, strict=True):
        label = dialog.status
        assert dialog.height() > height  # the window grew to its message
        assert label.height() >= label.heightForWidth(label.width())
        assert label.geometry().bottom() < dialog.height()
    # a reprint from the first window is heard by the first window only
    before = second.status.text()
    first.print_button.click()
    qtbot.waitUntil(lambda: "non imprimé" in first.status.text(), timeout=10000)
    assert second.status.text() == before


def test_main_window_fits_the_screen(window: MainWindow) -> None:
    from PySide6.QtGui import QGuiApplication

    room = QGuiApplication.primaryScreen().availableGeometry()
    assert window.width() <= room.width() and window.height() <= room.height()


def test_one_ctrl_f_goes_to_the_search_of_the_screen_shown(qtbot, services: Services) -> None:
    from tests.conftest import make_actor

    both = make_actor(services, "polyvalent", {"accueil", "agent"}, counter=1)
    window = MainWindow(services, both, "base de test")
    qtbot.addWidget(window)
    window.queue.timer.stop()
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    settle(qtbot, window)
    desk = window.checkin
    assert desk is not None and window.tabs.currentWidget() is desk
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is desk.search
    window.tabs.setCurrentWidget(window.queue)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.queue.search
    assert "&Guichet" in [m.title() for m in window.menuBar().findChildren(QMenu)]
    # The shortcut moved the focus before Ctrl was released: release it where Qt now thinks it
    # is held, or later tests' selections read a Ctrl still down and toggle instead of select.
    qtbot.keyRelease(QApplication.focusWidget(), Qt.Key.Key_Control)
    assert QApplication.keyboardModifiers() == Qt.KeyboardModifier.NoModifier


def test_the_arrival_desk_gets_no_guichet_menu(qtbot, services: Services,
                                               accueil: Actor) -> None:
    window = MainWindow(services, accueil, "base de test")
    qtbot.addWidget(window)
    window.queue.timer.stop()
    titles = [a.text() for a in window.menuBar().actions()]
    assert "&Guichet" not in titles and "&Affichage" in titles
