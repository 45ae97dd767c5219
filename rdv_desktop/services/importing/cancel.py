"""Stopping an import half-way: the caller's request, and the error that reports it.

The import runs in one transaction, so stopping it is a rollback: the database is left exactly
as it was, with no appointment and no audit row from the file. The request is a plain callable
(`Cancelled`) so the dialog's « Annuler » button and the command line's Ctrl+C can both drive
it without the service knowing about Qt or signals.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from ...errors import RdvError

Cancelled = Callable[[], bool]
CANCELLED_MESSAGE = "Import annulé : aucun rendez-vous n'a été enregistré."


class ImportCancelled(RdvError):
    """Raised inside the import's transaction when the caller asked to stop; nothing is kept."""

    def __init__(self, message: str = CANCELLED_MESSAGE) -> None:
        super().__init__(message)


class CancelToken:
    """A cancellation request set by one thread (UI, signal handler) and read by the import."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    def __call__(self) -> bool:
        return self._event.is_set()


def stop_if(cancelled: Cancelled | None) -> None:
    """Raise ImportCancelled when the caller asked to stop."""
    if cancelled is not None and cancelled():
        raise ImportCancelled()
