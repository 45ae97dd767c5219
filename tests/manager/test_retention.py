"""Purge anonymises identity but keeps counts and dossier numbers; subject access; backup."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rdv_desktop.errors import NotFound, ValidationError
from rdv_desktop.models import Appointment, AuditEvent, Dossier
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.office.retention import ANONYMOUS_NAME, months_before
from rdv_desktop.services.setup import Services

from .conftest import TODAY


def test_months_before_clamps_to_month_end() -> None:
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 11, 26), 24) == date(2024, 11, 26)
    assert months_before(date(2026, 1, 15), 1) == date(2025, 12, 15)


def test_purge_keeps_statistics_and_numbers(history: Services, admin: Actor,
                                            manager: Actor, clock) -> None:
    retention, stats = history.office.retention, history.office.stats
    start, end = TODAY - timedelta(days=40), TODAY
    before = stats.report(manager, start, end)
    with history.ctx.db.read() as s:
        numbers_before = sorted(s.scalars(select(Dossier.number)
                                          .where(Dossier.number.is_not(None))))
    # A printed paper of today is kept on disk, with the applicant's name inside.
    with history.ctx.db.read() as s:
        number = s.scalar(select(Dossier.number).where(Dossier.number.is_not(None),
                                                       Dossier.revoked_at.is_(None)).limit(1))
    old_copy = history.documents.attestation(manager, number, reprint=True).kept_at
    assert old_copy is not None and old_copy.exists()
    # One month of retention: everything closed before 26/10 is affected... nothing here;
    # move the clock two months on so the whole history is older than one month.
    clock.advance(days=61)
    recent_copy = history.documents.attestation(manager, number, reprint=True).kept_at
    assert recent_copy is not None and recent_copy.parent != old_copy.parent
    with pytest.raises(ValidationError, match="non confirmée"):
        retention.purge(admin, 1)
    dry = retention.purge(admin, 1, dry_run=True)
    with history.ctx.db.read() as s:
        closed_old = s.scalar(select(func.count()).select_from(Appointment).where(
            Appointment.slot_date < dry.cutoff))  # never-closed ones too
        anonymised = s.scalar(select(func.count()).select_from(Appointment).where(
            Appointment.family_name == ANONYMOUS_NAME))
    assert dry.count == closed_old > 0
    assert anonymised == 0  # the dry run changed nothing
    assert dry.pdfs == 1 and old_copy.exists()  # counted, not deleted
    done = retention.purge(admin, 1, confirmed=True)
    assert done.count == dry.count
    assert done.pdfs == 1 and not old_copy.exists() and recent_copy.exists()
    with history.ctx.db.read() as s:
        purged = s.scalars(select(Appointment).where(Appointment.anonymised_at.is_not(None))
                           ).all()
        assert len(purged) == done.count
        for a in purged:
            assert a.family_name == ANONYMOUS_NAME
            assert (a.given_names, a.birth_date, a.nationality, a.phone, a.foreign_number,
                    a.birth_place) == ("", None, "", "", "", "")
        numbers_after = sorted(s.scalars(select(Dossier.number)
                                         .where(Dossier.number.is_not(None))))
        audit = s.scalar(select(AuditEvent).where(AuditEvent.action == "purge"))
    assert numbers_after == numbers_before
    assert audit.after["anonymised"] == done.count
    after = stats.report(manager, start, end)
    assert after.totals == before.totals and after.by_motif == before.by_motif
    assert retention.purge(admin, 1, confirmed=True).count == 0  # idempotent


def test_purge_refuses_a_zero_period(services: Services, admin: Actor) -> None:
    with pytest.raises(ValidationError, match="au moins un mois"):
        services.office.retention.purge(admin, 0, confirmed=True)


def test_subject_access_gathers_everything(history: Services, admin: Actor) -> None:
    with history.ctx.db.read() as s:
        a = s.scalar(select(Appointment).join(Dossier, Dossier.appointment_id == Appointment.id)
                     .where(Dossier.number.is_not(None)).limit(1))
    data = history.office.retention.export_person(admin, reference=a.reference)
    assert data["appointments"][0]["family_name"] == a.family_name
    assert data["dossiers"][0]["number"]
    assert data["dossiers"][0]["pieces"]
    assert "dossier_registered" in {h["action"] for h in data["history"]}
    by_name = history.office.retention.export_person(
        admin, family_name=a.family_name.lower(), birth_date=a.birth_date)
    assert a.reference in {x["reference"] for x in by_name["appointments"]}
    with pytest.raises(ValidationError):
        history.office.retention.export_person(admin, family_name="X")
    with pytest.raises(NotFound):
        history.office.retention.export_person(admin, reference="NOPE")


def test_backup_of_a_live_sqlite_database(history: Services, admin: Actor,
                                          tmp_path: Path) -> None:
    retention = history.office.retention
    out = tmp_path / "copie.sqlite3"
    if history.ctx.db.dialect != "sqlite":
        with pytest.raises(ValidationError, match="pg_dump"):
            retention.backup(admin, out)
        return
    with history.ctx.db.read() as s:  # a reader holds a snapshot while the copy runs
        count = s.scalar(select(func.count()).select_from(Appointment))
        retention.backup(admin, out)
    with sqlite3.connect(out) as copy:
        assert copy.execute("SELECT count(*) FROM appointment").fetchone()[0] == count
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with pytest.raises(ValidationError, match="existe déjà"):
        retention.backup(admin, out)


def test_purge_also_erases_appointments_never_closed(services: Services, admin: Actor,
                                                     clock) -> None:
    from datetime import time

    from rdv_desktop.services.counter.booking import NewAppointment

    forgotten = services.booking.create(admin, NewAppointment(
        "Oublié", "Jamais", TODAY - timedelta(days=90), time(9, 0), "RETRAITE",
        source="import"))
    assert services.appointments.get(forgotten.id).outcome == "pending"
    services.office.retention.purge(admin, 1, confirmed=True)
    with services.ctx.db.read() as s:
        row = s.get(Appointment, forgotten.id)
        assert row is not None and row.family_name == ANONYMOUS_NAME
        assert row.given_names == "" and row.outcome == "pending"
