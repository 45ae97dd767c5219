"""Run slow work (printing, exports, imports, big queries) off the UI thread.

Workers never touch widgets: the result or the error comes back through a Qt signal, which Qt
delivers in the thread of the receiving object, the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # delivered to the UI, which shows it
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


_live: set[_Relay] = set()


def _alive(obj: object) -> bool:
    return not isinstance(obj, QObject) or shiboken6.isValid(obj)


def run_in_background(fn: Callable[[], Any], on_done: Callable[[Any], None],
                      on_error: Callable[[Exception], None],
                      pool: QThreadPool | None = None, owner: QObject | None = None) -> None:
    """Run `fn` in the pool; the handler runs in the UI thread unless its widget is gone.

    A screen may be closed while its query runs: the result is then dropped instead of
    reaching a deleted widget. `owner` names that widget when the handlers are plain closures;
    a bound method's own object is checked anyway.
    """
    relay = _Relay()
    _live.add(relay)

    def finish(handler: Callable[[Any], None]) -> Callable[[Any], None]:
        def call(value: Any) -> None:
            _live.discard(relay)
            if _alive(owner) and _alive(getattr(handler, "__self__", None)):
                handler(value)

        return call

    relay.done.connect(finish(on_done))
    relay.failed.connect(finish(on_error))
    (pool or QThreadPool.globalInstance()).start(_Task(fn, relay))


class LatestOnly:
    """Numbers a screen's reads: an answer older than one already on screen is dropped, since
    the pool's threads may bring two answers back in the other order."""

    def __init__(self) -> None:
        self._issued = 0
        self._shown = 0

    def ticket(self) -> int:
        self._issued += 1
        return self._issued

    def fresh(self, ticket: int) -> bool:
        """True, and remembered, unless the answer to a later read is already shown."""
        if ticket < self._shown:
            return False
        self._shown = ticket
        return True
