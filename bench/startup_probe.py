"""One start of a station, timed from outside: `startup_probe.py floor | app URL | login URL`.

`floor`: a bare PySide6 QMainWindow shown (the least any Qt app pays). `app`: the real path of
`rdv-desktop` — configuration, database opened and checked at head, sign-in, main window with
the day's queue loaded and shown. Exits as soon as the window is on screen. `login`: the sign-in
dialog painted, which is what a person sees first (`rdv-desktop` opens the database behind it).
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
    from rdv_desktop.app import open_station, start_up_gc

    with start_up_gc():  # as `rdv-desktop` does
        from PySide6.QtWidgets import QApplication

        app = QApplication([])
        from rdv_desktop.config import load_config
        from rdv_desktop.ui.main_window import MainWindow

        config = load_config(url, "BENCH-START")
        services = open_station(config)
        actor = services.users.authenticate("agent", "bench-agent-2026", "BENCH-START", 1)
        window = MainWindow(services, actor, services.ctx.db.display_url)
        window.show()
        app.processEvents()
        from PySide6.QtCore import QEventLoop

        while not window.executor.is_idle():  # the queue is visible once its rows are in
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 20)
        app.processEvents()
    print(window.queue.model.rowCount())


def sign_in_shown(url: str) -> None:
    from rdv_desktop.app import login_dialog, open_station, start_up_gc

    with start_up_gc():
        from PySide6.QtWidgets import QApplication

        from rdv_desktop.config import load_config
        from rdv_desktop.ui.first_paint import AfterFirstPaint

        app = QApplication([])
        config = load_config(url, "BENCH-START")
        dialog = login_dialog(config, lambda login, password, counter: open_station(
            config).users.authenticate(login, password, config.station_name, counter))
        painted = AfterFirstPaint(dialog, app.quit)
        dialog.show()
        app.exec()
        del painted
    print(dialog.windowTitle())


if __name__ == "__main__":
    if sys.argv[1] == "floor":
        floor()
    elif sys.argv[1] == "app":
        station(sys.argv[2])
    else:
        sign_in_shown(sys.argv[2])
