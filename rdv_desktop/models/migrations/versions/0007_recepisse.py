"""récépissé follow-up (due date, hand-over, collection visits); queue priority and companions

R431-12 requires a récépissé for a complete dossier within a reasonable time, at most four
months (Conseil d'État, 6 May 2025). A complete dossier now carries the date by which it must
be handed over (`dossier.recepisse_due_on`, set at deposit from the `recepisse_due_days`
setting); each hand-over is a `recepisse` row (number, validity, work mention, who, when; a
cancelled one keeps its row with the cancellation); an appointment created by the arrival desk
for someone who comes to collect it names the dossier number in `appointment.recepisse_for`.

The same revision gives an appointment its queue priority (`appointment.priority`: a CMI
priorité/invalidité card, pregnancy, a young child) and its companions (`companion`: a minor's
legal representative, an interpreter and the language), issue 12 item 6.

Complete dossiers registered before this migration get their due date from their deposit day
and the default of 120 days (no site had the setting before).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 09:00:00
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

DEFAULT_DUE_DAYS = 120
PARIS = ZoneInfo("Europe/Paris")


def _backfill_due_dates() -> None:
    dossier = sa.table("dossier", sa.column("id", sa.Integer()),
                       sa.column("deposited_at", sa.DateTime(timezone=True)),
                       sa.column("complete", sa.Boolean()),
                       sa.column("number", sa.String()),
                       sa.column("recepisse_due_on", sa.Date()))
    bind = op.get_bind()
    rows = bind.execute(sa.select(dossier.c.id, dossier.c.deposited_at).where(
        dossier.c.complete.is_(True), dossier.c.number.is_not(None))).all()
    for dossier_id, deposited_at in rows:
        when: datetime = deposited_at
        if when.tzinfo is None:  # SQLite keeps UTC without its zone
            when = when.replace(tzinfo=UTC)
        due = when.astimezone(PARIS).date() + timedelta(days=DEFAULT_DUE_DAYS)
        bind.execute(dossier.update().where(dossier.c.id == dossier_id)
                     .values(recepisse_due_on=due))


def upgrade() -> None:
    with op.batch_alter_table("dossier", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recepisse_due_on", sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f("ix_dossier_recepisse_due_on"), ["recepisse_due_on"],
                              unique=False)
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recepisse_for", sa.String(length=40), nullable=True))
        batch_op.create_index(batch_op.f("ix_appointment_recepisse_for"), ["recepisse_for"],
                              unique=False)
    op.create_table(
        "recepisse",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=True),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("work_mention", sa.String(length=12), nullable=False),
        sa.Column("handed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("handed_by", sa.Integer(), nullable=True),
        sa.Column("station", sa.String(length=100), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_by", sa.Integer(), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["appointment_id"], ["appointment.id"],
                                name=op.f("fk_recepisse_appointment_id_appointment")),
        sa.ForeignKeyConstraint(["cancelled_by"], ["app_user.id"],
                                name=op.f("fk_recepisse_cancelled_by_app_user")),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossier.id"],
                                name=op.f("fk_recepisse_dossier_id_dossier")),
        sa.ForeignKeyConstraint(["handed_by"], ["app_user.id"],
                                name=op.f("fk_recepisse_handed_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recepisse")),
    )
    op.create_index(op.f("ix_recepisse_dossier_id"), "recepisse", ["dossier_id"], unique=False)
    op.add_column("appointment", sa.Column("priority", sa.String(length=12), nullable=True))
    op.create_table(
        "companion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(["appointment_id"], ["appointment.id"],
                                name=op.f("fk_companion_appointment_id_appointment")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_companion")),
    )
    op.create_index(op.f("ix_companion_appointment_id"), "companion", ["appointment_id"],
                    unique=False)
    _backfill_due_dates()


def _drop_column(table: str, column: str) -> None:
    """Without rebuilding the table: on SQLite a batch rebuild drops `appointment` and
    `dossier`, which other tables' rows refer to (foreign keys are on), and fails."""
    op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")  # SQLite 3.35 and later
    else:
        op.drop_column(table, column)


def downgrade() -> None:
    op.drop_index(op.f("ix_companion_appointment_id"), table_name="companion")
    op.drop_table("companion")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE appointment DROP COLUMN priority")
    else:
        op.drop_column("appointment", "priority")
    op.drop_index(op.f("ix_recepisse_dossier_id"), table_name="recepisse")
    op.drop_table("recepisse")
    _drop_column("appointment", "recepisse_for")
    _drop_column("dossier", "recepisse_due_on")
