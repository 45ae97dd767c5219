"""Errors every layer may raise; each carries the French message a person at the counter reads."""

from __future__ import annotations


class RdvError(Exception):
    """Base class: `str(error)` is a complete French sentence fit for a message box."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigurationError(RdvError):
    """Bad database URL, unreadable configuration file."""


class DatabaseUnavailable(RdvError):
    """The database server does not answer; nothing was written."""


class OutcomeUnknown(DatabaseUnavailable):
    """The link died while a write was being committed: it may or may not have been saved.

    Unlike its parent, nothing can be said about the write; the caller looks it up once the
    database answers again (the transaction itself is all-or-nothing either way).
    """


class DatabaseBusy(RdvError):
    """Another station holds the SQLite write lock for longer than the retry budget."""


class PermissionDenied(RdvError):
    """The actor's roles do not allow the use case; the refusal is audited."""


class AuthenticationFailed(RdvError):
    """Wrong login or password, inactive or temporarily locked account: one message for all."""


class NotFound(RdvError):
    pass


class InvalidTransition(RdvError):
    """The appointment is not in a state that allows the requested step."""


class ValidationError(RdvError):
    """Input that cannot be accepted as typed."""
