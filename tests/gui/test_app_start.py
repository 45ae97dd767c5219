"""`rdv-desktop` as a person starts it: the sign-in dialog first, the database opened behind it."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QObject, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from rdv_desktop.app import main, open_station, sign_in
from rdv_desktop.config import StationConfig
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.setup import Services
from rdv_desktop.ui.login_dialog import LoginDialog
from rdv_desktop.ui.main_window import MainWindow


class Person(QObject):
    """Watches the windows the start shows and answers each one as a person at the desk would."""

    def __init__(self, answer: Callable[[QWidget], None]) -> None:
        super().__init__()
        self.seen: list[str] = []
        self._answer = answer

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt's name
        if (event.type() == QEvent.Type.Show and isinstance(watched, QWidget)
                and watched.isWindow()):
            self.seen.append(type(watched).__name__)
            QTimer.singleShot(0, lambda: self._answer(watched))
        return False


@pytest.fixture
def person(qapp: QApplication) -> Iterator[Callable[[Callable[[QWidget], None]], Person]]:
    watchers: list[Person] = []

    def watch(answer: Callable[[QWidget], None]) -> Person:
        watchers.append(Person(answer))
        qapp.installEventFilter(watchers[-1])
        return watchers[-1]

    name = qapp.applicationName()
    locale = QLocale()
    yield watch
    for watcher in watchers:
        qapp.removeEventFilter(watcher)
    qapp.setApplicationName(name)
    for translator in qapp.findChildren(QTranslator):  # main() put Qt in French: undo
        qapp.removeTranslator(translator)
        translator.deleteLater()
    QLocale.setDefault(locale)
    gc.unfreeze()  # main() freezes what the start built; give this test process its GC back


@pytest.fixture
def station_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A configuration file keeping keys and PDFs under tmp_path."""
    path = tmp_path / "config.toml"
    path.write_text(f'[station]\npdf_dir = "{tmp_path / "pdf"}"\n'
                    f'[keys]\ndir = "{tmp_path / "keys"}"\n', encoding="utf-8")
    monkeypatch.setenv("RDV_CONFIG", str(path))
    monkeypatch.delenv("RDV_DB_URL", raising=False)
    return path


def test_sign_in_then_the_queue(person, station_files: Path, db_url: str, services: Services,
                                agent: Actor) -> None:
    shown: list[MainWindow] = []

    def answer(window: QWidget) -> None:
        if isinstance(window, LoginDialog):
            window.login.setText("agent1")
            window.password.setText("motdepasse-agent1")
            window.try_login()
        elif isinstance(window, MainWindow) and not shown:
            shown.append(window)
            window.queue.timer.stop()
            french.extend((QCoreApplication.translate("QPlatformTheme", "Cancel"),
                           QCoreApplication.translate("QLineEdit", "&Copy"),
                           QLocale().toString(1234.5, "f", 2), QLocale().dayName(1)))
            window.close()  # the last window: rdv-desktop's event loop ends

    french: list[str] = []
    watcher = person(answer)
    assert main(["--db", db_url, "--station", "TEST-2", "--counter", "1"]) == 0
    # Qt's own buttons, menus and numbers are French (qtbase_fr.qm and a French locale)
    assert french == ["Annuler", "Cop&ier", "1\u202f234,50", "lundi"]
    assert watcher.seen[:1] == ["LoginDialog"]
    assert len(shown) == 1 and shown[0].actor.login == "agent1"
    assert shown[0].tabs.tabText(0) == "File du jour"
    assert shown[0].actor.counter_number == 1 and shown[0].actor.station == "TEST-2"
    shown[0].deleteLater()


def test_unreachable_database_is_said_in_french_after_the_dialog(person,
                                                                  station_files: Path) -> None:
    messages: list[str] = []

    def answer(window: QWidget) -> None:
        if isinstance(window, QMessageBox):
            messages.append(window.text())
            window.done(0)

    watcher = person(answer)
    url = "postgresql+psycopg://rdv@127.0.0.1:1/rdv?connect_timeout=3"
    assert main(["--db", url]) == 1
    assert watcher.seen == ["LoginDialog", "QMessageBox"]
    assert len(messages) == 1
    assert messages[0].startswith("La base de données ne répond pas (")


def test_quitting_at_sign_in_starts_nothing(person, station_files: Path, db_url: str,
                                            services: Services) -> None:
    person(lambda window: window.reject() if isinstance(window, LoginDialog) else None)
    assert main(["--db", db_url]) == 1


