"""The arrival desk's commands."""

from .commands import DeskCommands

__all__ = ["DeskCommands"]
