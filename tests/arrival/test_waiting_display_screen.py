"""The waiting-room screen faces the public: nothing on it is meant for staff, it opens full
screen on the right screen (a second screen, else the one the station names, else the only
one), and its chime is on unless told."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import time
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel

from rdv_desktop.config import load_config
from rdv_desktop.errors import ConfigurationError
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.setup import Services
from rdv_desktop.ui.main_window import MainWindow
from tests.arrival.conftest import Book
from tests.gui.conftest import settle

ROOT = Path(__file__).resolve().parents[2]
STAFF_WORDS = ("F11", "F12", "Échap", "carillon", "plein écran", "configuration")


def public_texts(display) -> list[str]:
    return [label.text() for label in display.findChildren(QLabel)]


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen has no stacking
def test_public_screen_shows_no_staff_text_and_chimes_by_default(
        qtbot, services: Services, accueil: Actor, agent: Actor, book: Book) -> None:
    window = MainWindow(services, accueil, "base de test")
    qtbot.addWidget(window)
    window.queue.timer.stop()
    display = window.open_waiting_display()
    settle(qtbot, window)
    assert display.chime_on and "carillon activé" in display.windowTitle()
    first, second = book(), book("Petrov", "Ivan", hour=time(10, 15))
    for view in (first, second):
        services.checkin.scan(accueil, view.reference, accept_timing=True)
    services.appointments.call(agent, first.id)
    window.queue.poll()
    settle(qtbot, window)
    assert display.last_ring in ("son", "bip")  # rang without anybody turning it on
    texts = public_texts(display)
    assert "Ticket A001  →  Guichet 1" in texts
    footer = next(w for w in display.findChildren(QLabel)
                  if w.accessibleName() == "Pied de l'écran")
    assert footer.text().endswith("Présentez-vous au guichet indiqué avec votre ticket.")
    display.toggle_chime()
    assert "carillon coupé" in display.windowTitle()
    display.connection_changed(False, "")
    for text in public_texts(display):
        assert not any(word.casefold() in text.casefold() for word in STAFF_WORDS), text
    assert not display.toolTip()  # a mouse resting on the screen would show it to the room


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_one_screen_full_screen_and_a_window_inside_it(qtbot, services: Services,
                                                      accueil: Actor) -> None:
    window = MainWindow(services, accueil, "base de test", display_screen="ABSENT-9")
    qtbot.addWidget(window)
    window.queue.timer.stop()
    display = window.open_waiting_display()
    settle(qtbot, window)
    screen = QGuiApplication.primaryScreen()
    assert display.isFullScreen() and display.screen() is screen
    assert display.geometry() == screen.geometry()
    assert "« ABSENT-9 » absent" in display.placement
    # the staff's window says it too (the public screen never does)
    assert "« ABSENT-9 » absent" in window.statusBar().currentMessage()
    display.toggle_full_screen()
    assert not display.isFullScreen()
    assert screen.availableGeometry().contains(display.frameGeometry())
    display.toggle_full_screen()
    assert display.isFullScreen()


LAYOUTS = {
    # a desk PC: its own 1,366 × 768 screen (primary) and a TV facing the room
    "two": [("DP-1", 0, 0, 1366, 768), ("HDMI-1", 1366, 0, 1920, 1080)],
    "one": [("eDP-1", 0, 0, 1366, 768)],
}


def run_display(tmp_path: Path, layout: str, wanted: str) -> dict:
    screens = [{"name": n, "x": x, "y": y, "width": w, "height": h, "logicalDpi": 96,
                "logicalBaseDpi": 96, "dpr": 1} for n, x, y, w, h in LAYOUTS[layout]]
    config = tmp_path / f"{layout}.json"
    config.write_text(json.dumps({"screens": screens}), encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
           "PYTHONPATH": str(ROOT)}
    env.pop("RDV_CONFIG", None)
    name = f"{layout}-{wanted or 'rien'}.sqlite3"
    db = f"sqlite:///{tmp_path / name}"
    done = subprocess.run([sys.executable, str(ROOT / "tests" / "arrival" / "display_screens.py"),
                           db, wanted], env=env, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(("layout", "wanted", "screen", "why"), [
    ("two", "", "HDMI-1", "second écran"),
    ("two", "DP-1", "DP-1", "choisi dans la configuration"),  # the station overrides
    ("two", "1", "DP-1", "écran 1 choisi"),
    ("two", "HDMI-7", "HDMI-1", "« HDMI-7 » absent ; second écran"),
    ("one", "", "eDP-1", "seul écran"),
    ("one", "HDMI-1", "eDP-1", "absent ; seul écran"),  # the TV unplugged today
])
def test_placement_on_real_screens(tmp_path: Path, layout: str, wanted: str, screen: str,
                                   why: str) -> None:
    shown = run_display(tmp_path, layout, wanted)
    _name, x, y, w, h = next(s for s in LAYOUTS[layout] if s[0] == screen)
    assert shown["screen"] == screen and shown["full"], shown
    assert shown["geometry"] == [x, y, w, h]  # the whole screen, not partly below it
    assert why in shown["placement"]
    assert not shown["still_full"] and shown["windowed_screen"] == screen
    wx, wy, ww, wh = shown["windowed"]
    rx, ry, rw, rh = shown["room"]
    assert rx <= wx and ry <= wy and wx + ww <= rx + rw and wy + wh <= ry + rh, shown


def test_display_screen_is_a_station_setting(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    conf = tmp_path / "config.toml"
    monkeypatch.setenv("RDV_CONFIG", str(conf))
    conf.write_text('[station]\ndisplay_screen = "HDMI-1"\n', encoding="utf-8")
    assert load_config("sqlite://").display_screen == "HDMI-1"
    conf.write_text("[station]\ndisplay_screen = 2\n", encoding="utf-8")
    assert load_config("sqlite://").display_screen == "2"
    conf.write_text("[station]\n", encoding="utf-8")
    assert load_config("sqlite://").display_screen == ""
    conf.write_text("[station]\ndisplay_screen = true\n", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="display_screen"):
        load_config("sqlite://")
