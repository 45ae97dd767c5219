"""The récépissé follow-up on both databases: due dates, the overdue list as the clock moves,
« récépissé remis » recorded and cancelled (audited), refusals that change nothing, the export."""

from __future__ import annotations

import csv
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from rdv_desktop.errors import InvalidTransition, NotFound, PermissionDenied, ValidationError
from rdv_desktop.models import AuditEvent, Dossier, Recepisse
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.core.clock import FixedClock
from rdv_desktop.services.recepisse import HandOver, RecepisseFilter
from rdv_desktop.services.setup import Services
from tests.recepisse.conftest import deposit_on

DAY = date(2026, 11, 26)


def hand(recepisse: str, dossier: str, **changes: object) -> HandOver:
    values: dict[str, object] = {
        "dossier_number": dossier, "number": recepisse, "valid_from": DAY + timedelta(days=30),
        "valid_until": DAY + timedelta(days=210), "work_mention": "work"}
    values.update(changes)
    return HandOver(**values)  # type: ignore[arg-type]


def audit_count(services: Services) -> int:
    with services.ctx.db.read() as s:
        return s.scalar(select(func.count(AuditEvent.id))) or 0


def test_a_complete_deposit_is_due_within_the_configured_days(
        services: Services, clock: FixedClock, accueil: Actor, agent: Actor, admin: Actor
) -> None:
    first = deposit_on(services, clock, accueil, agent, DAY)
    services.office.admin.set_setting(admin, "recepisse_due_days", 90)
    second = deposit_on(services, clock, accueil, agent, DAY + timedelta(days=1), "Bah")
    with services.ctx.db.read() as s:
        due = dict(s.execute(select(Dossier.number, Dossier.recepisse_due_on)).tuples().all())
    assert due[first.number] == DAY + timedelta(days=120)  # the default: four months at most
    assert due[second.number] == DAY + timedelta(days=91)
    with pytest.raises(ValidationError):
        services.office.admin.set_setting(admin, "recepisse_due_days", 0)


def test_the_overdue_list_follows_the_clock(services: Services, clock: FixedClock,
                                            accueil: Actor, agent: Actor,
                                            manager: Actor) -> None:
    early = deposit_on(services, clock, accueil, agent, DAY, "Aaa")
    earlier = deposit_on(services, clock, accueil, agent, DAY - timedelta(days=3), "Bbb")
    later = deposit_on(services, clock, accueil, agent, DAY + timedelta(days=20), "Ccc")
    rec = services.recepisse

    clock.set(clock.now().replace(year=2027, month=3, day=26))  # DAY + 120: due today
    assert [r.dossier_number for r in rec.rows(manager, RecepisseFilter.OVERDUE)] == [
        earlier.number]
    assert (rec.counts(manager).pending, rec.counts(manager).overdue) == (3, 1)

    clock.advance(days=1)  # DAY + 121: « early » is now late too
    overdue = rec.rows(manager, RecepisseFilter.OVERDUE)
    assert [r.dossier_number for r in overdue] == [earlier.number, early.number]
    assert overdue[0].state_text(rec.today()) == "en retard de 4 j"
    pending = rec.rows(manager, RecepisseFilter.PENDING)
    assert [r.dossier_number for r in pending] == [earlier.number, early.number, later.number]
    assert not pending[2].overdue(rec.today())
    assert (rec.counts(manager).pending, rec.counts(manager).overdue) == (3, 2)

    rec.hand_over(manager, hand("R-000111", early.number or ""))
    assert [r.dossier_number for r in rec.rows(manager, RecepisseFilter.OVERDUE)] == [
        earlier.number]
    handed = rec.rows(manager, RecepisseFilter.HANDED)
    assert [(r.dossier_number, r.recepisse_number, r.handed_by) for r in handed] == [
        (early.number, "R-000111", "Chef")]
    assert (rec.counts(manager).pending, rec.counts(manager).overdue) == (2, 1)

    # A revoked attestation leaves the list: there is no récépissé for it any more.
    services.dossiers.revoke(manager, earlier.number or "", "erreur de saisie")
    assert rec.rows(manager, RecepisseFilter.OVERDUE) == []


