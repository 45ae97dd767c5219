"""Windows open no larger than the screen they land on (a 1,366 × 768 desk PC is common)."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication


def fitting(width: int, height: int) -> QSize:
    """The wanted size, shrunk to the primary screen's available area."""
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return QSize(width, height)
    room = screen.availableGeometry()
    return QSize(min(width, room.width()), min(height, room.height()))
