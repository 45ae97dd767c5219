"""What the PDF charts and the dashboard's on-screen charts share, so a manager reads both the
same way: the outcome colours and round axis maxima (plain data: no reportlab, no Qt)."""

from __future__ import annotations

import math

# One colour per outcome (and for the waiting-time line), as #rrggbb.
OUTCOME_COLORS = {
    "deposited": "#2e7d32", "incomplete": "#f9a825", "redirected": "#1565c0",
    "no_show": "#c62828", "other": "#9e9e9e", "wait": "#6a1b9a",
}


def nice_max(value: float, ticks: int = 4) -> float:
    """A round axis maximum: `ticks` steps of 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 0:
        return float(ticks)
    raw = value / ticks
    power: float = 10 ** math.floor(math.log10(raw))
    for step in (1, 2, 2.5, 5, 10):
        if raw <= step * power:
            return step * power * ticks
    return 10 * power * ticks  # pragma: no cover
