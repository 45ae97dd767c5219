"""Screens whose data costs a query fetch it the first time a person opens them, not when the
main window is built (a manager's start-up stays quick, hidden tabs cost nothing)."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent


class LoadsOnFirstShow:
    """Mixin placed before the Qt widget class: the first show calls `self.load()`."""

    shown_once = False

    def showEvent(self, event: QShowEvent) -> None:  # Qt's name
        super().showEvent(event)  # type: ignore[misc]
        if not self.shown_once:
            self.shown_once = True
            self.load()  # type: ignore[attr-defined]
