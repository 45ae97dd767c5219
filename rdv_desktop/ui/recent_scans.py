"""The desk's last scans, newest first, each with its time, colour, symbol and result in words:
the clerk can look back at a red answer that the next scan replaced on the big panel."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from ..services.core import fr_time
from ..services.desk import ScanResult
from .feedback_panel import SYMBOLS, tone
from .plain_text import plain_tooltip, shown_name

KEPT = 20
TINTS = {"green": "#c8e6c9", "amber": "#ffecb3", "orange": "#ffe0b2", "red": "#ffcdd2"}


class RecentScans(QListWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Derniers scans")
        self.setAlternatingRowColors(False)

    def add(self, result: ScanResult, at: datetime) -> QListWidgetItem:
        kind = tone(result)
        name = f" — {shown_name(result.view.full_name)}" if result.view is not None else ""
        ticket = f" — ticket {result.ticket}" if kind == "green" and result.ticket else ""
        item = QListWidgetItem(f"{fr_time(at)}  {SYMBOLS[kind]} {result.headline}{name}{ticket}")
        item.setToolTip(plain_tooltip("\n".join((result.headline, *result.details))))
        item.setBackground(QBrush(QColor(TINTS[kind])))
        item.setForeground(QBrush(QColor("#212121")))
        item.setData(256, kind)
        self.insertItem(0, item)
        while self.count() > KEPT:
            self.takeItem(self.count() - 1)
        return item

    def kinds(self) -> list[str]:
        """The colours listed, newest first (tests and the accessibility tree read them)."""
        return [self.item(row).data(256) for row in range(self.count())]
