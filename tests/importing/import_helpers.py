"""Helpers shared by the import tests (imported by name: conftest puts this folder on the path)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from rdv_desktop.models import Appointment, AuditEvent
from rdv_desktop.services.setup import Services

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"


def sample(name: str) -> Path:
    return SAMPLES / name


def counts(services: Services) -> tuple[int, int]:
    """(appointments, audit events): what an import may change."""
    with services.ctx.db.read() as s:
        return (s.scalar(select(func.count()).select_from(Appointment)) or 0,
                s.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def snapshot(services: Services) -> list[tuple[object, ...]]:
    """Every appointment column, to prove a second import changed nothing."""
    with services.ctx.db.read() as s:
        rows = s.scalars(select(Appointment).order_by(Appointment.reference)).all()
        columns = [c.key for c in Appointment.__table__.columns]
        return [tuple(getattr(a, c) for c in columns) for a in rows]


def big_csv(path: Path, rows: int, given: str = "Jane") -> Path:
    """A CSV in the documented format with `rows` distinct people (a large export).

    References are BIG-0, BIG-1…, so a second file with another `given` updates the same rows.
    """
    lines = ["Référence;Nom;Prénom;Date;Heure;Motif"] + [
        f"BIG-{i};Doe{i};{given};27/11/2026;{8 + i // 60 % 10:02d}:{i % 60:02d};RETRAITE"
        for i in range(rows)]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def by_reference(services: Services) -> dict[str, Appointment]:
    with services.ctx.db.read() as s:
        return {a.reference: a for a in s.scalars(select(Appointment))}
