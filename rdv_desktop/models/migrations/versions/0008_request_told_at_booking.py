"""the request type and a renewal's current titre, told at booking

The convocation of a renewal states the current titre's expiry date (it is shown as proof
that the request came in time), and the counter sees a renewal filed after that date (late
renewal fee). Older appointments keep NULL: nothing was told.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("appointment", sa.Column("request_kind", sa.String(30), nullable=True))
    op.add_column("appointment", sa.Column("titre_expires_on", sa.Date(), nullable=True))


def downgrade() -> None:
    op.drop_column("appointment", "titre_expires_on")
    op.drop_column("appointment", "request_kind")
