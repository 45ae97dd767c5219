"""`rdv-desktop`: the station's window. `--demo` opens a throw-away database with today's queue.

Start-up order: Qt, the sign-in dialog (Qt only), then the database — SQLAlchemy, the models, the
schema check, most of a start — is opened as soon as the dialog is on screen, while the person
types. A database that cannot be opened still ends the start with one French sentence.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from .config import StationConfig, load_config
from .errors import RdvError
from .paths import keep_files_private

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from .services.core.actor import Actor
    from .services.setup import Services
    from .ui.login_dialog import Authenticate, LoginDialog
    from .ui.main_window import MainWindow


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="rdv-desktop", description=__doc__)
    parser.add_argument("--db", help="adresse de la base (sinon RDV_DB_URL ou configuration)")
    parser.add_argument("--station", help="nom de ce poste")
    parser.add_argument("--counter", type=int, help="numéro du guichet de ce poste")
    parser.add_argument("--demo", action="store_true",
                        help="base jetable remplie de données de démonstration")
    parser.add_argument("--self-test", action="store_true",
                        help="vérifier l'installation sans écran ni serveur, puis quitter")
    parser.add_argument("--demo-dir", help="dossier où garder la base de démonstration "
                        "(réutilisée si elle existe ; sans --demo : écran de connexion)")
    return parser.parse_args(argv)


def demo_config(config: StationConfig, keep_in: str | None = None) -> StationConfig:
    import tempfile

    folder = Path(keep_in) if keep_in else Path(tempfile.mkdtemp(prefix="rdv-demo-"))
    return replace(config, db_url=f"sqlite:///{folder / 'demo.sqlite3'}",
                   key_dir=folder / "keys", pdf_dir=folder / "pdf", source="démonstration")


@contextmanager
def start_up_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while the station starts, then freeze what was built.

    A start allocates ~120,000 objects (modules, ORM mappers, the day's rows) that live as long
    as the process; the collector walked them again and again (~60 ms of a start, more at exit)
    to find ~500 unreachable ones. Frozen, they are skipped by every later collection.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def open_station(config: StationConfig, demo_data: bool = False) -> Services:
    """Open and check the database (filling a fresh demo database)."""
    from .services.setup import open_services

    services = open_services(config)
    if demo_data:
        from .services.core.actor import system_actor
        from .services.core.clock import local_today
        from .services.demo import DemoOptions, generate_demo

        generate_demo(services, system_actor(config.station_name),
                      DemoOptions(local_today(services.ctx.clock)))
    return services


def login_dialog(config: StationConfig, authenticate: Authenticate) -> LoginDialog:
    """The station's sign-in dialog: Qt only, so it can be on screen before the database."""
    from .ui.login_dialog import LoginDialog

    return LoginDialog(authenticate, config.station_name, config.site_code,
                       config.counter_number)


def sign_in(config: StationConfig,
            open_db: Callable[[], Services]) -> tuple[Services, Actor] | None:
    """The sign-in dialog; the database opens right after the dialog's first paint.

    A failure to open closes the dialog and is raised (an RdvError carries its French message);
    a sign-in attempted before that point opens the database itself, from the dialog's worker
    thread. None: the person quit.
    """
    import threading

    from PySide6.QtWidgets import QDialog

    from .ui.first_paint import AfterFirstPaint

    opened: list[Services] = []
    failed: list[Exception] = []
    opening = threading.Lock()  # the first paint and a sign-in's worker may both ask at once

    def services() -> Services:
        with opening:
            if not opened:
                opened.append(open_db())
            return opened[0]

    dialog = login_dialog(config, lambda login, password, counter: services().users.authenticate(
        login, password, config.station_name, counter))

    def open_behind() -> None:
        if not dialog.isVisible():
            return
        try:
            services()
        except Exception as exc:  # shown by main() once the dialog is gone
            failed.append(exc)
            dialog.reject()
            return
        # The next screen's code, outside the lock: a sign-in already under way checks its
        # password (scrypt, off the GIL) meanwhile.
        import_module(".ui.main_window", __package__)
        # The slow part is over and the dialog may stay up for hours: collect as usual again
        # (start_up_gc still freezes what is left once the window is up).
        gc.enable()

    painted = AfterFirstPaint(dialog, open_behind)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    del painted  # a sign-in before the first paint: no opening behind a closed dialog
    if failed:
        raise failed[0]
    if not accepted or dialog.actor is None:
        return None
    return services(), dialog.actor


