"""The accessibility helpers on real widgets, in-process (offscreen): what each one exposes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit, QPlainTextEdit, QToolButton

from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.setup import Services
from rdv_desktop.ui.accessibility import SecretField, SpokenLabel
from rdv_desktop.ui.bar_chart import BarChart
from rdv_desktop.ui.main_window import MainWindow
from tests.conftest import make_actor
from tests.gui.conftest import settle
from tests.ui_thread_guard import ui_thread_guard  # noqa: F401 (autouse: no session on the UI thread)

pytestmark = pytest.mark.gui


@pytest.fixture
def accessible() -> Iterator[None]:
    """Qt builds accessible interfaces and sends their events only while a reader listens."""
    QAccessible.setActive(True)
    yield
    QAccessible.setActive(False)


@pytest.fixture
def office(qtbot, services: Services) -> MainWindow:
    """A manager at guichet 2 who also works the desk: queue, desk, dashboard, review."""
    chef = make_actor(services, "cheffe", {"manager", "agent", "accueil"}, counter=2)
    win = MainWindow(services, chef, "base de test")
    qtbot.addWidget(win)
    win.queue.timer.stop()
    win.show()
    settle(qtbot, win)
    return win


@pytest.mark.usefixtures("accessible")
def test_the_password_field_exposes_a_length_and_no_text(qtbot) -> None:
    field = SecretField()
    qtbot.addWidget(field)
    field.setAccessibleName("Mot de passe")
    qtbot.keyClicks(field, "s3cret!")
    face = QAccessible.queryAccessibleInterface(field)
    assert face.textInterface() is None and face.editableTextInterface() is None
    assert face.valueInterface() is None
    assert face.text(QAccessible.Text.Name) == "Mot de passe"
    assert face.text(QAccessible.Text.Value) == "7 caractères"
    assert face.text(QAccessible.Text.Description) == "7 caractères"
    assert face.state().passwordEdit
    assert field.text() == "s3cret!"  # the field itself still works
    field.clear()
    qtbot.keyClicks(field, "x")
    assert face.text(QAccessible.Text.Value) == "1 caractère"


def test_a_spoken_label_exposes_what_it_shows(qtbot) -> None:
    counter = SpokenLabel(text="Attendus : <b>22</b>")
    message = SpokenLabel("Message de la file")
    qtbot.addWidget(counter)
    qtbot.addWidget(message)
    assert counter.accessibleName() == "Attendus : 22"
    message.setText("Sélectionnez d'abord une ligne de la file.")
    assert message.accessibleName() == "Message de la file"
    assert message.accessibleDescription() == "Sélectionnez d'abord une ligne de la file."
    message.clear()
    assert message.accessibleDescription() == "" and message.text() == ""


def test_no_table_of_any_screen_traps_tab(office: MainWindow) -> None:
    office.tabs.setCurrentIndex(office.tabs.count() - 1)  # build every lazily built screen
    for index in range(office.tabs.count()):
        office.tabs.setCurrentIndex(index)
    views = office.findChildren(QAbstractItemView)
    tables = [v for v in views if v.accessibleName()]
    assert {"File du jour", "Chiffres détaillés", "Dossiers à contrôler"} <= {
        v.accessibleName() for v in tables}
    assert [v.accessibleName() for v in tables if v.tabKeyNavigation()] == []


def test_tab_leaves_the_queue_table(qtbot, office: MainWindow) -> None:
    table = office.queue.table
    office.tabs.setCurrentWidget(office.queue)
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert not table.hasFocus()


def test_search_clear_buttons_are_named_and_out_of_the_tab_order(office: MainWindow) -> None:
    assert office.checkin is not None
    for field in (office.queue.search, office.checkin.search):
        buttons = field.findChildren(QToolButton)
        assert buttons
        for button in buttons:
            assert button.accessibleName() == "Effacer la recherche"
            assert button.focusPolicy() == Qt.FocusPolicy.NoFocus


def test_captions_are_the_buddies_of_their_fields(office: MainWindow) -> None:
    buddies = {label.text(): label.buddy() for label in office.findChildren(QLabel)
               if label.buddy() is not None}
    assert buddies["Jour :"] is office.queue.day
    dashboard = office.office_screens[0]
    assert buddies["Période :"] is dashboard.preset
    assert buddies["Détail par :"] is dashboard.breakdown


def test_ctrl_f_goes_to_the_search_of_the_screen_in_front(qtbot, office: MainWindow) -> None:
    office.activateWindow()
    office.tabs.setCurrentWidget(office.queue)
    qtbot.keyClick(office, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(office.queue.search.hasFocus)
    desk = office.checkin
    assert desk is not None
    office.tabs.setCurrentWidget(desk)
    qtbot.keyClick(office, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(desk.search.hasFocus)
    assert not office.queue.search.hasFocus()


@pytest.mark.usefixtures("accessible")
def test_ctrl_f_on_a_screen_without_search_says_so(qtbot, office: MainWindow) -> None:
    from rdv_desktop.ui.accessibility import Notifier

    office.activateWindow()
    office.tabs.setCurrentWidget(office.office_screens[0])
    qtbot.keyClick(office, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    said = [n.message for n in office.findChildren(Notifier)]
    assert said[-1:] == ["Pas de recherche sur l'écran « Tableau de bord »."]
    assert not office.queue.search.hasFocus()


def test_f1_lists_the_real_shortcuts_as_text(qtbot, office: MainWindow) -> None:
    dialog = office.open_shortcuts()
    qtbot.addWidget(dialog)
    text = dialog.findChild(QPlainTextEdit)
    assert text is not None and text.isReadOnly() and text.accessibleName()
    lines = text.toPlainText().splitlines()
    assert "F2 : Guichet › Appeler le suivant" in lines
    assert "Ctrl+F : Affichage › Rechercher" in lines
    assert "F1 : Aide › Raccourcis clavier" in lines
    assert "Ctrl+Entrée : enregistrer le dépôt" in lines
    dialog.reject()


def test_a_chart_reads_its_data_and_opens_it_as_a_table(qtbot) -> None:
    chart = BarChart("Rendez-vous par jour")
    qtbot.addWidget(chart)
    chart.set_data(["03/11", "04/11"], [("Déposés", "#2e7d32", [8, 5]),
                                        ("Absents", "#9e9e9e", [2, 0])])
    assert chart.accessibleDescription().startswith(
        "2 barres, total 15. 03/11 : 10 (Déposés 8, Absents 2). 04/11 : 5 (Déposés 5, "
        "Absents 0).")
    assert chart.focusPolicy() == Qt.FocusPolicy.StrongFocus
    chart.show()
    chart.setFocus()
    qtbot.keyClick(chart, Qt.Key.Key_Return)
    dialog = chart.table_dialog
    assert dialog is not None and dialog.isVisible()
    model = dialog.findChild(QAbstractItemView).model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Rendez-vous par jour", "Déposés", "Absents", "Total"]
    assert [[model.index(r, c).data() for c in range(4)] for r in range(2)] == [
        ["03/11", "8", "2", "10"], ["04/11", "5", "0", "5"]]
    dialog.reject()


def test_a_refused_sign_in_keeps_the_password_field_focused_and_says_why(
        qtbot, services: Services, agent: Actor) -> None:
    from rdv_desktop.ui.login_dialog import LoginDialog

    dialog = LoginDialog(lambda login, password, counter: services.users.authenticate(
        login, password, "TEST-1", counter), "TEST-1", "CANTAL")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.login, "agent1")
    qtbot.keyClicks(dialog.password, "faux")
    with qtbot.waitSignal(dialog.answered, timeout=10_000):
        dialog.try_login()
    assert isinstance(dialog.password, QLineEdit)
    assert "incorrect" in dialog.error.accessibleDescription()
    assert dialog.error.accessibleName() == "Message de connexion"


@pytest.mark.usefixtures("accessible")
def test_an_announcement_is_a_notification_shown_with_its_words(qtbot) -> None:
    from PySide6.QtWidgets import QWidget

    from rdv_desktop.ui.accessibility import NOTIFIERS_KEPT, Notifier, announce

    window = QWidget()
    qtbot.addWidget(window)
    field = QLineEdit(window)
    window.show()
    field.setFocus()
    for n in range(NOTIFIERS_KEPT + 2):
        announce(field, f"Ticket A00{n}")
    notes = window.findChildren(Notifier)
    newest = notes[-1]
    assert newest.isVisible() and newest.message == f"Ticket A00{NOTIFIERS_KEPT + 1}"
    face = QAccessible.queryAccessibleInterface(newest)
    assert face.role() == QAccessible.Role.Notification
    assert face.text(QAccessible.Text.Name) == newest.message
    assert window.focusWidget() is field  # said where the agent works, the focus stays
    qtbot.waitUntil(lambda: len(window.findChildren(Notifier)) <= NOTIFIERS_KEPT)


@pytest.mark.usefixtures("accessible")
def test_progress_is_read_in_words_never_as_a_percentage(qtbot) -> None:
    from rdv_desktop.ui.accessibility import WordsProgressBar

    bar = WordsProgressBar()
    qtbot.addWidget(bar)
    bar.setRange(0, 8)
    bar.setValue(1)
    bar.setFormat("1 sur 8 pièces requises reçues")
    face = QAccessible.queryAccessibleInterface(bar)
    assert face.role() == QAccessible.Role.ProgressBar
    assert face.valueInterface() is None
    assert face.text(QAccessible.Text.Value) == "1 sur 8 pièces requises reçues"
