"""Run a callable once a window has been painted for the first time.

Used at start-up to put the sign-in dialog on screen before the slow part (the database and its
models) begins: a zero-delay timer set at `show()` can fire before the window system has even
exposed the window.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class AfterFirstPaint(QObject):
    """Calls `then` from the event loop right after `widget`'s first paint, once.

    Not a child of `widget`: the caller keeps it for as long as it may fire, and dropping it
    (its C++ side goes with it) removes the filter.
    """

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__()
        self._widget = widget
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt's name
        if watched is self._widget and event.type() == QEvent.Type.Paint:
            self._widget.removeEventFilter(self)
            QTimer.singleShot(0, self, self._then)  # after this paint has been flushed
        return False
