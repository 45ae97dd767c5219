"""The récépissé follow-up (R431-12): due dates, « récépissé remis », the manager's list, and
the arrival desk's queueing of a person who comes to collect one.
(Its face for the UI: see services/faces.py.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..faces import lazy_face

_EXPORTS = {
    "FILTER_LABELS": "views",
    "HandOver": "views",
    "RecepisseCounts": "views",
    "RecepisseFilter": "views",
    "RecepisseResult": "views",
    "RecepisseRow": "views",
    "WORK_MENTION_LABELS": "views",
}
__getattr__, __dir__ = lazy_face(__name__, globals(), _EXPORTS)
__all__ = [
    "FILTER_LABELS",
    "WORK_MENTION_LABELS",
    "HandOver",
    "RecepisseCounts",
    "RecepisseFilter",
    "RecepisseResult",
    "RecepisseRow",
]

if TYPE_CHECKING:
    from .views import (
        FILTER_LABELS,
        WORK_MENTION_LABELS,
        HandOver,
        RecepisseCounts,
        RecepisseFilter,
        RecepisseResult,
        RecepisseRow,
    )
