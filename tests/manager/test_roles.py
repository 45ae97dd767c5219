"""Accueil and agent cannot reach the manager's office: refused in the services, and audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from rdv_desktop.errors import PermissionDenied
from rdv_desktop.models import AuditEvent
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.office.admin import AuditFilter
from rdv_desktop.services.office.review import ReviewFilter
from rdv_desktop.services.setup import Services

from .conftest import TODAY


def office_calls(services: Services, tmp_path: Path):
    o = services.office
    return {
        "stats": lambda a: o.stats.report(a, TODAY, TODAY),
        "review": lambda a: o.review.list(a, ReviewFilter(TODAY, TODAY)),
        "review.mark": lambda a: o.review.mark(a, [1], "checked"),
        "export": lambda a: o.exports.export(a, TODAY, TODAY, tmp_path / "x.csv"),
        "data.purge": lambda a: o.retention.purge(a, 24, confirmed=True),
        "data.access": lambda a: o.retention.export_person(a, reference="X"),
        "data.backup": lambda a: o.retention.backup(a, tmp_path / "b.sqlite3"),
        "settings.manage": lambda a: o.admin.set_setting(a, "retention_months", 12),
        "audit.view": lambda a: o.admin.audit_log(a, AuditFilter(TODAY, TODAY)),
        "catalogue.edit": lambda a: o.catalogue_editor.edit_motif(a, "AES_VPF", label="x"),
        "users.manage": lambda a: services.users.list_users(a),
    }


@pytest.mark.parametrize("role", ["accueil", "agent"])
def test_counter_roles_are_refused(services: Services, role: str, request,
                                   tmp_path: Path) -> None:
    actor: Actor = request.getfixturevalue(role)
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    calls = office_calls(services, tmp_path)
    for call in calls.values():
        with pytest.raises(PermissionDenied):
            call(actor)
    with services.ctx.db.read() as s:
        refused = s.scalars(select(AuditEvent.entity_id).where(
            AuditEvent.action == "permission_denied", AuditEvent.user_id == actor.user_id)).all()
    assert len(refused) == len(calls)
    assert list(tmp_path.iterdir()) == []


def test_manager_is_not_an_administrator(services: Services, manager: Actor,
                                         tmp_path: Path) -> None:
    calls = office_calls(services, tmp_path)
    for name in ("data.purge", "data.access", "data.backup", "settings.manage",
                 "users.manage"):
        with pytest.raises(PermissionDenied):
            calls[name](manager)
    assert services.office.stats.report(manager, TODAY, TODAY).totals.appointments == 0