def test_recording_and_cancelling_are_audited(services: Services, clock: FixedClock,
                                              accueil: Actor, agent: Actor,
                                              manager: Actor) -> None:
    dossier = deposit_on(services, clock, accueil, agent, DAY)
    number = dossier.number or ""
    done = services.recepisse.hand_over(agent, hand(" R 2026/0042 ", number,
                                                    work_mention="accessory"))
    assert done.row.recepisse_number == "R 2026/0042"
    assert done.row.work_label == "autorise à travailler à titre accessoire"
    assert done.row.handed_by == "Agent1"
    with pytest.raises(InvalidTransition, match="déjà remis"):
        services.recepisse.hand_over(manager, hand("R-2", number))
    with pytest.raises(ValidationError, match="raison"):
        services.recepisse.cancel(manager, done.row.recepisse_id or 0, "  ")
    undone = services.recepisse.cancel(manager, done.row.recepisse_id or 0, "mauvais numéro")
    assert not undone.row.handed
    again = services.recepisse.hand_over(agent, hand("R 2026/0043", number))
    assert again.row.recepisse_number == "R 2026/0043"

    with services.ctx.db.read() as s:
        rows = s.scalars(select(AuditEvent).where(AuditEvent.action.like("recepisse_%"))
                         .order_by(AuditEvent.id)).all()
        records = s.scalars(select(Recepisse).order_by(Recepisse.id)).all()
        assert [(e.action, e.user_login, e.entity_id, e.reason) for e in rows] == [
            ("recepisse_handed", "agent1", number, None),
            ("recepisse_cancelled", "chef", number, "mauvais numéro"),
            ("recepisse_handed", "agent1", number, None),
        ]
        assert rows[0].after is not None and rows[0].after["work_mention"] == "accessory"
        assert rows[0].appointment_id == dossier.appointment_id
        # The cancelled record stays, dated, with who and why.
        assert [(r.number, r.cancel_reason is not None) for r in records] == [
            ("R 2026/0042", True), ("R 2026/0043", False)]


@pytest.mark.parametrize(("changes", "message"), [
    ({"number": "  "}, "numéro du récépissé"),
    ({"number": "=CMD()"}, "invalide"),
    ({"number": "R" * 41}, "invalide"),
    ({"work_mention": "peut-être"}, "mention"),
    ({"valid_until": DAY}, "précède"),
    ({"valid_until": DAY + timedelta(days=500)}, "au plus un an"),
    ({"valid_from": DAY - timedelta(days=1), "valid_until": DAY + timedelta(days=100)},
     "avant le dépôt"),
])
def test_bad_input_is_refused_in_french_and_changes_nothing(
        services: Services, clock: FixedClock, accueil: Actor, agent: Actor,
        changes: dict[str, object], message: str) -> None:
    dossier = deposit_on(services, clock, accueil, agent, DAY)
    before = audit_count(services)
    with pytest.raises(ValidationError, match=message):
        services.recepisse.hand_over(agent, hand("R-1", dossier.number or "", **changes))
    assert audit_count(services) == before
    with services.ctx.db.read() as s:
        assert s.scalar(select(func.count(Recepisse.id))) == 0


def test_who_may_do_what(services: Services, clock: FixedClock, accueil: Actor, agent: Actor,
                         manager: Actor) -> None:
    dossier = deposit_on(services, clock, accueil, agent, DAY)
    with pytest.raises(PermissionDenied):
        services.recepisse.hand_over(accueil, hand("R-1", dossier.number or ""))
    with pytest.raises(PermissionDenied):
        services.recepisse.rows(agent, RecepisseFilter.PENDING)
    with pytest.raises(NotFound, match="introuvable"):
        services.recepisse.hand_over(manager, hand("R-1", "CANTAL-2026-999999"))


def test_the_export_keeps_hostile_names_as_text(services: Services, clock: FixedClock,
                                                accueil: Actor, agent: Actor, manager: Actor,
                                                tmp_path) -> None:
    dossier = deposit_on(services, clock, accueil, agent, DAY, "=HYPERLINK(\"x\")")
    target = tmp_path / "recepisses.csv"
    result = services.recepisse.export_csv(manager, RecepisseFilter.PENDING, target)
    assert result.rows == 1
    with target.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle, delimiter=";"))
    assert lines[0][:2] == ["Dossier", "Demandeur"]
    assert lines[1][0] == dossier.number
    assert lines[1][1].startswith("'=HYPERLINK")
    assert lines[1][4] == "26/03/2027"
    with pytest.raises(ValidationError, match="CSV"):
        services.recepisse.export_csv(manager, RecepisseFilter.PENDING, tmp_path / "r.xlsx")
    with services.ctx.db.read() as s:
        assert s.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "export")) == 1


def test_a_subject_access_export_names_the_recepisse(services: Services, clock: FixedClock,
                                                     accueil: Actor, agent: Actor,
                                                     admin: Actor) -> None:
    dossier = deposit_on(services, clock, accueil, agent, DAY)
    services.recepisse.hand_over(agent, hand("R-55", dossier.number or ""))
    reference = services.appointments.get(dossier.appointment_id).reference
    data = services.office.retention.export_person(admin, reference=reference)
    [recepisse] = data["dossiers"][0]["recepisses"]
    assert (recepisse["number"], recepisse["work_mention"]) == ("R-55", "work")
    assert data["dossiers"][0]["recepisse_due_on"] == "2027-03-26"
