"""`rdv-desktop`: the station's window. `--demo` opens a throw-away database with today's queue."""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from .config import StationConfig, load_config
from .errors import RdvError


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
    folder = Path(keep_in) if keep_in else Path(tempfile.mkdtemp(prefix="rdv-demo-"))
    return replace(config, db_url=f"sqlite:///{folder / 'demo.sqlite3'}",
                   key_dir=folder / "keys", pdf_dir=folder / "pdf", source="démonstration")


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.self_test:
        from .selftest import run

        return run()
    from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("rdv-desktop")
    try:
        config = load_config(args.db, args.station)
        if args.counter is not None:
            config = replace(config, counter_number=args.counter)
        fresh = not (args.demo_dir and (Path(args.demo_dir) / "demo.sqlite3").exists())
        if args.demo or args.demo_dir:
            config = demo_config(config, args.demo_dir)
        from .services.setup import open_services

        services = open_services(config)
        if (args.demo or args.demo_dir) and fresh:
            from .services.actor import system_actor
            from .services.clock import local_today
            from .services.demo import DemoOptions, generate_demo

            generate_demo(services, system_actor(config.station_name),
                          DemoOptions(local_today(services.ctx.clock)))
        if args.demo:
            from .services.demo import DEMO_PASSWORD

            actor = services.users.authenticate("chef", DEMO_PASSWORD, config.station_name,
                                                config.counter_number or 1)
        else:
            from .ui.login_dialog import LoginDialog

            dialog = LoginDialog(
                lambda login, pw, counter: services.users.authenticate(
                    login, pw, config.station_name, counter),
                config.station_name, services.ctx.site_code, config.counter_number)
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.actor is None:
                return 1
            actor = dialog.actor
    except RdvError as exc:
        QMessageBox.critical(None, "rdv-desktop", exc.message)
        return 1
    from .ui.main_window import MainWindow

    label = services.ctx.db.display_url + (" (démonstration)" if args.demo else "")
    window = MainWindow(services, actor, label, config.printer)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
