"""The audit trail's hash chain: every row carries the hash of the row before it.

Canonical serialisation, version 1 (docs/design.md, « Audit trail »): the JSON object of the
row's fields below, keys sorted, no spaces, UTF-8, `at` in UTC as `YYYY-MM-DDTHH:MM:SS.ffffffZ`,
`prev` the previous row's `row_hash` (`GENESIS` for the first row). `row_hash` is the SHA-256 of
those bytes, in lower-case hex. Rows are chained in id order.

Rows are sealed at the end of their transaction (`seal`), not when a service writes them: the
chain head is read and ids are taken under a lock held only between that moment and COMMIT
(PostgreSQL: a transaction-level advisory lock; SQLite: writers are already serialised by
BEGIN IMMEDIATE), so two stations never chain onto the same head and id order is chain order.
A lock taken only at commit, after every row lock of the act, cannot close a deadlock cycle.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from .audit import AuditEvent

__all__ = [
    "CHAIN_LOCK", "FIELDS", "GENESIS", "ChainBreak", "canonical", "chain_hash", "row_hash",
    "seal", "walk",
]

GENESIS = "0" * 64
CHAIN_LOCK = 0x52444155  # "RDAU": the chain's PostgreSQL advisory lock (migrations use "RDV1")
_PENDING = "audit_unsealed"
_CHUNK = 5_000


FIELDS = ("id", "at", "user_id", "user_login", "station", "action", "entity_type", "entity_id",
          "appointment_id", "before", "after", "reason", "undoes")


def canonical(row: Mapping[str, Any], prev: str) -> bytes:
    """Version 1 of the bytes a row's hash covers (never change it: add a version 2).
    `row` maps each name of FIELDS to the stored value (`at` an aware datetime)."""
    fields: dict[str, Any] = {name: row[name] for name in FIELDS}
    fields["at"] = row["at"].astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    fields["v"] = 1
    fields["prev"] = prev
    return json.dumps(fields, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def chain_hash(row: Mapping[str, Any], prev: str) -> str:
    return hashlib.sha256(canonical(row, prev)).hexdigest()


def row_hash(row: AuditEvent, prev: str) -> str:
    return chain_hash({name: getattr(row, name) for name in FIELDS}, prev)


# -- sealing ---------------------------------------------------------------------------------


@event.listens_for(Session, "before_flush")
def _hold_back(session: Session, _context: object, _instances: object) -> None:
    """New audit rows wait for `seal` (at commit) instead of being inserted now; `session.new`
    keeps the order in which the service added them."""
    held = [obj for obj in session.new if isinstance(obj, AuditEvent) and obj.row_hash is None]
    if not held:
        return
    pending: list[AuditEvent] = session.info.setdefault(_PENDING, [])
    for obj in held:
        session.expunge(obj)
    pending.extend(held)


@event.listens_for(Session, "before_commit")
def _seal_at_commit(session: Session) -> None:
    seal(session)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)


def seal(session: Session) -> None:
    """Insert this transaction's audit rows, chained onto the current head."""
    session.flush()
    pending: list[AuditEvent] = session.info.pop(_PENDING, [])
    if not pending:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
        ids = sorted(session.scalars(text(
            "SELECT nextval(pg_get_serial_sequence('audit_event', 'id')) "
            "FROM generate_series(1, :n)"), {"n": len(pending)}))
    else:
        top = session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))
        ids = [(top or 0) + i for i in range(1, len(pending) + 1)]
    head = session.execute(select(AuditEvent.row_hash).order_by(AuditEvent.id.desc())
                           .limit(1)).first()
    prev = GENESIS if head is None else head[0] or ""
    for row, new_id in zip(pending, ids, strict=True):
        row.id = new_id
        row.prev_hash = prev
        row.row_hash = prev = row_hash(row, prev)
    session.add_all(pending)
    session.flush()


# -- verification ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainBreak:
    """The first row where the chain does not hold, and why (French, for `audit-verify`)."""

    audit_id: int
    why: str


def walk(session: Session) -> Iterator[tuple[int, ChainBreak | None]]:
    """Check every row in id order; yields (rows checked so far, first break or None)."""
    prev = GENESIS
    last_id = 0
    checked = 0
    while True:
        rows = session.scalars(select(AuditEvent).where(AuditEvent.id > last_id)
                               .order_by(AuditEvent.id).limit(_CHUNK)).all()
        if not rows:
            return
        for row in rows:
            checked += 1
            if row.row_hash is None:
                yield checked, ChainBreak(row.id, "ligne sans empreinte (écrite hors de "
                                                  "l'application, ou antérieure à la chaîne)")
                return
            if row.prev_hash != prev:
                yield checked, ChainBreak(row.id, "elle ne suit pas la ligne précédente "
                                                  "(une ligne a été supprimée, insérée ou "
                                                  "remplacée avant elle)")
                return
            if row_hash(row, prev) != row.row_hash:
                yield checked, ChainBreak(row.id, "son contenu a été modifié après écriture")
                return
            prev = row.row_hash
            last_id = row.id
        session.expunge_all()
        yield checked, None