def test_dialog_is_on_screen_before_the_database_opens(qtbot, db_url: str, services: Services,
                                                       agent: Actor, tmp_path: Path) -> None:
    config = StationConfig(db_url=db_url, station_name="TEST-3", key_dir=tmp_path / "keys",
                           pdf_dir=tmp_path / "pdf")
    dialog_on_screen: list[bool] = []

    def open_db() -> Services:
        modal = QApplication.activeModalWidget()
        dialog_on_screen.append(isinstance(modal, LoginDialog) and modal.isVisible())
        QTimer.singleShot(0, lambda: sign_in_as(modal))
        return open_station(config)

    def sign_in_as(modal: QWidget | None) -> None:
        assert isinstance(modal, LoginDialog)
        collecting.append(gc.isenabled())
        modal.login.setText("agent1")
        modal.password.setText("motdepasse-agent1")
        modal.try_login()

    collecting: list[bool] = []
    gc.disable()  # as start_up_gc leaves it while the app starts
    try:
        signed_in = sign_in(config, open_db)
    finally:
        gc.enable()
    assert dialog_on_screen == [True]  # opened once, behind the dialog
    # Once the database is open the dialog may wait for hours: the collector runs again.
    assert collecting == [True]
    assert signed_in is not None and signed_in[1].login == "agent1"


def test_sign_in_before_the_first_paint_opens_the_database_in_its_worker(
        qtbot, qapp: QApplication, db_url: str, services: Services, agent: Actor,
        tmp_path: Path) -> None:
    config = StationConfig(db_url=db_url, station_name="TEST-3", key_dir=tmp_path / "keys",
                           pdf_dir=tmp_path / "pdf")
    opened_on_ui_thread: list[bool] = []
    opening = threading.Event()

    def open_db() -> Services:
        opened_on_ui_thread.append(threading.current_thread() is threading.main_thread())
        opening.set()
        return open_station(config)

    class SignsInAtOnce(QObject):
        """Signs in as the dialog appears, before its first paint (a fast typist, a badge)."""

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt's name
            if isinstance(watched, LoginDialog) and event.type() == QEvent.Type.Show:
                watched.login.setText("agent1")
                watched.password.setText("motdepasse-agent1")
                watched.try_login()
                # The check's worker is opening the database: the opening behind the first
                # paint must wait for it rather than open a second one.
                assert opening.wait(10)
            return False

    at_once = SignsInAtOnce()
    qapp.installEventFilter(at_once)
    try:
        signed_in = sign_in(config, open_db)
    finally:
        qapp.removeEventFilter(at_once)
    assert opened_on_ui_thread == [False]  # opened once, by the sign-in's worker
    assert signed_in is not None and signed_in[1].login == "agent1"


def test_wrong_password_keeps_the_dialog(qtbot, db_url: str, services: Services, agent: Actor,
                                         tmp_path: Path) -> None:
    config = StationConfig(db_url=db_url, station_name="TEST-3", key_dir=tmp_path / "keys",
                           pdf_dir=tmp_path / "pdf")
    errors: list[str] = []

    def attempts() -> None:
        modal = QApplication.activeModalWidget()
        assert isinstance(modal, LoginDialog)
        modal.answered.connect(lambda _ok: refused(modal))
        modal.login.setText("agent1")
        modal.password.setText("faux")
        modal.try_login()  # checked in the background: the answer comes by `answered`

    def refused(modal: LoginDialog) -> None:
        errors.append(modal.error.text())
        modal.reject()

    QTimer.singleShot(0, attempts)
    assert sign_in(config, lambda: open_station(config)) is None
    assert errors and errors[0].startswith("Identifiant ou mot de passe")


def test_desk_behind_the_queue_is_built_when_first_opened(qtbot, window: MainWindow) -> None:
    from rdv_desktop.ui.checkin_panel import CheckInPanel

    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "File du jour", "Accueil", "Pièces attendues"]
    assert window.findChildren(CheckInPanel) == []  # an agent starts on the queue
    window.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(CheckInPanel)))
    assert window.findChildren(CheckInPanel) == [window.checkin]
    window.tabs.setCurrentIndex(0)
    window.tabs.setCurrentIndex(1)
    assert len(window.findChildren(CheckInPanel)) == 1


def test_new_appointment_from_the_queue_opens_the_walk_in_form(qtbot, window: MainWindow) -> None:
    from rdv_desktop.ui.walkin_dialog import WalkInDialog

    action = next(a for a in window.file_menu.actions() if a.text() == "&Nouveau rendez-vous…")
    action.trigger()
    dialog = window.findChild(WalkInDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.reject()


def test_the_main_windows_code_loads_nothing_a_start_does_not_need() -> None:
    """Signing keys (cryptography), the PDF layouts, spreadsheets, Alembic and the multimedia
    module load at their first use, not at start: each cost a counter agent's start tens of
    milliseconds (a merge once pulled cryptography back in through an annotation)."""
    import os
    import subprocess
    import sys

    probe = ("import sys; from PySide6.QtWidgets import QApplication; app = QApplication([]); "
             "import rdv_desktop.ui.main_window; print(' '.join(sorted(sys.modules)))")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, env=env).stdout.split()
    heavy = ("cryptography", "reportlab", "rdv_desktop.printing.data", "openpyxl", "xlrd",
             "alembic", "PySide6.QtMultimedia", "PySide6.QtPrintSupport", "pypdfium2",
             "rdv_desktop.services.signing.keys", "rdv_desktop.services.papers.documents")
    assert [m for m in heavy if m in out] == []
