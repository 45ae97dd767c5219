"""A station left alone locks itself: the window stays, the personal data goes behind a screen.

An agent called away leaves names, birth dates and motifs on the screen of a public room. After
the site's delay without a key or a click (or at once with Ctrl+L) the window shows only the lock
screen: tabs, menus, status bar and every other window of the station (the checklist, document
windows) are hidden, and input reaches nothing else — no shortcut, no scan. Only the same
person's password brings it all back as it was; anyone else signs the station out.
The public waiting-room display stays as it is: it shows tickets, not people.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QWindow
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..french import typographic
from ..services.desk import KeyBurst
from .accessibility import SecretField, SpokenLabel, announce

ERROR_STYLE = "color: #b00020; font-weight: bold"
_PRESENCE = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel,
                       QEvent.Type.TouchBegin})
_INPUT = frozenset({*_PRESENCE, QEvent.Type.KeyRelease, QEvent.Type.MouseButtonRelease,
                    QEvent.Type.MouseButtonDblClick, QEvent.Type.ContextMenu,
                    QEvent.Type.Shortcut, QEvent.Type.ShortcutOverride})


class ActivityWatch(QObject):
    """When a person last pressed a key, clicked or scrolled anywhere in the application; and
    Ctrl+L in a window whose modality keeps the main window's shortcut from firing (a document
    window, the checklist)."""

    lock_pressed = Signal()

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.last = time.monotonic()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, _target: QObject, event: QEvent) -> bool:  # Qt's name
        if event.type() in _PRESENCE:
            self.last = time.monotonic()
            if (isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_L
                    and event.modifiers() == Qt.KeyboardModifier.ControlModifier):
                self.lock_pressed.emit()
                return True
        return False

    def idle_seconds(self) -> float:
        return time.monotonic() - self.last

    def reset(self) -> None:
        self.last = time.monotonic()


class LockGuard(QObject):
    """While installed, keys, clicks and shortcuts reach only the widgets `allowed` accepts,
    and a window that opens meanwhile (an attestation after a deposit that was under way, a
    message) is handed to `opened` to be kept hidden."""

    def __init__(self, allowed: Callable[[QWidget], bool], opened: Callable[[QWidget], None],
                 parent: QObject) -> None:
        super().__init__(parent)
        self.allowed = allowed
        self.opened = opened

    def start(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, target: QObject, event: QEvent) -> bool:  # Qt's name
        if (event.type() == QEvent.Type.Show and isinstance(target, QWidget)
                and target.isWindow() and not self.allowed(target)):
            self.opened(target)
            return False
        if event.type() not in _INPUT or isinstance(target, QWindow):
            return False  # a window hands real input on to a widget, judged then
        # A shortcut is delivered to its QAction or QShortcut: judge it by its widget.
        widget = target if isinstance(target, QWidget) else target.parent()
        return not (isinstance(widget, QWidget) and self.allowed(widget))


class LockScreen(QWidget):
    """What a locked station shows: whose session it is, and a password field."""

    unlock_requested = Signal(str)  # the password typed
    switch_user_requested = Signal()

    def __init__(self, display_name: str, login: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Poste verrouillé")
        title = QLabel("Poste verrouillé")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        self.who = QLabel()
        self.who.setTextFormat(Qt.TextFormat.PlainText)
        self.who.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.who.setWordWrap(True)
        self.owner = f"{display_name} ({login})"
        self.password = SecretField()
        self.password.setAccessibleName("Mot de passe")
        self.password.setMaximumWidth(320)
        self.password.returnPressed.connect(self._submit)
        self.password.installEventFilter(self)
        self.burst = KeyBurst()  # a scanner typing here is no password attempt
        caption = QLabel("&Mot de passe")
        caption.setBuddy(self.password)
        self.unlock_button = QPushButton("&Déverrouiller")
        self.unlock_button.setAccessibleName("Déverrouiller")
        self.unlock_button.clicked.connect(self._submit)
        self.switch_button = QPushButton("&Changer d'utilisateur")
        self.switch_button.setAccessibleName("Changer d'utilisateur (déconnecte la session)")
        self.switch_button.clicked.connect(self.switch_user_requested)
        self.message = SpokenLabel("Message du verrouillage", live=True)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)

        field = QHBoxLayout()
        field.addStretch(1)
        field.addWidget(caption)
        field.addWidget(self.password)
        field.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        buttons.addWidget(self.switch_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(title)
        self.who.setFixedWidth(640)  # a readable line, not the width of a wide screen
        layout.addWidget(self.who, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(16)
        layout.addLayout(field)
        layout.addLayout(buttons)
        self.message.setFixedWidth(640)
        layout.addWidget(self.message, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)

    def locked(self, at: str, why: str) -> None:
        _show(self.who, typographic(
            f"Session de {self.owner}, verrouillée à {at} ({why}). Les données personnelles "
            "restent masquées jusqu'à ce que ce mot de passe soit saisi ; toute autre personne "
            "choisit « Changer d'utilisateur »."))
        _show(self.message, "")
        self.message.setStyleSheet("")
        self.password.clear()
        self.busy(False)
        self.password.setFocus()
        announce(self.who, self.who.text(), assertive=True)

    def busy(self, checking: bool) -> None:
        self.unlock_button.setEnabled(not checking)
        self.password.setEnabled(not checking)
        if checking:
            self.message.setStyleSheet("")
            _show(self.message, "Vérification…")

    def refused(self, message: str) -> None:
        self.busy(False)
        self.message.setStyleSheet(ERROR_STYLE)
        _show(self.message, typographic(message))
        self.password.clear()
        self.password.setFocus()
        announce(self.message, self.message.text(), assertive=True)

    def eventFilter(self, target: QObject, event: QEvent) -> bool:  # Qt's name
        """Time the keys: a scanner's burst ending in Return is dropped, not tried as a
        password (three codes would lock the account)."""
        if target is self.password and isinstance(event, QKeyEvent) \
                and event.type() == QEvent.Type.KeyPress:
            now = time.monotonic() * 1000.0
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self.burst.is_scan(now):
                    self.burst.clear()
                    self.refused("Scan ignoré : le poste est verrouillé. Tapez votre mot de "
                                 "passe pour reprendre.")
                    return True
                self.burst.clear()
            elif event.text() and event.text().isprintable() \
                    and not self.burst.add(event.text(), now):
                self.burst.clear()
                self.burst.add(event.text(), now)
        return super().eventFilter(target, event)

    def _submit(self) -> None:
        if not self.unlock_button.isEnabled():
            return
        password = self.password.text()
        if not password:
            self.refused("Tapez votre mot de passe.")
            return
        self.busy(True)
        self.unlock_requested.emit(password)


def _show(label: QLabel, text: str) -> None:
    """Set a wrapped line of fixed width and give it the height its text needs (a layout
    would size it for one line and cut the rest)."""
    label.setText(text)
    label.setFixedHeight(max(label.heightForWidth(label.width()), label.fontMetrics().height()))
