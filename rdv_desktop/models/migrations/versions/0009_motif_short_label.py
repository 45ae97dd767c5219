"""a motif's short label, for charts and tight tables

A chart of motifs cut « Admission exceptionnelle au séjour… » four times over; the catalogue
now says how each motif reads when space is short (« AES – VPF »). Existing rows of the shipped
catalogue get the shipped short labels; other motifs keep "" and are abbreviated by rule.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 12:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# The short labels of resources/catalogue.toml (version 2026.12-1) when this was written.
SHIPPED = {
    "AES_VPF": "AES – VPF",
    "AES_SALARIE": "AES – salarié / TT",
    "AES_METIERS_TENSION": "AES – métiers en tension",
    "AES_ASE_16_18": "AES – jeune majeur ASE",
    "AES_OACAS": "AES – OACAS",
    "VPF_LIENS_PERSO": "VPF – liens personnels",
    "VPF_ENTRE_AVANT_13": "VPF – entré(e) avant 13 ans",
    "VPF_NE_EN_FRANCE": "VPF – né(e) en France",
    "RETRAITE": "Retraité",
    "CONJOINT_RETRAITE": "Conjoint de retraité",
    "APS_PARENT_ENFANT_MALADE": "APS – parent d'enfant malade",
    "SALARIE_TT": "Salarié / TT (hors AES)",
    "APATRIDE": "Apatride",
    "APATRIDE_FAMILLE": "Famille d'apatride",
    "ETRANGER_MALADE": "Étranger malade",
    "VICTIME_TRAITE_OU_OP": "Victime de traite / protection",
    "ASE_AVANT_16": "Mineur ASE avant 16 ans",
}


def upgrade() -> None:
    op.add_column("motif", sa.Column("short_label", sa.String(60), nullable=False,
                                     server_default=""))
    motif = sa.table("motif", sa.column("code", sa.String), sa.column("short_label", sa.String))
    for code, short in SHIPPED.items():
        op.execute(motif.update().where(motif.c.code == code).values(short_label=short))


def downgrade() -> None:
    op.drop_column("motif", "short_label")
