"""Screenshots of the main screens and the checklist as a low-vision agent sees them.

    xvfb-run -s "-screen 0 1920x1080x24" env QT_QPA_PLATFORM=xcb QT_SCALE_FACTOR=1.5 \\
        .venv/bin/python tests/a11y/zoom_shots.py docs/screenshots/zoom150
    xvfb-run -s "-screen 0 1366x768x24" env QT_QPA_PLATFORM=xcb \\
        .venv/bin/python tests/a11y/zoom_shots.py docs/screenshots/1366x768

A demo database in a temporary folder, signed in as « chef » at guichet 1, the window
maximised; one PNG per screen (queue, desk, dashboard, checklist) of the whole X screen.
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QThreadPool
from PySide6.QtWidgets import QApplication

from rdv_desktop.app import demo_config, open_station
from rdv_desktop.config import load_config
from rdv_desktop.services.demo import DEMO_PASSWORD
from rdv_desktop.ui.main_window import MainWindow


def settle(window: MainWindow, seconds: float = 2.0) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end or not window.executor.is_idle():
        QThreadPool.globalInstance().waitForDone(50)
        QCoreApplication.processEvents()
        time.sleep(0.02)


def shoot(app: QApplication, out: Path, name: str) -> None:
    screen = app.primaryScreen()
    image = screen.grabWindow(0)
    image.save(str(out.parent / f"{out.name}-{name}.png"))


def main(out: Path) -> int:
    app = QApplication(sys.argv[:1])
    app.setApplicationName("rdv-desktop")
    folder = tempfile.mkdtemp(prefix="rdv-zoom-")
    config = replace(demo_config(load_config(), folder), station_name="ZOOM")
    services = open_station(config, demo_data=True)
    actor = services.users.authenticate("chef", DEMO_PASSWORD, "ZOOM", 1)
    window = MainWindow(services, actor, services.ctx.db.display_url + " (démonstration)")
    window.queue.timer.stop()
    window.showMaximized()
    settle(window)
    out.parent.mkdir(parents=True, exist_ok=True)
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    for title, name in (("File du jour", "queue"), ("Accueil", "desk"),
                        ("Tableau de bord", "dashboard")):
        window.tabs.setCurrentIndex(titles.index(title))
        settle(window, 3.0)
        shoot(app, out, name)
    window.tabs.setCurrentIndex(titles.index("File du jour"))
    services.counter.call_next(actor)
    result = services.counter.receive(actor)
    assert result.view is not None
    window.open_checklist(result.view)
    settle(window, 3.0)
    shoot(app, out, "checklist")
    window.checklist.reject()
    window.close()
    services.ctx.db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
