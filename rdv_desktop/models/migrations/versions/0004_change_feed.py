"""change feed: the writing transaction of every audit row (PostgreSQL)

PostgreSQL hands out audit ids before commit, so a long transaction (an import) commits ids
lower than ids already seen: the id is no safe cursor there. The server now stamps each new
audit row with its transaction id (`pg_current_xact_id()`), which the stations' feed compares
with the snapshot of its previous poll (`services/queue_feed.py`). On SQLite writers are
serialised, ids commit in order and the column stays empty.

Older rows keep NULL: they were committed long before any station polls with the new cursor.
The default is set after the column is added so that no existing row is rewritten.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# xid8 has no cast to bigint; its text form is the decimal full (epoch-extended) id.
XACT_DEFAULT = "(pg_current_xact_id()::text::bigint)"


def upgrade() -> None:
    op.add_column("audit_event", sa.Column("xact_id", sa.BigInteger(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("audit_event", "xact_id", server_default=sa.text(XACT_DEFAULT))
    op.create_index(op.f("ix_audit_event_xact_id"), "audit_event", ["xact_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_event_xact_id"), table_name="audit_event")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_column("xact_id")
