"""« Récépissés à remettre » and the counter's « récépissé remis » on real widgets and a real
database (both kinds), driven with qtbot: no mocked database, no mocked Qt."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton, QTableView

from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.core.clock import FixedClock
from rdv_desktop.services.counter import Stage
from rdv_desktop.services.recepisse import RecepisseFilter
from rdv_desktop.services.setup import Services
from rdv_desktop.ui.executor import DbExecutor
from rdv_desktop.ui.main_window import MainWindow
from rdv_desktop.ui.recepisse_dialog import HandOverDialog
from rdv_desktop.ui.recepisse_model import OVERDUE_COLOUR
from rdv_desktop.ui.recepisse_panel import RecepissePanel
from tests.recepisse.conftest import deposit_on

pytestmark = pytest.mark.gui

DAY = date(2026, 11, 26)


def by_name(widget, cls, name):
    found = [w for w in widget.findChildren(cls) if w.accessibleName() == name]
    assert len(found) == 1, name
    return found[0]


def idle(qtbot, executor: DbExecutor) -> None:
    qtbot.waitUntil(executor.is_idle, timeout=10_000)


@pytest.fixture
def panel(qtbot, services: Services, manager: Actor) -> RecepissePanel:
    executor = DbExecutor()
    widget = RecepissePanel(services, manager, executor)
    executor.setParent(widget)
    qtbot.addWidget(widget)
    return widget


def test_the_manager_follows_hands_over_cancels_and_exports(
        qtbot, qtmodeltester, panel: RecepissePanel, services: Services, clock: FixedClock,
        accueil: Actor, agent: Actor, tmp_path) -> None:
    late = deposit_on(services, clock, accueil, agent, DAY - timedelta(days=10), "Retard")
    recent = deposit_on(services, clock, accueil, agent, DAY + timedelta(days=30), "Récent")
    clock.set(clock.now() + timedelta(days=100))  # « late » is 140 days old, « recent » 100
    assert panel.model.rowCount() == 0, "nothing is read before the tab is opened"

    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        panel.show()
    qtmodeltester.check(panel.model)
    view = by_name(panel, QTableView, "Récépissés à remettre")
    cells = [[view.model().index(r, c).data() for c in (0, 1, 5)] for r in range(2)]
    assert cells == [[late.number, "RETARD Awa", "en retard de 20 j"],
                     [recent.number, "RÉCENT Awa", "à remettre au plus tard le 25/04/2027"]]
    assert view.model().index(0, 0).data(8).name() == OVERDUE_COLOUR  # BackgroundRole
    assert by_name(panel, QLabel, "Nombre de dossiers").text() == "2 dossier(s), dont 1 en retard"

    filters = by_name(panel, QComboBox, "Filtre des récépissés")
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        filters.setCurrentIndex(0)  # overdue only
    assert panel.model.rowCount() == 1 and panel.selected().dossier_number == late.number

    # « Récépissé remis »: a refused number keeps the dialog open with the French sentence.
    by_name(panel, QPushButton, "Enregistrer la remise").click()
    dialog = panel.dialog
    assert isinstance(dialog, HandOverDialog) and dialog.isVisible()
    by_name(dialog, QLineEdit, "Numéro du récépissé").setText("=1+1")
    by_name(dialog, QComboBox, "Mention relative au travail").setCurrentIndex(1)
    with qtbot.waitSignal(panel.changed, timeout=10_000) as refused:
        by_name(dialog, QPushButton, "Enregistrer la remise").click()
    assert refused.args[0] is False and "invalide" in refused.args[1]
    assert dialog.isVisible() and "invalide" in by_name(dialog, QLabel, "Erreur").text()
    by_name(dialog, QLineEdit, "Numéro du récépissé").setText("R-7781")
    with qtbot.waitSignal(panel.changed, timeout=10_000) as recorded:
        by_name(dialog, QPushButton, "Enregistrer la remise").click()
    assert recorded.args[0] is True and not dialog.isVisible()
    assert panel.selected().recepisse_number == "R-7781"
    assert view.model().index(0, 8).data() == "autorise à travailler"

    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        filters.setCurrentIndex(2)  # handed over
    assert [r.recepisse_number for r in panel.model.rows] == ["R-7781"]
    reason = panel.ask_cancel()
    assert reason is not None
    by_name(reason, QLineEdit, "Raison").setText("numéro mal lu")
    with qtbot.waitSignal(panel.changed, timeout=10_000) as cancelled:
        reason.buttons.accepted.emit()
    assert cancelled.args[0] is True and not panel.selected().handed
    assert [r.dossier_number for r in services.recepisse.rows(
        panel.actor, RecepisseFilter.OVERDUE)] == [late.number]

    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        filters.setCurrentIndex(1)  # every one to hand over: the list as exported
    target = tmp_path / "recepisses.csv"
    with qtbot.waitSignal(panel.changed, timeout=10_000) as exported:
        panel.export_to(target)
    assert exported.args == [True, f"2 ligne(s) exportée(s) dans {target}."]
    assert target.read_text(encoding="utf-8-sig").splitlines()[1].startswith(late.number or "")
    idle(qtbot, panel.executor)


def test_the_counter_records_the_recepisse_of_the_visit_it_receives(
        qtbot, services: Services, clock: FixedClock, accueil: Actor, agent: Actor) -> None:
    dossier = deposit_on(services, clock, accueil, agent, DAY)
    clock.set(clock.now() + timedelta(days=40))
    queued = services.checkin.scan(accueil, dossier.qr_payload or "")
    assert queued.reason == "recepisse_queued" and queued.view is not None

    win = MainWindow(services, agent, "base de test")
    qtbot.addWidget(win)
    win.queue.timer.stop()
    win.show()
    idle(qtbot, win.executor)
    for name in ("call_next", "serve"):
        win.queue.actions_by_name[name].trigger()
        idle(qtbot, win.executor)
    dialog = win.hand_over_dialog
    assert isinstance(dialog, HandOverDialog) and dialog.isVisible()
    assert by_name(dialog, QLabel, "Dossier du récépissé").text() == (
        f"Dossier {dossier.number} — DIALLO Awa")
    by_name(dialog, QLineEdit, "Numéro du récépissé").setText("R-1")
    by_name(dialog, QComboBox, "Mention relative au travail").setCurrentIndex(3)
    with qtbot.waitSignal(win.appointments_changed, timeout=10_000):
        by_name(dialog, QPushButton, "Enregistrer la remise").click()
    idle(qtbot, win.executor)
    assert not dialog.isVisible()
    shown = {v.id: v for v in win.queue.model.views()}
    assert shown[queued.view.id].stage is Stage.RECEPISSE_HANDED
    assert "R-1" in win.queue.message.text()


def test_the_dashboard_counts_recepisses_to_hand_over(qtbot, services: Services,
                                                      clock: FixedClock, accueil: Actor,
                                                      agent: Actor, manager: Actor) -> None:
    from rdv_desktop.ui.dashboard_panel import DashboardPanel

    deposit_on(services, clock, accueil, agent, DAY)
    deposit_on(services, clock, accueil, agent, DAY + timedelta(days=10), "Bah")
    clock.set(clock.now() + timedelta(days=115))  # the first is 125 days old: overdue
    dashboard = DashboardPanel(services, manager)
    qtbot.addWidget(dashboard)
    kpi = dashboard.kpis["recepisses"]
    dashboard.show()  # the first show loads the figures and today's récépissés
    qtbot.waitUntil(lambda: kpi.value.text() == "2", timeout=10_000)
    assert by_name(dashboard, QLabel, "Récépissés à remettre") is kpi.value
    assert kpi.note.text() == "dont 1 en retard"
    qtbot.waitUntil(lambda: dashboard.report is not None, timeout=10_000)


def test_the_desk_screen_queues_the_holder_of_a_scanned_attestation(
        qtbot, services: Services, clock: FixedClock, accueil: Actor, agent: Actor,
        manager: Actor) -> None:
    from PySide6.QtCore import Qt

    from rdv_desktop.ui.checkin_panel import CheckInPanel

    dossier = deposit_on(services, clock, accueil, agent, DAY)
    clock.set(clock.now() + timedelta(days=40))
    desk = CheckInPanel(services, accueil)
    qtbot.addWidget(desk)
    desk.show()
    qtbot.waitExposed(desk)
    field = by_name(desk, QLineEdit, "Code scanné")
    field.setText(dossier.qr_payload or "")
    with qtbot.waitSignal(desk.scan_finished, timeout=10_000):
        qtbot.keyClick(field, Qt.Key.Key_Return)
    assert desk.feedback.kind == "green"
    shown = desk.feedback.text()
    assert "Remise du récépissé" in shown and "Ticket A001" in shown
    assert f"Dossier {dossier.number}" in shown
    # The visit is in the queue; the statistics of the day do not count it as an appointment.
    visits = [v for v in services.appointments.day(agent, clock.now().date())
              if v.recepisse_for == dossier.number]
    assert [v.ticket for v in visits] == ["A001"]
    services.office.stats.refresh()
    report = services.office.stats.report(manager, visits[0].slot_date, visits[0].slot_date)
    assert report.totals.appointments == 0
