"""the law of the deposit: blocking pieces, motif rules, pieces to complete

R431-11 (décret 2025-539) splits missing pieces into *bloquantes* (registration refused) and
*à compléter* (registered, then asked for by a date). The catalogue records which is which and
the legal facts of each motif (card category, validity dates, photo count, proof-of-address
age, implicit-decision delay, birth-date window, what the préfecture hands over). Dossiers keep
the date by which pieces are awaited and when the last one came.

Existing rows get the old behaviour: no piece blocking (the next catalogue load sets them),
3 photos, 3 months, 4 months, nothing awaited.

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-30 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("piece") as batch:
        batch.add_column(sa.Column("blocking", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    with op.batch_alter_table("motif") as batch:
        batch.add_column(sa.Column("card_label", sa.String(200), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("valid_until", sa.Date(), nullable=True))
        batch.add_column(sa.Column("photos", sa.Integer(), nullable=False, server_default="3"))
        batch.add_column(sa.Column("address_months", sa.Integer(), nullable=False,
                                   server_default="3"))
        batch.add_column(sa.Column("decision_months", sa.Integer(), nullable=False,
                                   server_default="4"))
        batch.add_column(sa.Column("age_from", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("age_before", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("handover", sa.JSON(), nullable=False,
                                   server_default="[]"))
    with op.batch_alter_table("dossier") as batch:
        batch.add_column(sa.Column("pieces_due_by", sa.Date(), nullable=True))
        batch.add_column(sa.Column("pieces_completed_at", sa.DateTime(timezone=True),
                                   nullable=True))
        batch.create_index(batch.f("ix_dossier_pieces_due_by"), ["pieces_due_by"], unique=False)
    with op.batch_alter_table("dossier_piece") as batch:
        batch.add_column(sa.Column("blocking", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("received_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dossier_piece") as batch:
        batch.drop_column("received_at")
        batch.drop_column("blocking")
    with op.batch_alter_table("dossier") as batch:
        batch.drop_index(batch.f("ix_dossier_pieces_due_by"))
        batch.drop_column("pieces_completed_at")
        batch.drop_column("pieces_due_by")
    with op.batch_alter_table("motif") as batch:
        for column in ("handover", "age_before", "age_from", "decision_months",
                       "address_months", "photos", "valid_until", "card_label"):
            batch.drop_column(column)
    with op.batch_alter_table("piece") as batch:
        batch.drop_column("blocking")
