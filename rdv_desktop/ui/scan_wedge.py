"""A scanner's burst is a scan wherever the keyboard focus is on the arrival desk.

A keyboard-wedge scanner types into whatever has the focus. When that is not the scan field
(the search field, a document window, the walk-in dialog), the desk's `ScanWedge` times the
keys: a Return at the end of a long enough burst at scanner speed turns the burst into one
scan, and the Return is swallowed (no button pressed, no search run, no dialog submitted).
- In a text field the keys are typed as usual (a person feels no delay); when the burst turns
  out to be a scan, the field gets back the text it had before the burst.
- Anywhere else (a button, a list, a document window) a key could act, so each printable key
  is held a few milliseconds; a pause means a person is typing and the held keys are handed to
  their widget, in order, as if nothing had happened.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit, QWidget
from shiboken6 import isValid

from ..services.desk import KeyBurst

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
# Pressed on their own between the characters (a scanner presses Shift for each capital):
# neither part of the code nor a sign that a person took over.
_MODIFIER_KEYS = (Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_AltGr,
                  Qt.Key.Key_Meta, Qt.Key.Key_CapsLock, Qt.Key.Key_NumLock)
_COMMAND_MODIFIERS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                      | Qt.KeyboardModifier.MetaModifier)


def _now_ms() -> float:
    return time.monotonic() * 1000.0


def _text_field(widget: QWidget) -> QLineEdit | None:
    """The line a key typed into `widget` lands in, if it is one that can be put back."""
    if isinstance(widget, QAbstractSpinBox):
        found = widget.findChild(QLineEdit)
        return found if isinstance(found, QLineEdit) else None
    if isinstance(widget, QLineEdit) and not widget.isReadOnly():
        return widget
    return None


class ScanWedge(QObject):
    """Watches the keys of every window of the desk while the desk is shown."""

    scanned = Signal(str)  # the text of a burst that ended with Return

    def __init__(self, desk: QWidget, own_field: QWidget) -> None:
        super().__init__(desk)
        self.desk = desk
        self.own_field = own_field  # the scan field reads bursts itself
        self.burst = KeyBurst()
        self.held: list[tuple[QWidget, QKeyEvent]] = []
        self.before: dict[QLineEdit, tuple[str, int]] = {}  # fields typed into, as they were
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.release)
        self._replaying = False
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def _watched(self, target: QObject) -> bool:
        """A widget of the desk's window or of a window opened over it, desk shown."""
        if not isinstance(target, QWidget) or target is self.own_field:
            return False
        if not self.desk.isVisible():
            return False
        home = self.desk.window()
        top: QWidget | None = target.window()
        while top is not None:
            if top is home:
                return True
            parent = top.parentWidget()
            top = parent.window() if parent is not None else None
        return False

    def eventFilter(self, target: QObject, event: QEvent) -> bool:  # Qt's name
        if event.type() != QEvent.Type.KeyPress or self._replaying:
            return False
        if not self._watched(target):
            return False
        assert isinstance(event, QKeyEvent) and isinstance(target, QWidget)
        if event.key() in _MODIFIER_KEYS:
            return False
        now = _now_ms()
        text = event.text()
        command = bool(event.modifiers() & _COMMAND_MODIFIERS)
        if event.key() in _ENTER and not command:
            if self.burst.is_scan(now):
                code = self.burst.text
                self._restore()
                self._forget()
                self.scanned.emit(code)
                return True
            self.release()
            return False
        if text and text.isprintable() and not command and not event.isAutoRepeat():
            if not self.burst.add(text, now):
                self.release()  # a person's typing: let it through, then start again
                self.burst.add(text, now)
            self.timer.start(int(self.burst.gap_ms) + 1)
            field = _text_field(target)
            if field is not None:
                if isValid(field) and field not in self.before:
                    self.before[field] = (field.text(), field.cursorPosition())
                return False
            self.held.append((target, QKeyEvent(
                event.type(), event.key(), event.modifiers(), text, False, event.count())))
            return True
        self.release()  # any other key (Tab, arrows, shortcuts) comes after the held ones
        return False

    def release(self) -> None:
        """Hand the held keys to the widgets they were typed into, in order."""
        held = self.held
        self._forget()
        self._replaying = True
        try:
            for target, event in held:
                if isValid(target):  # a window may have closed meanwhile
                    QApplication.sendEvent(target, event)
        finally:
            self._replaying = False

    def _restore(self) -> None:
        """Put back what the text fields held before a scanner typed into them."""
        for field, (text, cursor) in self.before.items():
            if isValid(field):
                field.setText(text)
                field.setCursorPosition(cursor)

    def _forget(self) -> None:
        self.timer.stop()
        self.held = []
        self.before = {}
        self.burst.clear()
