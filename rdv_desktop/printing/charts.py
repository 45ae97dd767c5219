"""Small vector charts drawn straight on a reportlab canvas (bars, stacked bars, horizontal bars).

reportlab.graphics.charts would do, but it costs ~100 ms to import and a lot of configuration
for three simple charts; a few dozen lines of canvas drawing give a sharper, predictable result.
Coordinates are in points, (x, y) the bottom-left corner of the plot area.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from reportlab.lib.colors import Color, HexColor
from reportlab.pdfgen.canvas import Canvas

from rdv_desktop.printing.chart_style import OUTCOME_COLORS, nice_max
from rdv_desktop.printing.fonts import BOLD, REGULAR, fit

PALETTE = {name: HexColor(value) for name, value in OUTCOME_COLORS.items()}
AXIS_GREY = 0.45
GRID_GREY = 0.88
LABEL_SIZE = 6.5


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]
    color: Color


def _grid(c: Canvas, x: float, y: float, w: float, h: float, top: float, ticks: int = 4
          ) -> None:
    c.setFont(REGULAR, LABEL_SIZE)
    for i in range(ticks + 1):
        ty = y + h * i / ticks
        c.setStrokeGray(GRID_GREY if i else AXIS_GREY)
        c.setLineWidth(0.4)
        c.line(x, ty, x + w, ty)
        c.setFillGray(AXIS_GREY)
        value = top * i / ticks
        text = f"{value:.0f}" if value == int(value) else f"{value:.1f}".replace(".", ",")
        c.drawRightString(x - 2, ty - LABEL_SIZE / 3, text)
    c.setFillGray(0)
    c.setStrokeGray(0)


def legend(c: Canvas, x: float, y: float, series: Sequence[Series]) -> None:
    c.setFont(REGULAR, LABEL_SIZE + 0.5)
    for s in series:
        c.setFillColor(s.color)
        c.rect(x, y, 7, 7, stroke=0, fill=1)
        c.setFillGray(0)
        c.drawString(x + 9, y + 1, s.name)
        x += 14 + c.stringWidth(s.name, REGULAR, LABEL_SIZE + 0.5)


def stacked_bars(c: Canvas, x: float, y: float, w: float, h: float, labels: Sequence[str],
                 series: Sequence[Series], *, label_every: int = 1) -> None:
    """Vertical bars, one per label, each the stack of the series' values."""
    count = len(labels)
    totals = [sum(s.values[i] for s in series) for i in range(count)]
    top = nice_max(max(totals, default=0))
    _grid(c, x, y, w, h, top)
    if not count:
        return
    slot = w / count
    bar = slot * 0.72
    c.setFont(REGULAR, LABEL_SIZE)
    for i, label in enumerate(labels):
        bx = x + i * slot + (slot - bar) / 2
        base = y
        for s in series:
            height = h * s.values[i] / top
            if height > 0:
                c.setFillColor(s.color)
                c.rect(bx, base, bar, height, stroke=0, fill=1)
                base += height
        if i % label_every == 0:
            c.setFillGray(AXIS_GREY)
            c.drawCentredString(bx + bar / 2, y - LABEL_SIZE - 2, label)
    c.setFillGray(0)


def line(c: Canvas, x: float, y: float, w: float, h: float, values: Sequence[float | None],
         color: Color, top: float | None = None) -> float:
    """A polyline over the same slots as `stacked_bars`; returns the axis maximum used."""
    known = [v for v in values if v is not None]
    top = top or nice_max(max(known, default=0))
    slot = w / max(1, len(values))
    c.setStrokeColor(color)
    c.setFillColor(color)
    c.setLineWidth(1.2)
    points = [(x + (i + 0.5) * slot, y + h * v / top) for i, v in enumerate(values)
              if v is not None]
    for (x1, y1), (x2, y2) in pairwise(points):
        c.line(x1, y1, x2, y2)
    for px, py in points:
        c.circle(px, py, 1.4, stroke=0, fill=1)
    c.setFont(REGULAR, LABEL_SIZE)
    for i in range(5):
        value = top * i / 4
        text = f"{value:.0f}" if value == int(value) else f"{value:.1f}".replace(".", ",")
        c.drawString(x + w + 2, y + h * i / 4 - LABEL_SIZE / 3, text)
    c.setStrokeGray(0)
    c.setFillGray(0)
    return top


def horizontal_bars(c: Canvas, x: float, y: float, w: float, row_h: float,
                    rows: Sequence[tuple[str, Sequence[float]]], colors: Sequence[Color],
                    label_w: float, top: float | None = None) -> float:
    """One stacked horizontal bar per row, label on the left, total on the right.

    Returns the height used (from `y` downwards)."""
    top = top or max((sum(v) for _, v in rows), default=1) or 1
    room = w - label_w - 24
    cy = y
    for label, values in rows:
        cy -= row_h
        c.setFillGray(0)
        c.setFont(REGULAR, LABEL_SIZE + 0.5)
        c.drawString(x, cy + row_h * 0.3, fit(label, REGULAR, LABEL_SIZE + 0.5, label_w - 4))
        bx = x + label_w
        for value, color in zip(values, colors, strict=True):
            width = room * value / top
            if width > 0:
                c.setFillColor(color)
                c.rect(bx, cy + row_h * 0.15, width, row_h * 0.7, stroke=0, fill=1)
                bx += width
        c.setFillGray(0)
        c.setFont(BOLD, LABEL_SIZE + 0.5)
        c.drawString(bx + 3, cy + row_h * 0.3, f"{sum(values):.0f}")
    return y - cy
