"""What a screen reader hears: secrets kept, results announced, changing text exposed.

One module, used by every screen (docs/accessibility.md says what each one sounds like):

- `SecretField`: a password field whose accessible interface reports « N caractères » and has
  no text interface, so Qt's per-character text events never reach AT-SPI (or UIA) with the
  typed characters (QLineEdit in Password mode still sends them: the adaptor drops text events
  of an interface without a text interface).
- `announce`: a result spoken without moving the focus. On Linux a zero-size notification
  object of the main window is shown with the message (Orca speaks a notification as it
  appears; Orca 43, checked, ignores AT-SPI announcements); elsewhere Qt's announcement event
  (a UIA notification on Windows). Nothing is made while no assistive technology listens.
- `SpokenLabel`: a label whose changing text is exposed (its name, or its description when it
  has a fixed caption as name).
- `caption`: a visible caption that is its field's buddy (« Motif : » names the combo box).
- `leave_on_tab`: Tab and Shift+Tab leave a table instead of walking its cells.
- `WordsProgressBar`: a progress bar read as its text, never as a percentage.
- `name_clear_button`: the clear button inside a search field gets a name and no tab stop.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QTextDocumentFragment
from PySide6.QtGui import Qt as GuiQt  # mightBeRichText lives in QtGui
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAccessibleWidget,
    QLabel,
    QLineEdit,
    QProgressBar,
    QToolButton,
    QWidget,
)

SECRET_CLASS = "SecretField"
NOTIFIER_CLASS = "Notifier"
WORDS_PROGRESS_CLASS = "WordsProgressBar"
# Linux screen readers (Orca 43) speak a notification object as it is shown and ignore AT-SPI
# announcements; elsewhere the announcement event is the platform's own notification.
NOTIFY_BY_SHOWING = sys.platform.startswith("linux")


def characters(count: int) -> str:
    return f"{count} caractère" if count == 1 else f"{count} caractères"


class _OwnInterface(QAccessibleWidget):
    """A widget's own accessible interface: a role and what it says, and never a text or a
    numeric value interface (those are what leaked the password and said « 12 % »)."""

    def __init__(self, widget: QWidget, role: QAccessible.Role, *,
                 name: Callable[[], str] | None = None,
                 value: Callable[[], str] | None = None, secret: bool = False) -> None:
        super().__init__(widget, role, "")
        self.name, self.value, self.secret = name, value, secret

    def text(self, kind: QAccessible.Text) -> str:
        if kind == QAccessible.Text.Name and self.name is not None:
            return self.name()
        if kind in (QAccessible.Text.Value, QAccessible.Text.Description) and self.value:
            return self.value()  # read after the name: « Mot de passe, 14 caractères »
        return super().text(kind)

    def state(self) -> QAccessible.State:
        state = super().state()
        if self.secret:
            state.passwordEdit = True
            state.editable = True
            state.focusable = True
        return state


def _factory(key: str, obj: QObject) -> QAccessibleWidget | None:
    """This module's own interfaces; every other widget keeps Qt's (None: ask the next)."""
    if key == SECRET_CLASS and isinstance(obj, SecretField):
        field = obj
        return _OwnInterface(field, QAccessible.Role.EditableText, secret=True,
                             value=lambda: characters(len(field.text())))
    if key == NOTIFIER_CLASS and isinstance(obj, Notifier):
        note = obj
        return _OwnInterface(note, QAccessible.Role.Notification, name=lambda: note.message)
    if key == WORDS_PROGRESS_CLASS and isinstance(obj, WordsProgressBar):
        return _OwnInterface(obj, QAccessible.Role.ProgressBar, value=obj.text)
    return None


_factory_installed = False


def _install_factory() -> None:
    """Once, before the first of these widgets is asked for its interface."""
    global _factory_installed
    if not _factory_installed:
        QAccessible.installFactory(_factory)
        _factory_installed = True


class SecretField(QLineEdit):
    """A password line edit that never hands its text to accessibility."""

    def __init__(self, parent: QWidget | None = None) -> None:
        _install_factory()
        super().__init__(parent)
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)


NOTIFIERS_KEPT = 3  # a reader reads a notification's name when it handles the event: later


class Notifier(QWidget):
    """A zero-size notification object of a window, shown once with one message.

    One object per message: a screen reader asks for the name when it gets to the event, and
    by then the next message may be out (a late arrival accepted at once with F9).
    """

    def __init__(self, window: QWidget, message: str) -> None:
        _install_factory()
        super().__init__(window)
        self.message = message
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setGeometry(0, 0, 0, 0)
        self.show()  # « showing » becomes true: Orca speaks the notification


class WordsProgressBar(QProgressBar):
    """A progress bar whose accessible value is its text (« 1 sur 8 pièces requises reçues »)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        _install_factory()
        super().__init__(parent)


