"""The manager's « Motifs » chart reads at any size: short labels, the full one on hover, rows
never thinner than a line of text."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from rdv_desktop.french import abbreviated
from rdv_desktop.services.stats.service import Breakdown, Figures
from rdv_desktop.ui.bar_chart import BarChart

CATALOGUE = Path(__file__).parents[2] / "resources" / "catalogue.toml"


def motif_labels() -> list[str]:
    with CATALOGUE.open("rb") as fh:
        return [m["label"] for m in tomllib.load(fh)["motifs"]]


def test_every_motif_has_a_short_label_that_tells_it_apart() -> None:
    labels = motif_labels()
    shorts = [abbreviated(label) for label in labels]
    assert len(set(shorts)) == len(labels)  # the four AES motifs no longer look the same
    assert "AES – VPF" in shorts and "AES – salarié / TT" in shorts
    assert max(len(s) for s in shorts) <= 45
    figures = Figures(*([0] * len(Figures.__dataclass_fields__)))
    assert Breakdown("AES_VPF", labels[0], figures).short_label == "AES – VPF"


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # the tooltip, offscreen
def test_the_chart_shows_short_labels_and_the_full_one_on_hover(qtbot) -> None:
    labels = motif_labels()
    chart = BarChart("Motifs", horizontal=True)
    qtbot.addWidget(chart)
    chart.set_data([abbreviated(label) for label in labels],
                   [("Déposés", "#2e7d32", [float(i + 1) for i in range(len(labels))])],
                   full_labels=labels)
    row = chart.fontMetrics().height() + 4
    assert chart.minimumHeight() >= 66 + len(labels) * row  # asks for room, never overlaps
    chart.resize(500, chart.minimumHeight())
    chart.show()
    qtbot.waitExposed(chart)
    area_top = 44
    y = area_top + row * 3 + row / 2  # the fourth row
    assert chart.bar_at(250, y) == 3
    QApplication.sendEvent(chart, QHelpEvent(QEvent.Type.ToolTip, QPoint(250, int(y)),
                                             chart.mapToGlobal(QPoint(250, int(y)))))
    assert QToolTip.text() == f"{labels[3]} : 4"
    assert chart.bar_at(250, -5) is None


def test_a_chart_of_small_counts_has_whole_ticks(qtbot) -> None:
    chart = BarChart("Rendez-vous par heure du créneau")
    qtbot.addWidget(chart)
    chart.set_data(["16 h"], [("Rendez-vous", "#9e9e9e", [1.0])])
    chart.resize(400, 240)
    chart.show()
    assert chart.scale_top() == 4  # ticks 0, 1, 2, 3, 4, never « 0 0 1 1 »
    assert not chart.grab().isNull()
    chart.set_data(["9 h", "10 h"], [("Rendez-vous", "#9e9e9e", [30.0, 93.0])])
    assert chart.scale_top() >= 93 and chart.scale_top() % 4 == 0
