"""The PostgreSQL role the stations connect as: everything they need, and on the audit trail
only INSERT and SELECT (no UPDATE, DELETE or TRUNCATE), so no station can rewrite history.

Run by `rdv-admin init-db --app-role NAME` with the account that owns the schema (the owner
itself keeps every right: it is the administrators' account, not the stations')."""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from ..errors import ConfigurationError
from .db import Database

_ROLE = re.compile(r"[a-z_][a-z0-9_]{0,62}")
AUDIT_TABLE = "audit_event"


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def create_app_role(db: Database, role: str, password: str | None) -> None:
    """Create (or bring up to date) the stations' role on the current schema."""
    if db.dialect != "postgresql":
        raise ConfigurationError("Le rôle applicatif ne concerne que PostgreSQL : sur SQLite "
                                 "le fichier de la base est protégé par ses droits (0600).")
    if not _ROLE.fullmatch(role):
        raise ConfigurationError(f"Nom de rôle invalide « {role} » : minuscules, chiffres et "
                                 "_ (63 caractères au plus).")
    try:
        _grant(db, role, password)
    except DBAPIError as exc:
        detail = str(exc.orig).splitlines()[0] if exc.orig is not None else str(exc)
        raise ConfigurationError(
            f"Rôle applicatif {role} non créé ({detail}) : lancez la commande avec le compte "
            "propriétaire du schéma (un superutilisateur pour créer le rôle).") from exc


def _grant(db: Database, role: str, password: str | None) -> None:
    login = f"LOGIN PASSWORD {_literal(password)}" if password else "LOGIN"
    with db.engine.begin() as conn:
        schema = conn.scalar(text("SELECT current_schema()"))
        exists = conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
        verb = "ALTER" if exists else "CREATE"
        conn.execute(text(f'{verb} ROLE "{role}" {login} NOSUPERUSER NOCREATEDB NOCREATEROLE'))
        for statement in (
            f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"',
            f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "{schema}" TO "{role}"',
            f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "{schema}" TO "{role}"',
            f'REVOKE UPDATE, DELETE, TRUNCATE ON "{schema}".{AUDIT_TABLE} FROM "{role}"',
            f'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "{schema}".alembic_version '
            f'FROM "{role}"',
        ):
            conn.execute(text(statement))
