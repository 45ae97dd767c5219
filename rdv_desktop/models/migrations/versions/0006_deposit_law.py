"""the law of the deposit: blocking pieces, motif rules, pieces to complete

R431-11 (décret 2025-539) splits missing pieces into *bloquantes* (registration refused) and
*à compléter* (registered, then asked for by a date). The catalogue records which is which and
the legal facts of each motif (card category, validity dates, photo count, proof-of-address
age, implicit-decision delay, birth-date window, what the préfecture hands over). Dossiers keep
the date by which pieces are awaited and when the last one came.

Existing rows get the old behaviour: no piece blocking (the next catalogue load sets them),
3 photos, 3 months, 4 months, nothing awaited.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN on both databases: a batch rebuild would drop tables other
    # rows refer to (motif_piece → piece, dossier_piece → dossier).
    op.add_column("piece", sa.Column("blocking", sa.Boolean(), nullable=False,
                                     server_default=sa.false()))
    op.add_column("motif", sa.Column("card_label", sa.String(200), nullable=False,
                                     server_default=""))
    op.add_column("motif", sa.Column("valid_until", sa.Date(), nullable=True))
    for column, default in (("photos", "3"), ("address_months", "3"), ("decision_months", "4")):
        op.add_column("motif", sa.Column(column, sa.Integer(), nullable=False,
                                         server_default=default))
    op.add_column("motif", sa.Column("age_from", sa.Integer(), nullable=True))
    op.add_column("motif", sa.Column("age_before", sa.Integer(), nullable=True))
    op.add_column("motif", sa.Column("handover", sa.JSON(), nullable=False,
                                     server_default="[]"))
    op.add_column("dossier", sa.Column("pieces_due_by", sa.Date(), nullable=True))
    op.add_column("dossier", sa.Column("pieces_completed_at", sa.DateTime(timezone=True),
                                       nullable=True))
    op.create_index(op.f("ix_dossier_pieces_due_by"), "dossier", ["pieces_due_by"],
                    unique=False)
    op.add_column("dossier_piece", sa.Column("blocking", sa.Boolean(), nullable=False,
                                             server_default=sa.false()))
    op.add_column("dossier_piece", sa.Column("received_at", sa.DateTime(timezone=True),
                                             nullable=True))


def downgrade() -> None:
    # Columns are dropped in place (SQLite 3.35+ and PostgreSQL): a batch rebuild would drop
    # the dossier table that dossier_piece and timbre rows refer to.
    op.drop_column("dossier_piece", "received_at")
    op.drop_column("dossier_piece", "blocking")
    op.drop_index(op.f("ix_dossier_pieces_due_by"), table_name="dossier")
    op.drop_column("dossier", "pieces_completed_at")
    op.drop_column("dossier", "pieces_due_by")
    for column in ("handover", "age_before", "age_from", "decision_months", "address_months",
                   "photos", "valid_until", "card_label"):
        op.drop_column("motif", column)
    op.drop_column("piece", "blocking")
