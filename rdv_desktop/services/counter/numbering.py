"""Gapless numbers taken inside the caller's transaction.

The sequence row stays locked until the caller commits (the UPDATE's row lock on PostgreSQL;
on SQLite the write session holds the database write lock from ``BEGIN IMMEDIATE``), so a
rolled-back deposit gives its number back and two stations never get the same one.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from ...models import NumberSequence


def next_number(session: Session, kind: str, site_code: str, period: str) -> int:
    row = {"kind": kind, "site_code": site_code, "period": period, "last": 0}
    if session.get_bind().dialect.name == "postgresql":  # imported on use: ~40 ms at start
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        session.execute(pg_insert(NumberSequence).values(**row).on_conflict_do_nothing())
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        session.execute(sqlite_insert(NumberSequence).values(**row).on_conflict_do_nothing())
    row_filter = (
        (NumberSequence.kind == kind)
        & (NumberSequence.site_code == site_code)
        & (NumberSequence.period == period)
    )
    return session.execute(
        update(NumberSequence)
        .where(row_filter)
        .values(last=NumberSequence.last + 1)
        .returning(NumberSequence.last)
    ).scalar_one()


def dossier_number(session: Session, site_code: str, year: int) -> str:
    """`{SITE}-{YYYY}-{NNNNNN}`."""
    n = next_number(session, "dossier", site_code, str(year))
    return f"{site_code}-{year}-{n:06d}"


def ticket_number(session: Session, site_code: str, day_iso: str) -> str:
    """`A001`…`A999`, then `B001`…: short enough to call out and to read on the display."""
    n = next_number(session, "ticket", site_code, day_iso) - 1
    letter, rest = divmod(n, 999)
    return f"{chr(ord('A') + letter % 26)}{rest + 1:03d}"
