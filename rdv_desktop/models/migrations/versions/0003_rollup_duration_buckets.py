"""per-row histograms of waiting and service times in the statistics rollups

The rollups are derived data: the table is recreated with its new columns and the state row is
removed, so the next look at the dashboard rebuilds every rollup from the appointments.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 16:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

COUNTS = (
    "appointments", "cancelled", "no_show", "arrivals", "deposited", "incomplete",
    "redirected", "pending", "wait_n",
)
# Frozen copy of models.stats.DURATION_BUCKETS as of this revision.
BUCKETS = (0, 5, 10, 15, 20, 25, 30, 40, 50, 60, 75, 90, 120, 150, 180, 240)


def _create_rollup(with_buckets: bool) -> None:
    buckets = [f"{kind}_b{lower:03d}" for kind in ("wait", "service") for lower in BUCKETS]
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
        *(sa.Column(name, sa.Integer(), nullable=False)
          for name in (buckets if with_buckets else ())),
        sa.PrimaryKeyConstraint("period", "dim", "day", "key", name=op.f("pk_stats_rollup")),
        sqlite_with_rowid=False,
    )


def _forget_rollups() -> None:
    op.drop_table("stats_rollup")
    op.execute(sa.text("DELETE FROM stats_duration"))
    op.execute(sa.text("DELETE FROM stats_state"))


def upgrade() -> None:
    _forget_rollups()
    _create_rollup(with_buckets=True)


def downgrade() -> None:
    _forget_rollups()
    _create_rollup(with_buckets=False)
