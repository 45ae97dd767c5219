"""The guard that keeps database work off the Qt main thread really catches it."""

from __future__ import annotations

from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.setup import Services
from rdv_desktop.ui.main_window import MainWindow
from tests.gui.conftest import settle


def test_guard_sees_ui_code_opening_a_session_on_the_main_thread(
        qtbot, window: MainWindow, services: Services, agent: Actor,
        ui_thread_guard: list[str]) -> None:
    window.queue.feed.latest_event_id()  # called from the test: test code may use the database
    assert ui_thread_guard == []
    # The executor's own jobs run on its worker thread: nothing to report.
    window.queue.reload()
    settle(qtbot, window)
    assert ui_thread_guard == []
    # A function of a UI module that reads on the main thread is caught (one is planted here,
    # compiled as if it lived in queue_panel.py).
    from rdv_desktop.ui import queue_panel

    def reads_on_ui_thread() -> None:
        services.appointments.day(agent, window.queue.shown_day())

    reads_on_ui_thread.__code__ = reads_on_ui_thread.__code__.replace(
        co_filename=queue_panel.__file__)
    reads_on_ui_thread()
    assert ui_thread_guard and ui_thread_guard[0].startswith("queue_panel.py")
    ui_thread_guard.clear()  # this test's violation was planted on purpose
