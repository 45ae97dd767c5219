"""One start of a station, timed from outside: `startup_probe.py floor | app URL`.

`floor`: a bare PySide6 QMainWindow shown (the least any Qt app pays). `app`: the real path of
`rdv-desktop` — configuration, database opened and checked at head, sign-in, main window with
the day's queue loaded and shown. Exits as soon as the window is on screen.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def floor() -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([])
    window = QMainWindow()
    window.show()
    app.processEvents()


def station(url: str) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from rdv_desktop.config import load_config
    from rdv_desktop.services.setup import open_services
    from rdv_desktop.ui.main_window import MainWindow

    config = load_config(url, "BENCH-START")
    services = open_services(config)
    actor = services.users.authenticate("agent", "bench-agent-2026", "BENCH-START", 1)
    window = MainWindow(services, actor, services.ctx.db.display_url)
    window.show()
    app.processEvents()
    print(window.queue.model.rowCount())


if __name__ == "__main__":
    floor() if sys.argv[1] == "floor" else station(sys.argv[2])
