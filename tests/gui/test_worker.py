"""Background work: results reach live widgets, and are dropped for widgets already closed."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtWidgets import QLabel

from rdv_desktop.ui.worker import run_in_background
from tests.conftest import settle


def test_result_reaches_the_widget(qtbot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    run_in_background(lambda: "fini", label.setText, lambda exc: label.setText(str(exc)))
    qtbot.waitUntil(lambda: label.text() == "fini", timeout=5000)


def test_error_comes_back_as_an_exception(qtbot) -> None:
    seen: list[Exception] = []

    def fail() -> None:
        raise ValueError("base injoignable")

    run_in_background(fail, lambda _v: None, seen.append)
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert str(seen[0]) == "base injoignable"


def test_result_for_a_deleted_widget_is_dropped(qtbot) -> None:
    release = threading.Event()
    label = QLabel()
    delivered: list[str] = []

    def slow() -> str:
        release.wait(5)
        return "trop tard"

    run_in_background(slow, lambda v: delivered.append(v), delivered.append, owner=label)
    run_in_background(slow, label.setText, delivered.append)
    label.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(label), timeout=5000)
    release.set()
    settle(qtbot)  # both results came back to the UI thread, and were dropped
    assert delivered == []