def outermost_window(widget: QWidget) -> QWidget:
    """The main window behind any dialog: Orca reads a notification's ancestors first, and a
    dialog as an ancestor is read whole (title and every label) before each message."""
    window = widget.window()
    while (parent := window.parentWidget()) is not None:
        window = parent.window()
    return window


def notify(widget: QWidget, message: str) -> Notifier:
    window = outermost_window(widget)
    shown = window.findChildren(Notifier, "", Qt.FindChildOption.FindDirectChildrenOnly)
    for old in shown[:max(0, len(shown) - NOTIFIERS_KEPT + 1)]:
        old.deleteLater()
    return Notifier(window, message)


def announce(widget: QWidget, message: str, assertive: bool = False) -> None:
    """Have the screen reader say `message` now, wherever the focus is (it stays there)."""
    if not message or not QAccessible.isActive():
        return
    if NOTIFY_BY_SHOWING:
        if outermost_window(widget).isVisible():
            notify(widget, message)
        return
    event = QAccessibleAnnouncementEvent(widget, message)
    event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive if assertive
                        else QAccessible.AnnouncementPoliteness.Polite)
    QAccessible.updateAccessibility(event)


def plain(text: str) -> str:
    """What a label shows, without its markup."""
    if GuiQt.mightBeRichText(text):
        return QTextDocumentFragment.fromHtml(text).toPlainText()
    return text


class SpokenLabel(QLabel):
    """A label with changing text, exposed as it is shown.

    With a caption (« Message de la file »), the caption is the name and the text shown is the
    description; without one, the name is the text shown itself (« Attendus : 22 »). A `live`
    label (a form's or a screen's message) is a polite live region: each new text is announced.
    """

    def __init__(self, caption: str = "", text: str = "", parent: QWidget | None = None,
                 live: bool = False) -> None:
        super().__init__(parent)
        self.caption = caption
        self.live = False
        if caption:
            self.setAccessibleName(caption)
        self.setText(text)
        self.live = live

    def setText(self, text: str) -> None:  # Qt's name
        changed = text != self.text()
        super().setText(text)
        spoken = plain(text)
        if self.caption:
            self.setAccessibleDescription(spoken)
        else:
            self.setAccessibleName(spoken)
        if self.live and changed:
            announce(self, spoken)

    def clear(self) -> None:  # Qt's name
        self.setText("")


def caption(text: str, buddy: QWidget) -> QLabel:
    """A visible caption that names `buddy` (its mnemonic, if any, moves the focus there)."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def leave_on_tab(*views: QAbstractItemView) -> None:
    """Tab and Shift+Tab go to the next control; the arrows move inside the table."""
    for view in views:
        view.setTabKeyNavigation(False)


def name_clear_button(field: QLineEdit, name: str = "Effacer la recherche") -> None:
    """The clear button Qt puts inside a field: named, and out of the tab order."""
    field.setClearButtonEnabled(True)
    for button in field.findChildren(QToolButton):
        button.setAccessibleName(name)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
