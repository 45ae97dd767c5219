"""The big coloured answer to a scan, readable from a metre away.

Colour is never the only signal (RGAA): each state also has a symbol and a headline in words.
Green and amber (« déjà enregistré »: nothing wrong, the person is already in the queue) clear
themselves; orange waits for the clerk; red stays until the clerk acknowledges it (Échap or the
button), since a forged code must not vanish while the clerk looks away.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from ..french import typographic
from ..services.desk import ScanResult
from .accessibility import announce
from .plain_text import shown_name

IDLE = "idle"
STYLES = {
    # background, text
    IDLE: ("#eceff1", "#263238"),
    "green": ("#1b5e20", "#ffffff"),
    "amber": ("#ffc107", "#212121"),
    "orange": ("#e65100", "#ffffff"),
    "red": ("#b71c1c", "#ffffff"),
}
SYMBOLS = {"green": "✔", "amber": "↺", "orange": "⚠", "red": "✖"}
# orange waits for the clerk; red (None) stays until acknowledged
RESET_MS: dict[str, int | None] = {"green": 6000, "amber": 10000, "orange": 20000, "red": None}
IDLE_TEXT = "Prêt : scannez la convocation"
IDLE_DETAIL = "ou cherchez la personne par son nom à droite"


def tone(result: ScanResult) -> str:
    """The colour a result is shown in: a second scan of someone already in is amber."""
    return "amber" if result.kind == "red" and result.reason == "already" else result.kind


def _label(size: int, bold: bool = False) -> QLabel:
    label = QLabel()
    font = QFont()
    font.setPointSize(size)
    font.setBold(bold)
    label.setFont(font)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class FeedbackPanel(QFrame):
    """Shows one ScanResult at a time; back to the idle prompt after RESET_MS."""

    reset_done = Signal()
    acknowledged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("feedback")
        self.setAccessibleName("Résultat du scan")
        self.setMinimumHeight(300)
        self.kind = IDLE
        self.result: ScanResult | None = None
        self.headline = _label(30, bold=True)
        self.ticket = _label(56, bold=True)
        self.details = _label(18)  # the three labels' names are their text (ticket included)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addStretch(1)
        layout.addWidget(self.headline)
        layout.addWidget(self.ticket)
        layout.addWidget(self.details)
        self.acknowledge_button = QPushButton("J'ai vu (Échap)")
        self.acknowledge_button.setAccessibleName("Acquitter l'alerte")
        self.acknowledge_button.setAutoDefault(False)
        self.acknowledge_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps it
        self.acknowledge_button.clicked.connect(self.acknowledge)
        layout.addWidget(self.acknowledge_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.reset)
        self.reset()

    def _paint(self, kind: str) -> None:
        background, text = STYLES[kind]
        self.setStyleSheet(f"QFrame#feedback {{ background: {background}; border-radius: 10px; }}"
                           f" QFrame#feedback QLabel {{ color: {text}; background: transparent; }}")

    def show_result(self, result: ScanResult) -> None:
        self.result = result
        self.kind = tone(result)
        self._paint(self.kind)
        self.headline.setText(f"{SYMBOLS[self.kind]}  {result.headline}")
        ticket = result.ticket if result.kind == "green" else None
        self.ticket.setText(f"Ticket {ticket}" if ticket else "")
        self.ticket.setVisible(bool(ticket))
        name = result.view.full_name if result.view is not None else None
        self.details.setText("\n".join(shown_name(d) if d == name else typographic(d)
                                        for d in result.details))
        self.setAccessibleDescription(self.spoken())
        # Said at once, the focus staying in the scan field for the next person.
        announce(self, self.spoken(), assertive=result.kind != "green")
        self.acknowledge_button.setVisible(self.kind == "red")
        delay = RESET_MS[self.kind]
        if delay is None:
            self.timer.stop()
        else:
            self.timer.start(delay)

    def acknowledge(self) -> None:
        """The clerk has seen the red answer: back to the prompt."""
        if self.kind == "red":
            self.reset()
            self.acknowledged.emit()

    def reset(self) -> None:
        self.timer.stop()
        self.result = None
        self.kind = IDLE
        self._paint(IDLE)
        self.headline.setText(IDLE_TEXT)
        self.ticket.clear()
        self.ticket.hide()
        self.details.setText(IDLE_DETAIL)
        self.acknowledge_button.hide()
        self.setAccessibleDescription(IDLE_TEXT)
        self.reset_done.emit()

    def spoken(self) -> str:
        """The result as a screen reader says it: headline, ticket, then the details."""
        if self.result is None:
            return IDLE_TEXT
        ticket = self.ticket.text()
        parts = [self.result.headline, ticket, *self.result.details]
        return " ".join(p if p.endswith((".", "?", "!", "…")) else f"{p}." for p in parts if p)

    def text(self) -> str:
        """Everything shown, as one string (tests and the accessibility tree read it)."""
        return " ".join(t for t in (self.headline.text(), self.ticket.text(),
                                    self.details.text()) if t)
