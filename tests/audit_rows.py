"""Test data for the audit-log viewer: many audit rows written in one transaction (as thousands of
real actions would write them, without taking minutes), and the expected rows read back directly.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from rdv_desktop.models import AuditEvent
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.core.audit import record
from rdv_desktop.services.core.clock import PARIS
from rdv_desktop.services.office.admin import AuditFilter
from rdv_desktop.services.setup import Services

LOGINS = ("alice", "bruno", "chloe")
ACTIONS = ("checkin", "call", "outcome", "no_show")


def seed_audit(services: Services, rows: int, first_day: date, days: int) -> None:
    """`rows` events spread over `days` days from `first_day` 00:30 (`days=0`: all at that
    instant), in time order, cycling through three logins and four actions so that filters
    cut across pages."""
    step = max(timedelta(days=days) - timedelta(hours=1), timedelta(0)) / rows
    start = datetime.combine(first_day, time(0, 30), PARIS)
    with services.ctx.db.write() as s:
        for i in range(rows):
            login = LOGINS[i % len(LOGINS)]
            actor = Actor(None, login, login.title(), frozenset({"agent"}), "TEST-1")
            record(s, actor, start + i * step, ACTIONS[i % len(ACTIONS)], "appointment", i)


def matching_ids(services: Services, flt: AuditFilter) -> list[int]:
    """The ids `flt` should show, newest first (ties: latest written first), worked out in
    Python from every row."""
    with services.ctx.db.read() as s:
        events = sorted(s.scalars(select(AuditEvent)), key=lambda e: (e.at, e.id), reverse=True)
        return [e.id for e in events
                if flt.start <= e.at.astimezone(PARIS).date() <= flt.end
                and (flt.login is None or e.user_login == flt.login)
                and (flt.action is None or e.action == flt.action)
                and (flt.entity_type is None or e.entity_type == flt.entity_type)]
