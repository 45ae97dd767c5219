"""A small stacked bar chart painted with QPainter (vertical or horizontal), with its legend.

The dashboard needs three simple charts; painting them is a hundred lines and no extra
dependency (QtCharts lives in the 100 MB PySide6-Addons wheel). Bars may carry short labels
(« AES – VPF ») with their full label shown on hover; a horizontal chart's rows never get
thinner than a line of text (the chart asks for the height it needs instead of overlapping).

Its text alternative: the chart takes the focus (Tab), its description says what it shows in
words, and Entrée opens its data as a table a screen reader walks cell by cell.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QRectF, Qt
from PySide6.QtGui import QColor, QHelpEvent, QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QSizePolicy,
    QTableView,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ..printing.chart_style import nice_max
from .accessibility import leave_on_tab
from .table_model import TextRowsModel

SPOKEN_BARS_MAX = 40  # past that the description gives totals only; the table has it all


class BarChart(QWidget):
    """`set_data(labels, series)`: series are (name, colour, values) stacked per label."""

    def __init__(self, title: str, horizontal: bool = False, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.title = title
        self.horizontal = horizontal
        self.labels: list[str] = []
        self.full_labels: list[str] = []
        self.series: list[tuple[str, str, list[float]]] = []
        self.setAccessibleName(title)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumHeight(180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.table_dialog: QDialog | None = None

    def set_data(self, labels: Sequence[str],
                 series: Sequence[tuple[str, str, Sequence[float]]],
                 full_labels: Sequence[str] | None = None) -> None:
        self.labels = list(labels)
        self.full_labels = list(full_labels) if full_labels is not None else list(labels)
        self.series = [(n, c, list(v)) for n, c, v in series]
        if self.horizontal:  # room for every row at a readable height, scrolled if need be
            self.setMinimumHeight(max(180, 66 + len(self.labels) * self._row_min()))
        self.setAccessibleName(self.title)
        self.setAccessibleDescription(self.summary())
        self.update()

    def headers(self) -> tuple[str, ...]:
        names = tuple(name for name, _, _ in self.series)
        return (self.title, *names, "Total") if len(names) > 1 else (self.title, *names)

    def rows(self) -> list[tuple[str, ...]]:
        """The chart's data, one row per bar: its label, each series, the total if stacked."""
        totals = self._totals()
        rows = []
        for i, label in enumerate(self.labels):
            values = [f"{v[i]:.0f}" for _, _, v in self.series]
            rows.append((label, *values, f"{totals[i]:.0f}") if len(values) > 1
                        else (label, *values))
        return rows

    def summary(self) -> str:
        """The text alternative: every bar in words (« 03/11 : 12, dont Déposés 8 … »)."""
        if not self.labels:
            return "Aucune donnée."
        names = [name for name, _, _ in self.series]
        total = sum(self._totals())
        spoken = [f"{len(self.labels)} barres, total {total:.0f}."]
        if len(self.labels) <= SPOKEN_BARS_MAX:
            for row in self.rows():
                if len(names) > 1:
                    parts = ", ".join(f"{n} {v}" for n, v in zip(names, row[1:-1], strict=True))
                    spoken.append(f"{row[0]} : {row[-1]} ({parts}).")
                else:
                    spoken.append(f"{row[0]} : {row[1]}.")
        spoken.append("Entrée : les données en tableau.")
        return " ".join(spoken)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.open_table()
            return
        super().keyPressEvent(event)

    def open_table(self) -> QDialog:
        """The chart's data as a table: one row per bar, one column per series."""
        dialog = QDialog(self)
        dialog.setWindowTitle(f"Données : {self.title}")
        model = TextRowsModel(self.headers(), dialog)
        model.set_rows(self.rows())
        table = QTableView()
        table.setModel(model)
        table.setAccessibleName(f"Données : {self.title}")
        table.verticalHeader().hide()
        leave_on_tab(table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Fermer")
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(table)
        layout.addWidget(buttons)
        dialog.resize(560, 420)
        table.setFocus()
        dialog.open()
        self.table_dialog = dialog
        return dialog

    def paintEvent(self, event: QPaintEvent) -> None:  # Qt's name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        font = p.font()
        font.setBold(True)
        p.setFont(font)
        p.drawText(8, 16, self.title)
        font.setBold(False)
        font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
        p.setFont(font)
        x = 8
        for name, colour, _ in self.series:
            p.fillRect(x, 24, 10, 10, QColor(colour))
            p.drawText(x + 14, 33, name)
            x += 24 + p.fontMetrics().horizontalAdvance(name)
        area = self._area()
        if self.horizontal:
            self._paint_horizontal(p, area)
        else:
            self._paint_vertical(p, area)
        p.end()

    def _row_min(self) -> int:
        return self.fontMetrics().height() + 4

    def _area(self) -> QRectF:
        return QRectF(40, 44, self.width() - 52, self.height() - 66)

    def bar_at(self, x: float, y: float) -> int | None:
        """The index of the bar (or horizontal row) under a point, if any."""
        area = self._area()
        count = len(self.labels)
        if not count:
            return None
        if self.horizontal:
            index = int((y - area.top()) // self._row_height(area))
        else:
            index = int((x - area.left()) // (area.width() / count))
        return index if 0 <= index < count else None

    def event(self, event: QEvent) -> bool:  # Qt's name
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            index = self.bar_at(event.pos().x(), event.pos().y())
            if index is None:
                QToolTip.hideText()
            else:
                totals = self._totals()
                QToolTip.showText(event.globalPos(),
                                  f"{self.full_labels[index]} : {totals[index]:.0f}", self)
            return True
        return super().event(event)

    def _row_height(self, area: QRectF) -> float:
        return max(float(self._row_min()), min(22.0, area.height() / max(1, len(self.labels))))

    def scale_top(self) -> float:
        """The vertical axis' top: four steps of whole numbers at least (counts of people;
        « 0 0 1 1 » was what a day with one appointment showed)."""
        return max(4.0, nice_max(max(self._totals(), default=0)))

    def _totals(self) -> list[float]:
        return [sum(v[i] for _, _, v in self.series) for i in range(len(self.labels))]

    def _paint_vertical(self, p: QPainter, area: QRectF) -> None:
        top = self.scale_top()
        for i in range(5):
            y = area.bottom() - area.height() * i / 4
            p.setPen(QColor("#dddddd") if i else QColor("#777777"))
            p.drawLine(int(area.left()), int(y), int(area.right()), int(y))
            p.setPen(QColor("#555555"))
            p.drawText(QRectF(0, y - 8, area.left() - 4, 16),
                       int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                       f"{top * i / 4:.0f}")
        count = max(1, len(self.labels))
        slot = area.width() / count
        every = max(1, math.ceil(count / max(1, area.width() / 40)))
        for i, label in enumerate(self.labels):
            bx = area.left() + i * slot + slot * 0.15
            base = area.bottom()
            for _, colour, values in self.series:
                h = area.height() * values[i] / top
                if h > 0:
                    p.fillRect(QRectF(bx, base - h, slot * 0.7, h), QColor(colour))
                    base -= h
            if i % every == 0:
                p.setPen(QColor("#555555"))
                p.drawText(QRectF(bx - slot, area.bottom() + 2, slot * 2.7, 16),
                           int(Qt.AlignmentFlag.AlignHCenter), label)

    def _paint_horizontal(self, p: QPainter, area: QRectF) -> None:
        totals = self._totals()
        top = max(totals, default=1) or 1
        label_w = min(260.0, area.width() * 0.4)
        row = self._row_height(area)
        room = area.width() - label_w - 40
        # Zoomed or crowded, rows get thinner than a line of text: label one row in `every`
        # rather than print labels over each other (Entrée gives every figure as a table).
        line = float(p.fontMetrics().height())
        every = max(1, math.ceil(line / row)) if row > 0 else max(1, len(self.labels))
        for i, label in enumerate(self.labels):
            y = area.top() + i * row
            bx = label_w
            for _, colour, values in self.series:
                w = room * values[i] / top
                if w > 0:
                    p.fillRect(QRectF(bx, y + row * 0.15, w, row * 0.7), QColor(colour))
                    bx += w
            if i % every:
                continue
            p.setPen(QColor("#222222"))
            text = p.fontMetrics().elidedText(label, Qt.TextElideMode.ElideRight,
                                              int(label_w) - 8)
            band = QRectF(0, y + row / 2 - line / 2, label_w, line)
            p.drawText(band, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                       text)
            p.drawText(QRectF(bx + 4, band.top(), 60, line),
                       int(Qt.AlignmentFlag.AlignVCenter), f"{totals[i]:.0f}")
