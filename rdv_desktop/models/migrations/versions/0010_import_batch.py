"""import batches: an import commits in short transactions and can be taken back whole

On SQLite one transaction for a whole file held the write lock for as long as the import ran
(55 s for 200,000 rows), so every other station's deposit failed. An import now writes in
short transactions under an `import_batch`; `import_batch_item` lists what each wrote, so that
a cancel or a failure removes the batch whole (services/importing/batch.py, docs/import-limits.md).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("user_login", sa.String(64), nullable=False),
        sa.Column("station", sa.String(100), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_import_batch"),
    )
    op.create_index("ix_import_batch_state", "import_batch", ["state"])
    op.create_table(
        "import_batch_item",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=False),
        sa.Column("created", sa.Boolean(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("outcome", sa.String(12), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_import_batch_item"),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batch.id"],
                                name="fk_import_batch_item_batch_id_import_batch"),
    )
    op.create_index("ix_import_batch_item_batch_id", "import_batch_item", ["batch_id"])


def downgrade() -> None:
    op.drop_index("ix_import_batch_item_batch_id", "import_batch_item")
    op.drop_table("import_batch_item")
    op.drop_index("ix_import_batch_state", "import_batch")
    op.drop_table("import_batch")
