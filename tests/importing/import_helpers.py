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


def big_csv(path: Path, rows: int, given: str = "Jane", day: str = "27/11/2026") -> Path:
    """A CSV in the documented format with `rows` distinct people (a large export).

    References are BIG-0, BIG-1…, so a second file with another `given` updates the same rows.
    """
    lines = ["Référence;Nom;Prénom;Date;Heure;Motif"] + [
        f"BIG-{i};Doe{i};{given};{day};{8 + i // 60 % 10:02d}:{i % 60:02d};RETRAITE"
        for i in range(rows)]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def by_reference(services: Services) -> dict[str, Appointment]:
    with services.ctx.db.read() as s:
        return {a.reference: a for a in s.scalars(select(Appointment))}


def future_sample(name: str, folder: Path) -> Path:
    """A copy of a CSV sample with its November 2026 slots moved to November 2099: run with the
    real clock (the command line), the samples' own dates are past and would not be created."""
    raw = sample(name).read_bytes()
    moved = raw.replace(b"/11/2026", b"/11/2099").replace(b"2026-11-", b"2099-11-")
    path = folder / name
    path.write_bytes(moved)
    return path


def assert_taken_back(services: Services, before: tuple[int, int],
                      appointments_before: list[tuple[object, ...]] | None = None) -> None:
    """After a cancel: the appointments are as they were and every audit row the cancelled
    import committed is answered by a withdrawal, under one `import_removed` row."""
    assert counts(services)[0] == before[0]
    if appointments_before is not None:
        assert snapshot(services) == appointments_before
    with services.ctx.db.read() as s:
        rows = s.execute(select(AuditEvent.action, AuditEvent.appointment_id)
                         .where(AuditEvent.id > before[1]).order_by(AuditEvent.id)).all()
    if not rows:
        return  # cancelled before its first chunk committed: not a trace
    written = {a for action, a in rows if action not in ("import_withdrawn", "import_removed")}
    withdrawn = {a for action, a in rows if action == "import_withdrawn"}
    assert written == withdrawn and written
    assert [action for action, _ in rows].count("import_removed") == 1
    assert rows[-1][0] == "import_removed"
