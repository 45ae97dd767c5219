"""The waiting-room screen: a separate window for a second monitor facing the public.

It shows the ticket just called and its guichet in very large type, and the previous calls
below; no names (the screen is public). It has no poller of its own: the main window hands it
every change it broadcasts (this station's acts and what the queue's poll saw from the others),
so a call made at any counter appears within about a second.

It opens full screen on the screen facing the public: the one the station's configuration names
(`[station] display_screen`), else a screen other than the primary one (the agent's), else the
only screen. Nothing on it is meant for staff: the keys (F11 full screen, F12 chime, Échap a
window) are listed in « Aide › Raccourcis clavier », and the chime's state is in the window's
title, not on the screen. The chime is on unless told.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QAction, QFont, QFontMetrics, QGuiApplication, QKeySequence, QScreen
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ..errors import RdvError
from ..services.core import Actor, fr_time, local, local_today
from ..services.counter import SHOWN_CALLS, AppointmentView, CallShown, DisplayUpdate, call_of
from ..services.setup import Services
from .accessibility import SpokenLabel
from .chime import Chime
from .executor import DbExecutor
from .screen_fit import fitting

FLASH_MS = 4000
BACKGROUND, TEXT, HIGHLIGHT, MUTED = "#0d1b2a", "#ffffff", "#ffd54f", "#90a4ae"
WIDEST = "Ticket W999  →  Guichet 88"  # the longest line the screen must fit on one line
WINDOWED_SHARE = 0.8  # Échap / F11 leave full screen for a window this share of the screen
TITLE = "Salle d'attente — appels"


def public_screen(screens: Sequence[QScreen], primary: QScreen | None,
                  wanted: str = "") -> tuple[int, str]:
    """Index of the screen for the public display, and why (said to assistive tech).

    `wanted` is the station's `display_screen`: a screen name as Qt reports it (« HDMI-1 »)
    or a number from 1. It wins when that screen is plugged in; else a screen that is not the
    primary one (where the agent's window is), else the only screen.
    """
    if not screens:
        raise ValueError("no screen")
    wanted = wanted.strip()
    if wanted:
        if wanted.isdigit() and 1 <= int(wanted) <= len(screens):
            return int(wanted) - 1, f"écran {wanted} choisi dans la configuration du poste"
        for n, screen in enumerate(screens):
            if screen.name().casefold() == wanted.casefold():
                return n, f"écran « {screen.name()} » choisi dans la configuration du poste"
    missing = f"écran « {wanted} » absent ; " if wanted else ""
    if len(screens) > 1:
        for n, screen in enumerate(screens):
            if screen != primary:
                return n, f"{missing}second écran « {screen.name()} »"
    return 0, f"{missing}seul écran « {screens[0].name()} »"


def windowed(area: QRect) -> QRect:
    """A window well inside `area` (its frame too), centred: never partly off the screen."""
    width, height = int(area.width() * WINDOWED_SHARE), int(area.height() * WINDOWED_SHARE)
    return QRect(area.x() + (area.width() - width) // 2, area.y() + (area.height() - height) // 2,
                 width, height)


def call_text(call: CallShown) -> str:
    return f"Ticket {call.ticket}  →  Guichet {call.counter_number}"


class WaitingDisplay(QWidget):
    """Top-level window; `calls` holds what is shown, newest first."""

    def __init__(self, services: Services, actor: Actor, executor: DbExecutor, *,
                 chime: bool = True, screen_name: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.services = services
        self.executor = executor
        self.actor = actor
        self.setAccessibleName("Écran de la salle d'attente")
        self.setStyleSheet(f"background: {BACKGROUND}; color: {TEXT};")
        self.resize(fitting(1280, 720))
        self.calls: list[CallShown] = []
        self.chime_on = chime
        self.chime = Chime(self)
        self.last_ring = ""
        self.screen_name = screen_name
        self.placement = ""
        self._title()

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
        """The time and a word for the public; nothing about keys or settings."""
        now = fr_time(local(self.services.ctx.clock.now()))
        text = problem or "Présentez-vous au guichet indiqué avec votre ticket."
        self.footer.setText(f"{now} — {text}")

    def _title(self) -> None:
        """Staff read the chime's state in the title (taskbar, window list), never on screen."""
        chime = "carillon activé" if self.chime_on else "carillon coupé"
        self.setWindowTitle(f"{TITLE} ({chime})")

    # -- keys --------------------------------------------------------------------------------

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def toggle_chime(self) -> None:
        self.chime_on = not self.chime_on
        self._title()

    def place_on_second_screen(self) -> None:
        """Full screen on the public's screen (see `public_screen`); shown by the caller."""
        screens = QGuiApplication.screens()
        if not screens:
            return
        index, self.placement = public_screen(screens, QGuiApplication.primaryScreen(),
                                              self.screen_name)
        place_full_screen(self, screens[index])
        # Not a tooltip: a mouse resting on the public screen would show it to the room.
        self.setAccessibleDescription(f"{self.placement}. F11 plein écran, F12 carillon, "
                                      "Échap fenêtre.")


def place_full_screen(widget: QWidget, screen: QScreen) -> None:
    """Put a not yet shown window full screen on `screen`; leaving full screen (Échap, F11)
    gives a window inside that screen's free area, not one hanging below it."""
    widget.setScreen(screen)
    widget.setGeometry(windowed(screen.availableGeometry()))
    widget.setWindowState(widget.windowState() | Qt.WindowState.WindowFullScreen)
