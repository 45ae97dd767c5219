"""Fail a test whose UI code opens a database session on the Qt main thread.

Every widget's database work runs off the UI thread, in the window's executor (see
ui/executor.py) or through `run_in_background` (ui/worker.py), so a silent server can never
freeze the window. The guard watches every SQLAlchemy transaction that begins on the main thread
and fails the test when a frame of `rdv_desktop/ui/` is on the stack, whatever the screen: there
are no exceptions left. Test code itself (seeding data, checking results) may use the database
on the main thread.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

import rdv_desktop.ui

UI_DIR = Path(rdv_desktop.ui.__file__).parent


def _ui_frame() -> FrameType | None:
    frame: FrameType | None = sys._getframe(2)
    while frame is not None:
        path = Path(frame.f_code.co_filename)
        if path.parent == UI_DIR:
            return frame
        frame = frame.f_back
    return None


@pytest.fixture(autouse=True)
def ui_thread_guard() -> Iterator[list[str]]:
    violations: list[str] = []

    def check(_session: Session, _transaction: Any, _connection: Any) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        frame = _ui_frame()
        if frame is not None:
            module = Path(frame.f_code.co_filename).stem
            violations.append(f"{module}.py:{frame.f_lineno} in {frame.f_code.co_name}")

    event.listen(Session, "after_begin", check)
    try:
        yield violations
    finally:
        event.remove(Session, "after_begin", check)
    assert not violations, ("database session opened on the Qt main thread by UI code: "
                            + "; ".join(sorted(set(violations))))
