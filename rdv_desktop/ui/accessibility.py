"""What a screen reader hears: secrets kept, results announced, changing text exposed.

One module, used by every screen (docs/accessibility.md says what each one sounds like):

- `SecretField`: a password field whose accessible interface reports « N caractères » and has
  no text interface, so Qt's per-character text events never reach AT-SPI (or UIA) with the
  typed characters (QLineEdit in Password mode still sends them: the adaptor drops text events
  of an interface without a text interface).
- `announce`: a result spoken without moving the focus (QAccessibleAnnouncementEvent, Qt 6.8+).
- `SpokenLabel`: a label whose changing text is exposed (its name, or its description when it
  has a fixed caption as name).
- `caption`: a visible caption that is its field's buddy (« Motif : » names the combo box).
- `leave_on_tab`: Tab and Shift+Tab leave a table instead of walking its cells.
- `name_clear_button`: the clear button inside a search field gets a name and no tab stop.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QTextDocumentFragment
from PySide6.QtGui import Qt as GuiQt  # mightBeRichText lives in QtGui
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAccessibleWidget,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

SECRET_CLASS = "SecretField"


def characters(count: int) -> str:
    return f"{count} caractère" if count == 1 else f"{count} caractères"


class _SecretInterface(QAccessibleWidget):
    """The password field as assistive technology sees it: a name and a length, no text."""

    def __init__(self, field: SecretField) -> None:
        super().__init__(field, QAccessible.Role.EditableText, "")
        self.field = field

    def text(self, kind: QAccessible.Text) -> str:
        if kind in (QAccessible.Text.Value, QAccessible.Text.Description):
            return characters(len(self.field.text()))
        return super().text(kind)

    def state(self) -> QAccessible.State:
        state = super().state()
        state.passwordEdit = True
        state.editable = True
        state.focusable = True
        return state


def _secret_factory(key: str, obj: QObject) -> QAccessibleWidget | None:
    if key == SECRET_CLASS and isinstance(obj, SecretField):
        return _SecretInterface(obj)
    return None


_factory_installed = False


class SecretField(QLineEdit):
    """A password line edit that never hands its text to accessibility."""

    def __init__(self, parent: QWidget | None = None) -> None:
        global _factory_installed
        if not _factory_installed:  # before this widget's interface is first asked for
            QAccessible.installFactory(_secret_factory)
            _factory_installed = True
        super().__init__(parent)
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)


def announce(widget: QWidget, message: str, assertive: bool = False) -> None:
    """Have the screen reader say `message` now, wherever the focus is (it stays there)."""
    if not message or not QAccessible.isActive():
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
