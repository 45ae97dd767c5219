"""The figures above the queue: how many are expected, waiting, at a counter, done."""

from __future__ import annotations

from collections import Counter as Tally

from PySide6.QtWidgets import QHBoxLayout, QWidget

from ..services.counter import AppointmentView, Stage
from .accessibility import SpokenLabel

GROUPS: tuple[tuple[str, tuple[Stage, ...]], ...] = (
    ("Attendus", (Stage.EXPECTED, Stage.LATE)),
    ("Arrivés", (Stage.WAITING, Stage.CALLED, Stage.AT_COUNTER, Stage.DEPOSITED,
                 Stage.INCOMPLETE, Stage.REDIRECTED, Stage.RECEPISSE_HANDED)),
    ("En attente", (Stage.WAITING,)),
    ("Au guichet", (Stage.CALLED, Stage.AT_COUNTER)),
    ("Déposés", (Stage.DEPOSITED,)),
    ("Incomplets", (Stage.INCOMPLETE,)),
    ("Absents", (Stage.NO_SHOW,)),
)


class QueueCounts(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.labels: dict[str, SpokenLabel] = {}
        for name, _ in GROUPS:
            label = SpokenLabel(text=f"{name} : <b>0</b>")  # read as shown: « Attendus : 22 »
            label.setStyleSheet("QLabel { border: 1px solid #bbb; border-radius: 4px;"
                                " padding: 3px 8px; background: #fafafa; }")
            layout.addWidget(label)
            self.labels[name] = label
        layout.addStretch(1)

    def update_from(self, views: list[AppointmentView]) -> None:
        tally = Tally(v.stage for v in views)
        for name, stages in GROUPS:
            self.labels[name].setText(f"{name} : <b>{sum(tally[s] for s in stages)}</b>")

    def value(self, name: str) -> int:
        text = self.labels[name].text()
        return int(text.split("<b>")[1].split("</b>")[0])
