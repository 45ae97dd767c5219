"""How each queue stage looks: a pale colour and a symbol, so it also reads in black and white."""

from __future__ import annotations

from PySide6.QtGui import QColor

from ..services.counter import Stage

STAGE_STYLE: dict[Stage, tuple[str, str]] = {
    Stage.EXPECTED: ("○", "#ffffff"),
    Stage.LATE: ("◔", "#ffe3c2"),
    Stage.WAITING: ("●", "#d7ecff"),
    Stage.CALLED: ("➜", "#fff3a8"),
    Stage.AT_COUNTER: ("▶", "#ffe08a"),
    Stage.DEPOSITED: ("✔", "#d5f5d5"),
    Stage.INCOMPLETE: ("◐", "#f9d6d6"),
    Stage.NO_SHOW: ("✖", "#e6e6e6"),
    Stage.CANCELLED: ("⊘", "#eeeeee"),
    Stage.REDIRECTED: ("↗", "#e8dcf7"),
    Stage.RECEPISSE_HANDED: ("✔", "#d5f0f5"),
}


def stage_text(stage: Stage) -> str:
    return f"{STAGE_STYLE[stage][0]} {stage.value}"


def stage_colour(stage: Stage) -> QColor:
    return QColor(STAGE_STYLE[stage][1])
