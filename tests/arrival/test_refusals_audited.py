"""Refused scans and refused verifications leave an audit row: reason and claimed number only."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from rdv_desktop.models import AuditEvent
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.counter.appointment_views import AppointmentView
from rdv_desktop.services.setup import Services
from tests.arrival.conftest import Book

Code = Callable[[AppointmentView], str]


def rows(services: Services, action: str) -> list[AuditEvent]:
    with services.ctx.db.read() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action)
                              .order_by(AuditEvent.id)))


def test_refused_scans_are_audited_without_the_scanned_text(
        services: Services, accueil: Actor, book: Book, code_of: Code) -> None:
    view = book()
    code = code_of(view)
    assert services.checkin.scan(accueil, "PAS-UN-CODE-DUPONT").kind == "red"
    assert services.checkin.scan(accueil, code, accept_timing=True).kind == "green"
    assert services.checkin.scan(accueil, code).kind == "red"  # a second scan
    assert services.checkin.scan(accueil, "   ").kind == "red"  # nothing read: no row
    refused = rows(services, "scan_refused")
    assert [r.after["reason"] for r in refused] == ["unknown", "already"]
    assert refused[1].appointment_id == view.id
    assert all("DUPONT" not in str(r.after) and r.user_login == "accueil1" for r in refused)


def test_refused_verifications_are_audited(services: Services, admin: Actor, book: Book,
                                           code_of: Code) -> None:
    forged = code_of(book())[:-4] + "AAAA"
    result = services.keys.check(admin, forged)
    assert not result.ok
    [row] = rows(services, "verification_refused")
    assert row.after["status"] == result.status.value
    assert services.keys.check(admin, "n'importe quoi").status.value == "not_ours"
    assert len(rows(services, "verification_refused")) == 2
