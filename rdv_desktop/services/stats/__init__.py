"""The dashboard's figures: rollups, ranges, formats and outputs.
(Its face for the UI: see services/faces.py.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..faces import lazy_face

_EXPORTS = {
    "Breakdown": "service",
    "StatsReport": "service",
    "bucket": "stats_format",
    "minutes": "stats_format",
    "percent": "stats_format",
}
__getattr__, __dir__ = lazy_face(__name__, globals(), _EXPORTS)
__all__ = ["Breakdown", "StatsReport", "bucket", "minutes", "percent"]

if TYPE_CHECKING:
    from .service import Breakdown, StatsReport
    from .stats_format import bucket, minutes, percent
