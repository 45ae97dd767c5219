"""What every domain shares: who acts, the clock, the audit writer, settings, users.
(Its face for the UI: see services/faces.py.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..faces import lazy_face

_EXPORTS = {
    "ACTION_LABELS": "audit_labels",
    "ENTITY_LABELS": "audit_labels",
    "Actor": "actor",
    "AuditEntry": "audit",
    "ROLES": "actor",
    "ROLE_LABELS": "actor",
    "MENTIONS": "site_settings",
    "REASON_MAX": "text_limits",
    "SEARCH_MAX": "text_limits",
    "SWITCHES": "site_settings",
    "TUNABLES": "site_settings",
    "UserInfo": "users",
    "action_label": "audit_labels",
    "fr_date": "clock",
    "fr_datetime": "clock",
    "fr_time": "clock",
    "local": "clock",
    "local_today": "clock",
}
__getattr__, __dir__ = lazy_face(__name__, globals(), _EXPORTS)
__all__ = [
    "ACTION_LABELS",
    "ENTITY_LABELS",
    "MENTIONS",
    "REASON_MAX",
    "ROLES",
    "ROLE_LABELS",
    "SEARCH_MAX",
    "SWITCHES",
    "TUNABLES",
    "Actor",
    "AuditEntry",
    "UserInfo",
    "action_label",
    "fr_date",
    "fr_datetime",
    "fr_time",
    "local",
    "local_today",
]

if TYPE_CHECKING:
    from .actor import ROLE_LABELS, ROLES, Actor
    from .audit import AuditEntry
    from .audit_labels import ACTION_LABELS, ENTITY_LABELS, action_label
    from .clock import fr_date, fr_datetime, fr_time, local, local_today
    from .site_settings import MENTIONS, SWITCHES, TUNABLES
    from .text_limits import REASON_MAX, SEARCH_MAX
    from .users import UserInfo
