"""Small widgets that keep the checklist inside a 1,366 × 768 screen and usable by keyboard:
a one-line label that elides (full text in its tooltip), a check box whose long label wraps,
and mnemonics chosen for labels that come from the catalogue."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QMouseEvent, QResizeEvent
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSizePolicy, QWidget

from .plain_text import plain_tooltip


def with_mnemonic(label: str, used: set[str]) -> str:
    """`label` with a `&` before a letter no other control of the window uses (the first
    letter of a word if possible), that letter added to `used`; without a free letter, a free
    digit put in front (« 1. Changement de statut »); plain if none is left."""
    escaped = label.replace("&", "&&")
    starts = [i for i, c in enumerate(label)
              if c.isalnum() and (i == 0 or not label[i - 1].isalnum())]
    others = [i for i, c in enumerate(label) if c.isalnum() and i not in starts]
    for i in (*starts, *others):
        key = label[i].casefold()
        if key.isascii() and key not in used:
            used.add(key)
            position = i + label[:i].count("&")  # `&&` before it shifted it
            return escaped[:position] + "&" + escaped[position:]
    for digit in "1234567890":  # no free letter in it: a visible number instead
        if digit not in used:
            used.add(digit)
            return f"&{digit}. {escaped}"
    return escaped


def mnemonic_of(text: str) -> str | None:
    """The letter after a single `&` in a control's text, lower case."""
    i = 0
    while i < len(text) - 1:
        if text[i] == "&":
            if text[i + 1] != "&":
                return text[i + 1].casefold()
            i += 1
        i += 1
    return None


class ElidedLabel(QLabel):
    """One line, cut with « … » when too narrow; the whole text stays in the tooltip."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.full_text = ""
        self.set_full_text(text)

    def set_full_text(self, text: str) -> None:
        self.full_text = text
        self.setToolTip(plain_tooltip(text))
        self.setAccessibleName(text)
        self._elide()

    def minimumSizeHint(self) -> QSize:  # Qt's name
        return QSize(0, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # Qt's name
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(self.width(), 1)
        self.setText(self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight,
                                                   width))

    def is_elided(self) -> bool:
        return self.text() != self.full_text


class _BuddyLabel(QLabel):
    clicked = Signal()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # Qt's name
        self.clicked.emit()
        super().mousePressEvent(event)


class WrappingCheck(QWidget):
    """A check box whose label wraps over several lines; the label's mnemonic (Alt+letter)
    ticks it, and clicking the label does too, as with a plain QCheckBox."""

    def __init__(self, text: str, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QCheckBox()
        self.box.setAccessibleName(accessible_name)
        self.label = _BuddyLabel(text)
        self.label.setWordWrap(True)
        self.label.setBuddy(self.box)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.clicked.connect(self.box.toggle)
        self.label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.label, 1, Qt.AlignmentFlag.AlignTop)
