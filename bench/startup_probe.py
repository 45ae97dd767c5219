"""One start of a station, timed from outside: `startup_probe.py floor | app URL | login URL`.

`floor`: a bare PySide6 QMainWindow shown (the least any Qt app pays). `app`: the real path of
`rdv-desktop` (`app.sign_in`) for a person who types instantly: the sign-in dialog painted, the
login and password put in and submitted at once, the database opened and checked at head behind
the dialog while the password is checked (scrypt at the production cost), then the main window
with the day's queue loaded and shown. Exits as soon as the window is on screen. `serial`: the
same steps one after the other, nothing overlapped (the pessimistic figure). `login`: the
sign-in dialog painted, which is what a person sees first.
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


def queue_shown(app, window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QEventLoop

    window.show()
    app.processEvents()
    while not window.executor.is_idle():  # the queue is visible once its rows are in
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 20)
    app.processEvents()


def signed_in_at_once(url: str) -> None:
    from rdv_desktop.app import open_station, sign_in, start_up_gc

    with start_up_gc():  # as `rdv-desktop` does
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        from rdv_desktop.config import load_config
        from rdv_desktop.ui.french_qt import install_french
        from rdv_desktop.ui.login_dialog import LoginDialog

        app = QApplication([])
        install_french(app)
        config = load_config(url, "BENCH-START")

        def type_at_once() -> None:
            for widget in QApplication.topLevelWidgets():
                if isinstance(widget, LoginDialog) and widget.isVisible():
                    widget.login.setText("agent")
                    widget.password.setText("bench-agent-2026")
                    widget.counter.setValue(1)
                    widget.try_login()
                    return
            QTimer.singleShot(0, type_at_once)

        QTimer.singleShot(0, type_at_once)
        signed = sign_in(config, lambda: open_station(config))
        assert signed is not None
        services, actor = signed
        from rdv_desktop.ui.main_window import MainWindow

        window = MainWindow(services, actor, services.ctx.db.display_url)
        queue_shown(app, window)
    print(window.queue.model.rowCount())


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
        queue_shown(app, window)
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
        signed_in_at_once(sys.argv[2])
    elif sys.argv[1] == "serial":
        station(sys.argv[2])
    else:
        sign_in_shown(sys.argv[2])
