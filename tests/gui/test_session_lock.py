"""The station locks (by hand, after inactivity) and signs out; only the password brings back
what was on screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from rdv_desktop.app import keep_station
from rdv_desktop.config import StationConfig
from rdv_desktop.models import AuditEvent
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.papers.documents import DocumentKind, RenderedDocument
from rdv_desktop.services.setup import Services
from rdv_desktop.ui.login_dialog import LoginDialog
from rdv_desktop.ui.main_window import MainWindow
from tests.conftest import password_of
from tests.gui.conftest import settle, shown_window


def actions(services: Services, login: str) -> list[str]:
    with services.ctx.db.read() as s:
        return list(s.scalars(select(AuditEvent.action).where(AuditEvent.user_login == login)
                              .order_by(AuditEvent.id)))


def unlock_with(qtbot, window: MainWindow, password: str) -> None:
    """Typed as a person does, key by key through the window (real input reaches the window
    first, then the focused widget: the lock must let it through)."""
    handle = window.windowHandle()
    qtbot.waitUntil(window.session.screen.password.hasFocus)
    for char in password:
        QTest.keyClick(handle, char)
        qtbot.wait(60)  # a person's pace, not a scanner's
    QTest.keyClick(handle, Qt.Key.Key_Return)
    settle(qtbot, window)


def test_locking_hides_every_window_and_only_the_owners_password_unlocks(
        qtbot, window: MainWindow, services: Services, agent: Actor) -> None:
    doc = window.show_document(RenderedDocument(
        DocumentKind.DAY_LIST, "Liste du jour", "liste.pdf", b"%PDF-1.4"), auto_print=False)
    assert doc.isVisible()
    # From the document window in front: its modality keeps the menu's shortcut away.
    qtbot.keyClick(doc, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    session = window.session
    assert session.is_locked and window.pages.currentWidget() is session.screen
    assert not window.tabs.isVisible() and not window.menuBar().isVisible()
    assert not window.statusBar().isVisible() and not doc.isVisible()
    assert "Agent1 (agent1)" in session.screen.who.text()
    assert "à la demande" in session.screen.who.text()

    # Shortcuts reach nothing: F2 calls nobody, Ctrl+Shift+Q signs nobody out.
    qtbot.keyClick(session.screen.password, Qt.Key.Key_F2)
    qtbot.keyClick(session.screen.password, Qt.Key.Key_Q,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    settle(qtbot, window)
    assert session.is_locked and not session.leaving

    unlock_with(qtbot, window, "pas-le-bon-mot-de-passe")
    assert session.is_locked
    assert "incorrect" in session.screen.message.text()
    assert session.screen.password.text() == ""

    unlock_with(qtbot, window, password_of("agent1"))
    assert not session.is_locked
    assert window.pages.currentIndex() == 0 and window.tabs.isVisible()
    assert window.menuBar().isVisible() and doc.isVisible()
    trail = actions(services, "agent1")
    assert trail[-2:] == ["session_locked", "session_unlocked"]
    with services.ctx.db.read() as s:  # the wrong password counted as a failed sign-in
        failed = s.scalars(select(AuditEvent).where(AuditEvent.action == "login_failed")).all()
    assert [row.entity_id for row in failed] == [str(agent.user_id)]


def test_a_station_left_alone_locks_itself_after_the_sites_delay(
        qtbot, window: MainWindow, services: Services, admin: Actor) -> None:
    session = window.session
    qtbot.waitUntil(lambda: session.lock_after_s == 10 * 60)  # the default, from the database
    services.office.admin.set_setting(admin, "lock_after_minutes", 3)
    session.read_delay()
    settle(qtbot, window)
    assert session.lock_after_s == 180
    session.watch.last -= 170
    session.check_idle()
    assert not session.is_locked  # 170 s: not yet
    session.watch.last -= 20
    session.check_idle()
    assert session.is_locked and "inactivité" in session.screen.who.text()
    settle(qtbot, window)
    with services.ctx.db.read() as s:
        row = s.scalars(select(AuditEvent).where(AuditEvent.action == "session_locked")).one()
    assert row.reason == "inactivité"


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen: no stacking
def test_signing_out_asks_for_a_sign_in_on_the_same_database(
        qtbot, services: Services, agent: Actor, manager: Actor) -> None:
    window = shown_window(qtbot, services, agent, closed_by_qtbot=False)  # deleted on sign-out
    config = StationConfig(db_url="sqlite://", station_name="TEST-1", site_code="CANTAL",
                           counter_number=1)
    keep_station(window, services, config, "base de test")
    window.open_waiting_display()
    settle(qtbot, window)
    with qtbot.waitSignal(window.signed_out, timeout=10_000):
        window.session.sign_out()
    dialogs = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, LoginDialog) and w.isVisible()]
    assert len(dialogs) == 1
    dialog = dialogs[0]
    assert dialog.counter.value() == 1  # the guichet is offered again, and can be changed
    dialog.login.setText("chef")
    dialog.password.setText(password_of("chef"))
    dialog.counter.setValue(4)
    with qtbot.waitSignal(dialog.answered, timeout=10_000):
        dialog.try_login()
    following = [w for w in QApplication.topLevelWidgets()
                 if isinstance(w, MainWindow) and w.isVisible()]
    assert len(following) == 1 and following[0].actor.login == "chef"
    assert following[0].actor.counter_number == 4
    display = following[0].waiting_display  # the public screen comes back by itself
    assert display is not None and display.isVisible()
    settle(qtbot, following[0])
    assert actions(services, "agent1")[-1] == "logout"
    following[0].close()
    following[0].deleteLater()


def test_a_window_opened_while_locked_waits_for_the_unlock(
        qtbot, window: MainWindow, services: Services, agent: Actor) -> None:
    """A deposit under way when the station locked ends with its attestation's window: it must
    not show a name over the lock screen."""
    window.session.lock()
    doc = window.show_document(RenderedDocument(
        DocumentKind.ATTESTATION, "Attestation de dépôt CANTAL-2026-000001 — AHMADI Nasrin",
        "a.pdf", b"%PDF-1.4"), auto_print=False)
    qtbot.waitUntil(lambda: not doc.isVisible())
    unlock_with(qtbot, window, password_of("agent1"))
    assert doc.isVisible()


def test_a_file_chooser_open_at_the_lock_is_hidden_with_the_rest(
        qtbot, window: MainWindow, services: Services, agent: Actor) -> None:
    """Qt's own chooser (never the system's, which the lock could not hide)."""
    from PySide6.QtWidgets import QFileDialog

    doc = window.show_document(RenderedDocument(
        DocumentKind.DAY_LIST, "Liste du jour", "liste.pdf", b"%PDF-1.4"), auto_print=False)
    doc._save()
    picker = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, QFileDialog) and w.isVisible())
    assert picker.testOption(QFileDialog.Option.DontUseNativeDialog)
    window.session.lock()
    assert not picker.isVisible() and not doc.isVisible()
    unlock_with(qtbot, window, password_of("agent1"))
    assert picker.isVisible() and doc.isVisible()
    picker.reject()