def main(argv: Sequence[str] | None = None) -> int:
    keep_files_private()
    args = parse_args(argv)
    if args.self_test:
        from .selftest import run

        return run()
    with start_up_gc():
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance() or QApplication(sys.argv[:1])
        app.setApplicationName("rdv-desktop")
        from .ui.french_qt import install_french

        install_french(app)  # Qt's own dialogs, menus and calendar in French, French numbers
        window = start(args)
    if window is None:
        return 1
    return app.exec()


def start(args: argparse.Namespace) -> QWidget | None:
    """Configuration, sign-in, database, then the main window shown; None: nothing to run."""
    from PySide6.QtWidgets import QMessageBox

    try:
        config = load_config(args.db, args.station)
        if args.counter is not None:
            config = replace(config, counter_number=args.counter)
        fresh = not (args.demo_dir and (Path(args.demo_dir) / "demo.sqlite3").exists())
        demo = bool(args.demo or args.demo_dir)
        if demo:
            config = demo_config(config, args.demo_dir)
        if args.demo:
            from .services.demo import DEMO_PASSWORD

            services = open_station(config, fresh)
            actor = services.users.authenticate("chef", DEMO_PASSWORD, config.station_name,
                                                config.counter_number or 1)
        else:
            signed_in = sign_in(config, lambda: open_station(config, demo and fresh))
            if signed_in is None:
                return None
            services, actor = signed_in
    except RdvError as exc:
        QMessageBox.critical(None, "rdv-desktop", exc.message)
        return None
    from .ui.main_window import MainWindow

    label = services.ctx.db.display_url + (" (démonstration)" if args.demo else "")
    window = MainWindow(services, actor, label, config.printer, sounds=config.sounds,
                        display_screen=config.display_screen)
    keep_station(window, services, config, label)
    window.show()
    return window


_OPEN_WINDOWS: list[QWidget] = []  # the station's window outlives the function that made it


def keep_station(window: MainWindow, services: Services, config: StationConfig,
                 label: str) -> None:
    """After « Se déconnecter », the sign-in again on the same database (no restart, and the
    guichet can be chosen anew); quitting the sign-in ends the application."""
    from PySide6.QtWidgets import QApplication

    from .ui.main_window import MainWindow

    _OPEN_WINDOWS.append(window)

    def signed_out() -> None:
        counter = window.actor.counter_number or config.counter_number
        display = window.waiting_display
        public_screen = display is not None and display.isVisible()
        dialog = login_dialog(replace(config, counter_number=counter),
                              lambda login, password, number: services.users.authenticate(
                                  login, password, config.station_name, number))

        def signed_in() -> None:
            if dialog.actor is None:
                return
            following = MainWindow(services, dialog.actor, label, config.printer,
                                   sounds=config.sounds, display_screen=config.display_screen)
            keep_station(following, services, config, label)
            following.show()
            if public_screen:  # the waiting room's screen comes back with the next person
                following.open_waiting_display()

        dialog.accepted.connect(signed_in)
        dialog.rejected.connect(QApplication.quit)
        dialog.finished.connect(lambda _code: _OPEN_WINDOWS.remove(dialog))
        _OPEN_WINDOWS.append(dialog)
        dialog.show()  # shown before the window closes, so the application does not end
        window.close()
        _OPEN_WINDOWS.remove(window)
        window.deleteLater()

    window.signed_out.connect(signed_out)


if __name__ == "__main__":
    sys.exit(main())
