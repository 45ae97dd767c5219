"""The audit writer every service uses: one row per state change, in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy.orm import Session

from ...models import AuditEvent
from .actor import Actor


def jsonable(value: Any) -> Any:
    """JSON-ready copy; aware datetimes in UTC so that equal instants compare equal."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).isoformat()
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value


def record(
    session: Session,
    actor: Actor,
    at: datetime,
    action: str,
    entity_type: str,
    entity_id: object = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
    appointment_id: int | None = None,
    undoes: int | None = None,
) -> AuditEvent:
    """Add an audit row to the session's transaction; it is chained and inserted at commit
    (models/audit_chain.py), so its `id` is known only after the commit."""
    event = AuditEvent(
        at=at,
        user_id=actor.user_id,
        user_login=actor.login,
        station=actor.station,
        action=action,
        entity_type=entity_type,
        entity_id=None if entity_id is None else str(entity_id),
        appointment_id=appointment_id,
        before=jsonable(before) if before is not None else None,
        after=jsonable(after) if after is not None else None,
        reason=reason,
        undoes=undoes,
    )
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    user_login: str
    station: str
    action: str
    entity_type: str
    entity_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str | None


def entry(event: AuditEvent) -> AuditEntry:
    return AuditEntry(
        event.id,
        event.at,
        event.user_login,
        event.station,
        event.action,
        event.entity_type,
        event.entity_id,
        event.before,
        event.after,
        event.reason,
    )
