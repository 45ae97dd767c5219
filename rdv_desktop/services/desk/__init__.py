"""The arrival desk: scans, manual search, tickets, and its walk-in command.
(Its face for the UI: see services/faces.py.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..faces import lazy_face

_EXPORTS = {
    "DeskCommands": "commands",
    "KeyBurst": "scan_input",
    "ScanResult": "checkin",
    "arrived": "checkin",
}
__getattr__, __dir__ = lazy_face(__name__, globals(), _EXPORTS)
__all__ = ["DeskCommands", "KeyBurst", "ScanResult", "arrived"]

if TYPE_CHECKING:
    from .checkin import ScanResult, arrived
    from .commands import DeskCommands
    from .scan_input import KeyBurst
