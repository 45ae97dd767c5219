"""The station's session: lock by hand or after inactivity, unlock with the password, sign out.

Locking is local and immediate (a lost database must never keep names on screen); its audit row
is written when the database answers. Unlocking checks the password in the database, with the
sign-in's failure counting. Signing out ends the window; the application shows the sign-in
again (app.py), on the same database.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QTabWidget,
    QToolTip,
    QWidget,
)

from ..services.core import Actor, fr_time
from .session_lock import ActivityWatch, LockGuard, LockScreen

if TYPE_CHECKING:
    from ..services.setup import Services
    from .executor import DbExecutor
    from .import_dialog import ImportDialog

CHECK_EVERY_MS = 15_000
READ_DELAY_AFTER_MS = 1_000
NO_ANSWER = ("La base ne répond pas : le mot de passe ne peut pas être vérifié pour "
             "l'instant. Réessayez dans un moment.")


class SessionKeeper(QObject):
    signed_out = Signal()
    locked = Signal()  # the screens stop what would act behind the lock (the desk's camera)

    def __init__(self, window: QMainWindow, pages: QStackedWidget, services: Services,
                 actor: Actor, executor: DbExecutor) -> None:
        super().__init__(window)
        self.window = window
        self.pages = pages
        self.services = services
        self.actor = actor
        self.executor = executor
        self.lock_after_s = 0.0  # 0 until the site's delay is read
        self.screen = LockScreen(actor.display_name, actor.login)
        pages.addWidget(self.screen)
        self.screen.unlock_requested.connect(self._unlock)
        self.screen.switch_user_requested.connect(self.sign_out)
        self.watch = ActivityWatch(self)
        self.watch.lock_pressed.connect(self.lock)
        self.guard = LockGuard(self._reachable_while_locked, self._opened_while_locked, self)
        self.hidden: list[QWidget] = []
        self.focus_before: QWidget | None = None
        self.is_locked = False
        self.leaving = False
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check_idle)
        self.timer.start()
        QTimer.singleShot(READ_DELAY_AFTER_MS, self, self.read_delay)  # after the queue

    # -- the inactivity delay ----------------------------------------------------------------

    def read_delay(self) -> None:
        """The site's delay, read off the UI thread (a manager may have changed it)."""
        users = self.services.users
        self.executor.submit(users.lock_after_minutes, self._delay_read, lambda _exc: None,
                             owner=self, key="lock-delay")

    def _delay_read(self, minutes: int) -> None:
        self.lock_after_s = minutes * 60.0

    def check_idle(self) -> None:
        if (not self.is_locked and not self.leaving and self.lock_after_s > 0
                and self.watch.idle_seconds() >= self.lock_after_s):
            self.lock("inactivité")

    # -- locking -----------------------------------------------------------------------------

    def public_windows(self) -> tuple[QWidget, ...]:
        display = getattr(self.window, "waiting_display", None)
        return (display,) if isinstance(display, QWidget) else ()

    def _reachable_while_locked(self, widget: QWidget) -> bool:
        if widget is self.screen or self.screen.isAncestorOf(widget):
            return True
        return any(widget.window() is shown for shown in self.public_windows())

    def _opened_while_locked(self, window: QWidget) -> None:
        """Hidden as soon as it shows, and shown again at the unlock."""
        if window is self.window or window in self.hidden:
            return
        self.hidden.append(window)

        def hide() -> None:  # after its show has ended (hiding inside it is not safe)
            if shiboken6.isValid(window) and self.is_locked:
                window.hide()
                self.window.activateWindow()  # the password field keeps the keyboard
                self.screen.password.setFocus()

        QTimer.singleShot(0, hide)

    def lock(self, why: str = "à la demande") -> None:
        """Hide everything personal now; audit when the database answers."""
        if self.is_locked or self.leaving:
            return
        self.is_locked = True
        self.focus_before = QApplication.focusWidget()
        QToolTip.hideText()
        for _ in range(8):  # menus and lists left open (nested ones too) are not brought back
            popup = QApplication.activePopupWidget()
            if popup is None:
                break
            popup.close()
        public = self.public_windows()
        self.hidden = [w for w in QApplication.topLevelWidgets()
                       if w is not self.window and w not in public and w.isVisible()]
        for widget in self.hidden:
            widget.hide()
        self.locked.emit()
        self.window.menuBar().hide()
        self.window.statusBar().hide()
        self.pages.setCurrentWidget(self.screen)
        self.window.activateWindow()  # the window in front may have been a hidden one
        self.guard.start()
        now = self.services.ctx.clock.now()
        self.screen.locked(fr_time(now), why)
        users, actor = self.services.users, self.actor
        self.executor.submit(lambda: users.session_event(actor, "session_locked", why),
                             lambda _none: None, lambda _exc: None, owner=self)

    def _unlock(self, password: str) -> None:
        if self.executor.is_stalled:
            self.screen.refused(NO_ANSWER)
            return
        users, actor = self.services.users, self.actor
        self.executor.submit(lambda: users.unlock(actor, password), self._unlocked,
                             self._refused, owner=self)

    def _refused(self, exc: Exception) -> None:
        self.screen.refused(getattr(exc, "message", NO_ANSWER))

    def _unlocked(self, _actor: Actor) -> None:
        self.guard.stop()
        self.pages.setCurrentIndex(0)
        self.window.menuBar().show()
        self.window.statusBar().show()
        for widget in self.hidden:
            if shiboken6.isValid(widget):
                widget.show()
        self.hidden = []
        self.is_locked = False
        self._give_focus_back()
        self.watch.reset()
        self.read_delay()

    def _give_focus_back(self) -> None:
        """The keyboard goes back where it was (at the desk: the scan field, so the next scan
        checks in), else to the screen shown."""
        before = self.focus_before
        self.focus_before = None
        if before is not None and shiboken6.isValid(before) and before.isVisible():
            before.activateWindow()
            before.setFocus()
            return
        self.window.activateWindow()
        shown = getattr(self.window, "tabs", None)
        if isinstance(shown, QTabWidget) and shown.currentWidget() is not None:
            shown.currentWidget().setFocus()

    # -- signing out -------------------------------------------------------------------------

    def sign_out(self) -> None:
        """Ask first when an open checklist would lose its marks or an import would be
        cancelled; then leave. From the lock screen nobody is asked: whoever stands there may
        not see the dossier (a running import is cancelled all the same)."""
        checklist = getattr(self.window, "checklist", None)
        open_check = (checklist is not None and shiboken6.isValid(checklist)
                      and checklist.isVisible() and checklist.model.touched())
        importing = self.running_import()
        losses = []
        if open_check:
            losses.append("un contrôle de dossier est en cours : les pièces marquées et les "
                          "notes seront perdues")
        if importing is not None:
            losses.append("un import de rendez-vous est en cours : il sera annulé et ce qu'il "
                          "a déjà écrit sera retiré")
        if self.is_locked or not losses:
            self._leave_after(importing)
            return
        ask = QMessageBox(QMessageBox.Icon.Question, "Se déconnecter ?",
                          " ; ".join(losses).capitalize() + ".", parent=self.window)
        ask.setAccessibleName("Confirmer la déconnexion")
        leave = ask.addButton("Se &déconnecter", QMessageBox.ButtonRole.DestructiveRole)
        stay = ask.addButton("&Rester connecté", QMessageBox.ButtonRole.RejectRole)
        ask.setDefaultButton(stay)
        ask.setEscapeButton(stay)
        leave.clicked.connect(lambda: self._leave_after(self.running_import()))
        self.confirm = ask
        ask.open()

    def running_import(self) -> ImportDialog | None:
        """The import under way in this window, if any (it writes in a worker of its own)."""
        if "rdv_desktop.ui.import_dialog" not in sys.modules:
            return None  # nothing was ever imported from this station
        from .import_dialog import ImportDialog

        return next((d for d in self.window.findChildren(ImportDialog) if d.busy), None)

    def _leave_after(self, importing: ImportDialog | None) -> None:
        """Cancel a running import and leave once it has taken back what it wrote."""
        if importing is None:
            self.leave()
            return
        importing.cancel()
        note = "Annulation de l'import en cours avant la déconnexion…"
        if self.is_locked:
            self.screen.refused(note)
        else:
            self.window.statusBar().showMessage(note)

        def wait() -> None:
            if shiboken6.isValid(importing) and importing.busy:
                QTimer.singleShot(100, self, wait)
            else:
                self.leave()

        wait()

    def leave(self) -> None:
        """Audit the sign-out when the database answers now; never wait on a silent one."""
        if self.leaving:
            return
        self.leaving = True
        self.timer.stop()
        if self.executor.is_stalled:
            self.signed_out.emit()
            return
        users, actor = self.services.users, self.actor
        self.executor.submit(lambda: users.session_event(actor, "logout"),
                             lambda _none: self.signed_out.emit(),
                             lambda _exc: self.signed_out.emit(), owner=self)
