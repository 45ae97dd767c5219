"""The guichet: the appointment state machine, one current person per counter, deposits,
the queue feed, and the commands (one act, one transaction) the counter's screens use.
(Its face for the UI: see services/faces.py.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..faces import lazy_face

_EXPORTS = {
    "COMPANION_LABELS": "assistance",
    "CompanionEntry": "assistance",
    "PRIORITY_LABELS": "assistance",
    "ChecklistSetup": "results",
    "AppointmentView": "appointment_views",
    "AwaitedDossier": "pieces_awaited",
    "PiecesReceived": "pieces_awaited",
    "CallShown": "waiting_room",
    "ChecklistLine": "piece_checks",
    "CommandResult": "results",
    "CounterCommands": "commands",
    "DepositRequest": "dossiers",
    "DisplayUpdate": "waiting_room",
    "NewAppointment": "booking",
    "Outcome": "results",
    "PendingOutcome": "results",
    "PieceCheck": "piece_checks",
    "QueueChanges": "queue_feed",
    "QueueFeed": "queue_feed",
    "REQUEST_KINDS": "booking",
    "SHOWN_CALLS": "waiting_room",
    "Stage": "stage",
    "TimbreEntry": "dossiers",
    "UndoPreview": "results",
    "call_of": "waiting_room",
    "checklist": "piece_checks",
    "validate_timbres": "dossiers",
}
__getattr__, __dir__ = lazy_face(__name__, globals(), _EXPORTS)
__all__ = [
    "COMPANION_LABELS",
    "PRIORITY_LABELS",
    "REQUEST_KINDS",
    "SHOWN_CALLS",
    "AppointmentView",
    "AwaitedDossier",
    "CallShown",
    "ChecklistLine",
    "ChecklistSetup",
    "CommandResult",
    "CompanionEntry",
    "CounterCommands",
    "DepositRequest",
    "DisplayUpdate",
    "NewAppointment",
    "Outcome",
    "PendingOutcome",
    "PieceCheck",
    "PiecesReceived",
    "QueueChanges",
    "QueueFeed",
    "Stage",
    "TimbreEntry",
    "UndoPreview",
    "call_of",
    "checklist",
    "validate_timbres",
]

if TYPE_CHECKING:
    from .appointment_views import AppointmentView
    from .assistance import COMPANION_LABELS, PRIORITY_LABELS, CompanionEntry
    from .booking import REQUEST_KINDS, NewAppointment
    from .commands import CounterCommands
    from .dossiers import DepositRequest, TimbreEntry, validate_timbres
    from .piece_checks import ChecklistLine, PieceCheck, checklist
    from .pieces_awaited import AwaitedDossier, PiecesReceived
    from .queue_feed import QueueChanges, QueueFeed
    from .results import ChecklistSetup, CommandResult, Outcome, PendingOutcome, UndoPreview
    from .stage import Stage
    from .waiting_room import SHOWN_CALLS, CallShown, DisplayUpdate, call_of
