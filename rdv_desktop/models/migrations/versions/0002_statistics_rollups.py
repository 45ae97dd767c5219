"""statistics rollups

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 14:17:26.354259
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

COUNTS = (
    "appointments", "cancelled", "no_show", "arrivals", "deposited", "incomplete",
    "redirected", "pending", "wait_n",
)


def upgrade() -> None:
    op.create_table(
        "stats_rollup",
        sa.Column("period", sa.String(length=1), nullable=False),
        sa.Column("dim", sa.String(length=10), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS),
        sa.Column("wait_sum_s", sa.BigInteger(), nullable=False),
        sa.Column("service_n", sa.Integer(), nullable=False),
        sa.Column("service_sum_s", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("period", "dim", "day", "key", name=op.f("pk_stats_rollup")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "stats_duration",
        sa.Column("period", sa.String(length=1), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("minute", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("period", "kind", "day", "minute",
                                name=op.f("pk_stats_duration")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "stats_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_audit_id", sa.BigInteger(), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stats_state")),
    )


def downgrade() -> None:
    op.drop_table("stats_state")
    op.drop_table("stats_duration")
    op.drop_table("stats_rollup")
