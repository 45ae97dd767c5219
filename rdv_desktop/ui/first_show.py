"""Screens whose data costs a query fetch it the first time a person opens them, not when the
main window is built (a manager's start-up stays quick, hidden tabs cost nothing)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QShowEvent

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    _Widget = QWidget  # what the mixin is always combined with, for the type checker
else:
    _Widget = object  # at run time the screen's own Qt base class comes after the mixin


class LoadsOnFirstShow(_Widget):
    """Mixin placed before the Qt widget class: the first show calls `self.load()`."""

    shown_once = False

    def showEvent(self, event: QShowEvent) -> None:  # Qt's name
        super().showEvent(event)
        if not self.shown_once:
            self.shown_once = True
            self.load()

    def load(self) -> None:
        """Fetch the screen's data; every screen using the mixin defines its own."""
        raise NotImplementedError
