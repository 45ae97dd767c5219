"""A person comes back for the récépissé: the desk scans the attestation and queues them, the
counter calls them like anyone else and records the récépissé; an undo at the counter takes
the record back (audited). Both databases."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from rdv_desktop.errors import InvalidTransition
from rdv_desktop.models import Appointment, AuditEvent, Recepisse
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.core.clock import FixedClock
from rdv_desktop.services.counter import Stage
from rdv_desktop.services.recepisse import HandOver, RecepisseFilter
from rdv_desktop.services.setup import Services
from rdv_desktop.services.signing.signed_code import sign_code
from tests.flows import deposit
from tests.recepisse.conftest import deposit_on

DAY = date(2026, 11, 26)
LATER = DAY + timedelta(days=40)


def test_the_desk_scan_of_an_attestation_queues_its_holder(
        services: Services, clock: FixedClock, accueil: Actor, agent: Actor,
        manager: Actor) -> None:
    dossier = deposit_on(services, clock, accueil, agent, DAY)
    assert dossier.qr_payload and dossier.number
    clock.set(clock.now() + timedelta(days=40))

    green = services.checkin.scan(accueil, dossier.qr_payload + "\n")
    assert (green.kind, green.reason) == ("green", "recepisse_queued")
    assert green.view is not None and green.ticket == "A001"
    assert green.view.recepisse_for == dossier.number
    assert green.view.stage is Stage.WAITING and green.view.slot_date == LATER
    assert green.details[0] == "DIALLO Awa" and green.details[1] == f"Dossier {dossier.number}"

    again = services.checkin.scan(accueil, dossier.qr_payload)
    assert (again.kind, again.reason) == ("red", "already")
    assert "A001" in " ".join(again.details)

    # The counter calls the visit like anyone else and records the récépissé: one act.
    called = services.counter.call_next(agent)
    assert called.view is not None and called.view.id == green.view.id
    services.counter.receive(agent)
    with pytest.raises(InvalidTransition, match="récépissé"):  # no deposit for this visit
        deposit(services, agent, green.view.id)
    request = HandOver(dossier.number, "R-1234", LATER, LATER + timedelta(days=180), "no_work",
                       appointment_id=green.view.id)
    done = services.recepisse.hand_over(agent, request)
    assert [v.stage for v in done.views] == [Stage.RECEPISSE_HANDED]
    assert services.counter.current(agent) is None  # the counter is free again
    assert services.recepisse.rows(manager, RecepisseFilter.PENDING) == []
    assert services.checkin.scan(accueil, dossier.qr_payload).reason == "recepisse_refused"

    # Undo at the counter: the visit is open again and its récépissé record is cancelled.
    preview = services.counter.undo_preview(agent, green.view.id)
    assert preview.step_label == "la remise du récépissé"
    assert "L'enregistrement du récépissé remis sera annulé." in preview.takes_back
    services.counter.undo(agent, green.view.id, "mauvais récépissé")
    assert [r.dossier_number for r in services.recepisse.rows(
        manager, RecepisseFilter.PENDING)] == [dossier.number]
    with services.ctx.db.read() as s:
        record = s.scalars(select(Recepisse)).one()
        assert record.cancel_reason == "Étape annulée : mauvais récépissé"
        visit = s.get_one(Appointment, green.view.id)
        assert visit.outcome == "pending" and visit.service_started_at is not None
        visit_steps = s.scalars(select(AuditEvent.action).where(
            AuditEvent.appointment_id == green.view.id).order_by(AuditEvent.id)).all()
        trail = s.execute(select(AuditEvent.action, AuditEvent.user_login, AuditEvent.reason)
                          .where(AuditEvent.action.in_(("recepisse_handed",
                                                        "recepisse_cancelled")))
                          .order_by(AuditEvent.id)).tuples().all()
    assert visit_steps == ["appointment_created", "recepisse_visit_queued", "checkin",
                           "scan_refused", "call",
                           "start_service", "outcome", "undo"]
    assert trail == [("recepisse_handed", "agent1", None),
                     ("recepisse_cancelled", "agent1", "Étape annulée : mauvais récépissé")]

def test_the_desk_refuses_what_gets_no_recepisse(services: Services, clock: FixedClock,
                                                 accueil: Actor, agent: Actor,
                                                 manager: Actor) -> None:
    revoked = deposit_on(services, clock, accueil, agent, DAY)
    services.dossiers.revoke(manager, revoked.number or "", "erreur")
    red = services.checkin.scan(accueil, revoked.qr_payload or "")
    assert (red.kind, red.reason) == ("red", "recepisse_refused")
    assert "révoquée" in red.details[0]

    # An authentic code that is not the one stored for that dossier (signed again by the
    # site's key for another instant): refused, nothing queued.
    other = deposit_on(services, clock, accueil, agent, DAY, "Bah")
    resigned = sign_code("A", "CANTAL", other.number or "", clock.now() + timedelta(hours=1),
                         services.keys.signer())
    # The record check answers first: that attestation was not issued at that instant.
    assert services.checkin.scan(accueil, resigned).reason == "future"
    with services.ctx.db.read() as s:
        assert s.scalars(select(Appointment).where(
            Appointment.recepisse_for.is_not(None))).all() == []
        refusals = s.scalars(select(AuditEvent.entity_id).where(
            AuditEvent.action == "scan_refused")).all()
    assert refusals == ["recepisse_refused", "future"]
