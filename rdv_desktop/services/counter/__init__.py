"""The guichet: its commands (one act, one transaction) and what they return."""

from .commands import CounterCommands
from .results import CommandResult, Outcome, PendingOutcome, UndoPreview

__all__ = ["CommandResult", "CounterCommands", "Outcome", "PendingOutcome", "UndoPreview"]
