"""The waiting-room screen: a separate window for a second monitor facing the public.

It shows the ticket just called and its guichet in very large type, and the previous calls
below; no names (the screen is public). It polls the shared feed every second, so a call made
at any counter appears within about a second. F11 toggles full screen, F12 the chime.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QFont, QFontMetrics, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ..errors import DatabaseBusy, DatabaseUnavailable, RdvError
from ..services.actor import Actor
from ..services.clock import fr_time, local, local_today
from ..services.queue_feed import FeedCursor
from ..services.setup import Services
from ..services.waiting_room import SHOWN_CALLS, CallShown
from .chime import Chime

POLL_MS = 1000
FLASH_MS = 4000
BACKGROUND, TEXT, HIGHLIGHT, MUTED = "#0d1b2a", "#ffffff", "#ffd54f", "#90a4ae"
WIDEST = "Ticket W999  →  Guichet 88"  # the longest line the screen must fit on one line


def call_text(call: CallShown) -> str:
    return f"Ticket {call.ticket}  →  Guichet {call.counter_number}"


class WaitingDisplay(QWidget):
    """Top-level window; `calls` holds what is shown, newest first."""

    def __init__(self, services: Services, actor: Actor, *, chime: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.services = services
        self.actor = actor
        self.setWindowTitle("Salle d'attente — appels")
        self.setAccessibleName("Écran de la salle d'attente")
        self.setStyleSheet(f"background: {BACKGROUND}; color: {TEXT};")
        self.resize(1280, 720)
        self.calls: list[CallShown] = []
        self.last_event: FeedCursor | int = 0  # 0 until the first load: the whole feed
        self.chime_on = chime
        self.chime = Chime(self)
        self.last_ring = ""

        self.title = QLabel("Appel en cours")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.current = QLabel("—")
        self.current.setAccessibleName("Dernier appel")
        self.current.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.current.setWordWrap(True)
        self.previous_title = QLabel("Appels précédents")
        self.previous_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.previous = [QLabel("") for _ in range(SHOWN_CALLS - 1)]
        for n, label in enumerate(self.previous, start=1):
            label.setAccessibleName(f"Appel précédent {n}")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.footer = QLabel()
        self.footer.setAccessibleName("Pied de l'écran")
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
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.load()
        self.timer.start()

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
        try:
            update = self.services.waiting_room.recent(self.actor, self.today())
        except RdvError as exc:
            self._footer(exc.message)
            return
        self.last_event = update.last_event_id
        self.calls = list(update.calls)
        self._render()
        self._footer()

    def poll(self) -> None:
        try:
            update = self.services.waiting_room.changes(self.actor, self.today(),
                                                        self.last_event)
        except (DatabaseUnavailable, DatabaseBusy):
            self._footer("Connexion à la base perdue : l'écran reprendra seul.")
            return
        except RdvError as exc:
            self._footer(exc.message)
            return
        self.last_event = update.last_event_id
        changed = False
        if update.withdrawn:
            before = len(self.calls)
            self.calls = [c for c in self.calls if c.appointment_id not in update.withdrawn]
            changed = len(self.calls) != before
        for call in reversed(update.calls):  # oldest first, so the newest ends on top
            self.calls = [c for c in self.calls if c.appointment_id != call.appointment_id]
            self.calls.insert(0, call)
        self.calls = self.calls[:SHOWN_CALLS]
        if update.calls:
            self._highlight(True)
            self.flash.start(FLASH_MS)
            if self.chime_on:
                self.last_ring = self.chime.play()
        if update.calls or changed:
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
