"""The manager's office: review, exports, retention, administration, monthly report.
(Its face for the UI: see services/faces.py.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..faces import lazy_face

_EXPORTS = {
    "AUDIT_PAGE": "admin",
    "AuditCursor": "admin",
    "AuditFilter": "admin",
    "AuditPage": "admin",
    "ExportResult": "exports",
    "FeeInfo": "admin",
    "ReviewDetail": "review",
    "ReviewFilter": "review",
    "ReviewRow": "review",
    "SiteInfo": "admin",
}
__getattr__, __dir__ = lazy_face(__name__, globals(), _EXPORTS)
__all__ = [
    "AUDIT_PAGE",
    "AuditCursor",
    "AuditFilter",
    "AuditPage",
    "ExportResult",
    "FeeInfo",
    "ReviewDetail",
    "ReviewFilter",
    "ReviewRow",
    "SiteInfo",
]

if TYPE_CHECKING:
    from .admin import AUDIT_PAGE, AuditCursor, AuditFilter, AuditPage, FeeInfo, SiteInfo
    from .exports import ExportResult
    from .review import ReviewDetail, ReviewFilter, ReviewRow
