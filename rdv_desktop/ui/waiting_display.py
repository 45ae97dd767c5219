"""The waiting-room screen: a separate window for a second monitor facing the public.

It shows the ticket just called and its guichet in very large type, and the previous calls
below; no names (the screen is public). It has no poller of its own: the main window hands it
every change it broadcasts (this station's acts and what the queue's poll saw from the others),
so a call made at any counter appears within about a second. F11 toggles full screen, F12 the
chime.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QFont, QFontMetrics, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ..errors import RdvError
from ..services.core import Actor, fr_time, local, local_today
from ..services.counter import SHOWN_CALLS, AppointmentView, CallShown, DisplayUpdate, call_of
from ..services.setup import Services
from .accessibility import SpokenLabel
from .chime import Chime
from .executor import DbExecutor

FLASH_MS = 4000
BACKGROUND, TEXT, HIGHLIGHT, MUTED = "#0d1b2a", "#ffffff", "#ffd54f", "#90a4ae"
WIDEST = "Ticket W999  →  Guichet 88"  # the longest line the screen must fit on one line


def call_text(call: CallShown) -> str:
    return f"Ticket {call.ticket}  →  Guichet {call.counter_number}"


class WaitingDisplay(QWidget):
    """Top-level window; `calls` holds what is shown, newest first."""

    def __init__(self, services: Services, actor: Actor, executor: DbExecutor, *,
                 chime: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.services = services
        self.executor = executor
        self.actor = actor
        self.setWindowTitle("Salle d'attente — appels")
        self.setAccessibleName("Écran de la salle d'attente")
        self.setStyleSheet(f"background: {BACKGROUND}; color: {TEXT};")
        self.resize(1280, 720)
        self.calls: list[CallShown] = []
        self.chime_on = chime
        self.chime = Chime(self)
        self.last_ring = ""

        self.title = QLabel("Appel en cours")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.current = SpokenLabel("Dernier appel", "—")
        self.current.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.current.setWordWrap(True)
        self.previous_title = QLabel("Appels précédents")
        self.previous_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.previous = [QLabel("") for _ in range(SHOWN_CALLS - 1)]
        for n, label in enumerate(self.previous, start=1):
            label.setAccessibleName(f"Appel précédent {n}")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.footer = SpokenLabel("Pied de l'écran")
        self.footer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 24, 40, 16)
        layout.addWidget(self.title)
        layout.addWidget(self.current, 3)
        layout.addWidget(self.previous_title)
        for label in self.previous:
            layout.addWidget(label, 1)
        layout.addWidget(self.footer)
        self._fonts()

        for keys, slot in (("F11", self.toggle_full_screen), ("F12", self.toggle_chime),
                           ("Escape", self.showNormal)):
            action = QAction(self)
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(slot)
            self.addAction(action)
        self.flash = QTimer(self)
        self.flash.setSingleShot(True)
        self.flash.timeout.connect(lambda: self._highlight(False))
        self.load()

    # -- sizes follow the window, so the same code suits a laptop and a 55" screen -----------

    def _fitted(self, share: float, bold: bool) -> QFont:
        """A font `share` of the window height, smaller if WIDEST would not fit the width."""
        font = QFont()
        font.setBold(bold)
        font.setPixelSize(max(8, int(max(self.height(), 400) * share)))
        room = max(self.width() - 100, 200)
        wide = QFontMetrics(font).horizontalAdvance(WIDEST)
        if wide > room:
            font.setPixelSize(max(8, int(font.pixelSize() * room / wide)))
        return font

    def _fonts(self) -> None:
        for label, share, bold in ((self.title, 0.045, False), (self.current, 0.13, True),
                                   (self.previous_title, 0.035, False),
                                   (self.footer, 0.025, False)):
            label.setFont(self._fitted(share, bold))
        for label in self.previous:
            label.setFont(self._fitted(0.06, False))
        self.title.setStyleSheet(f"color: {MUTED};")
        self.previous_title.setStyleSheet(f"color: {MUTED};")
        self.footer.setStyleSheet(f"color: {MUTED};")

    def resizeEvent(self, event: Any) -> None:  # Qt's name
        super().resizeEvent(event)
        self._fonts()

    # -- data --------------------------------------------------------------------------------

    def today(self) -> date:
        return local_today(self.services.ctx.clock)

    def load(self) -> None:
        today = self.today()
        self.executor.submit(lambda: self.services.waiting_room.recent(self.actor, today),
                             self._loaded, self._failed, owner=self)

    def _loaded(self, update: DisplayUpdate) -> None:
        self.calls = list(update.calls)
        self._render()
        self._footer()

    def _failed(self, exc: Exception) -> None:
        self._footer(exc.message if isinstance(exc, RdvError) else str(exc))

    def connection_changed(self, online: bool, _message: str) -> None:
        self._footer("" if online else "Connexion à la base perdue : l'écran reprendra seul.")

    def apply_changes(self, views: tuple[AppointmentView, ...]) -> None:
        """New calls go on top (and flash); people no longer called leave the screen."""
        today = self.today()
        shown = {c.appointment_id: c for c in self.calls}
        fresh: list[CallShown] = []
        withdrawn = False
        for view in views:
            if view.slot_date != today:
                continue
            call = call_of(view)
            if call is None:
                if view.id in shown:
                    self.calls = [c for c in self.calls if c.appointment_id != view.id]
                    withdrawn = True
            elif view.id not in shown or shown[view.id].called_at != call.called_at:
                fresh.append(call)
        for call in sorted(fresh, key=lambda c: c.called_at):  # the newest ends on top
            self.calls = [c for c in self.calls if c.appointment_id != call.appointment_id]
            self.calls.insert(0, call)
        self.calls = self.calls[:SHOWN_CALLS]
        if fresh:
            self._highlight(True)
            self.flash.start(FLASH_MS)
            if self.chime_on:
                self.last_ring = self.chime.play()
        if fresh or withdrawn:
            self._render()
        self._footer()

    def _render(self) -> None:
        self.current.setText(call_text(self.calls[0]) if self.calls else "—")
        for n, label in enumerate(self.previous, start=1):
            label.setText(call_text(self.calls[n]) if n < len(self.calls) else "")

    def _highlight(self, on: bool) -> None:
        self.current.setStyleSheet(f"color: {HIGHLIGHT if on else TEXT};")

    def _footer(self, problem: str = "") -> None:
        now = fr_time(local(self.services.ctx.clock.now()))
        chime = "carillon activé" if self.chime_on else "carillon coupé"
        text = problem or "Présentez-vous au guichet indiqué avec votre ticket."
        self.footer.setText(f"{now} — {text}  (F11 plein écran, F12 {chime})")

    # -- keys --------------------------------------------------------------------------------

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def toggle_chime(self) -> None:
        self.chime_on = not self.chime_on
        self._footer()

    def place_on_second_screen(self) -> None:
        """Open on the last screen when there are several (the one facing the public)."""
        screens = QGuiApplication.screens()
        if len(screens) > 1:
            self.setGeometry(screens[-1].availableGeometry())
