"""The one place database work and renders run: a single worker thread owned by the window.

Widgets submit a callable and two handlers; the callable runs off the UI thread, in submission
order, and the handler runs back on the UI thread (dropped if its widget is gone). A call that
has not returned within `stall_ms` makes the executor report a stall, so the window can raise
the « la base ne répond pas » banner and refuse actions while it keeps repainting.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

STALL_MS = 3000
WATCH_MS = 200


class _Relay(QObject):
    """Lives in the UI thread; its signals carry a job's end back there."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(self, key: str | None) -> None:
        super().__init__()
        self.key = key
        self.started_at: float | None = None


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay

    def run(self) -> None:
        self.relay.started_at = time.monotonic()
        try:
            result = self.fn()
        except Exception as exc:  # handed to the UI, which says it in French
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


def _alive(obj: object) -> bool:
    return obj is None or not isinstance(obj, QObject) or shiboken6.isValid(obj)


class DbExecutor(QObject):
    stalled = Signal(bool)  # True: a call has been running for longer than stall_ms
    idle = Signal()  # nothing queued or running any more

    def __init__(self, parent: QObject | None = None, stall_ms: int = STALL_MS) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.pool.setExpiryTimeout(-1)
        self.stall_ms = stall_ms
        self._jobs: list[_Relay] = []
        self._stalled = False
        self.watchdog = QTimer(self)
        self.watchdog.setInterval(WATCH_MS)
        self.watchdog.timeout.connect(self._watch)

    # -- submitting --------------------------------------------------------------------------

    def submit(self, fn: Callable[[], Any], on_done: Callable[[Any], object],
               on_error: Callable[[Exception], None], *, owner: QObject | None = None,
               key: str | None = None) -> bool:
        """Queue `fn`; False (nothing queued) when a job with the same `key` is still pending,
        so a poll never piles up behind a slow database."""
        if key is not None and any(job.key == key for job in self._jobs):
            return False
        relay = _Relay(key)
        self._jobs.append(relay)

        def deliver(handler: Callable[[Any], object]) -> Callable[[Any], None]:
            def call(value: Any) -> None:
                if not shiboken6.isValid(self):
                    return  # the window that owned the work is gone: nobody to tell
                try:
                    if _alive(owner) and _alive(getattr(handler, "__self__", None)):
                        handler(value)
                finally:
                    self._finished(relay)

            return call

        relay.done.connect(deliver(on_done))
        relay.failed.connect(deliver(on_error))
        if not self.watchdog.isActive():
            self.watchdog.start()
        self.pool.start(_Job(fn, relay))
        return True

    def pending(self, key: str | None = None) -> int:
        return sum(1 for job in self._jobs if key is None or job.key == key)

    def is_idle(self) -> bool:
        return not self._jobs

    @property
    def is_stalled(self) -> bool:
        return self._stalled

    def shutdown(self, wait_ms: int = 2000) -> bool:
        """Stop watching and give running work `wait_ms` to end (a frozen server may not)."""
        self.watchdog.stop()
        self.pool.clear()
        return self.pool.waitForDone(wait_ms)

    # -- bookkeeping (UI thread) -------------------------------------------------------------

    def _finished(self, relay: _Relay) -> None:
        if relay in self._jobs:
            self._jobs.remove(relay)
        relay.deleteLater()
        self._watch()
        if not self._jobs:
            self.watchdog.stop()
            self.idle.emit()

    def _watch(self) -> None:
        now = time.monotonic()
        late = any(job.started_at is not None and (now - job.started_at) * 1000 > self.stall_ms
                   for job in self._jobs)
        if late != self._stalled:
            self._stalled = late
            self.stalled.emit(late)
