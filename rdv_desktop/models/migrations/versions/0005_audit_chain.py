"""audit chain: hash-chained audit rows, undo as a row of its own, compromised keys

- `audit_event.prev_hash` / `row_hash`: each row carries the hash of the previous one
  (models/audit_chain.py, canonical form version 1). Existing rows are chained here, in id
  order, so `rdv-admin audit-verify` covers the whole trail. Cost: about a minute per million
  audit rows (200,000 rows in 11 s on SQLite, 2 cores), paid once, under the migration lock.
- `audit_event.undoes` replaces `undone_by`: an undo names the row it undoes and the undone row
  is never updated again. Existing links are carried over before `undone_by` is dropped.
- `signing_key.compromised_at`: a key declared compromised (`rdv-admin key-compromised`).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from rdv_desktop.models.audit_chain import FIELDS, GENESIS, chain_hash
from rdv_desktop.models.base import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_BATCH = 2_000


def upgrade() -> None:
    op.add_column("signing_key",
                  sa.Column("compromised_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("undoes", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("row_hash", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_audit_event_undoes"), ["undoes"], unique=False)
    op.execute(
        "UPDATE audit_event SET undoes = (SELECT o.id FROM audit_event o "
        "WHERE o.undone_by = audit_event.id) "
        "WHERE id IN (SELECT undone_by FROM audit_event WHERE undone_by IS NOT NULL)")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_column("undone_by")
    _chain_existing_rows()


def _chain_existing_rows() -> None:
    json_fields = ("before", "after")
    audit = sa.table("audit_event", *(
        sa.column(name, UTCDateTime() if name == "at" else
                  sa.JSON() if name in json_fields else None)
        for name in FIELDS), sa.column("prev_hash"), sa.column("row_hash"))
    conn = op.get_bind()
    prev, last = GENESIS, None
    while True:
        query = sa.select(*(audit.c[name] for name in FIELDS)).order_by(audit.c.id).limit(_BATCH)
        if last is not None:
            query = query.where(audit.c.id > last)
        rows = conn.execute(query).mappings().all()
        if not rows:
            return
        updates = []
        for row in rows:
            digest = chain_hash(dict(row), prev)
            updates.append({"key": row["id"], "prev": prev, "digest": digest})
            prev, last = digest, row["id"]
        conn.execute(audit.update().where(audit.c.id == sa.bindparam("key"))
                     .values(prev_hash=sa.bindparam("prev"), row_hash=sa.bindparam("digest")),
                     updates)


def downgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("undone_by", sa.BigInteger(), nullable=True))
    op.execute(
        "UPDATE audit_event SET undone_by = (SELECT u.id FROM audit_event u "
        "WHERE u.undoes = audit_event.id) "
        "WHERE id IN (SELECT undoes FROM audit_event WHERE undoes IS NOT NULL)")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_undoes"))
        batch_op.drop_column("row_hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("undoes")
    with op.batch_alter_table("signing_key", schema=None) as batch_op:
        batch_op.drop_column("compromised_at")
