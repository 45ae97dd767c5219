"""Administration: settings, fees, catalogue edits as new versions, the audit-log viewer."""

from __future__ import annotations

from datetime import date

import pytest

from rdv_desktop.errors import ValidationError
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.office.admin import AuditFilter
from rdv_desktop.services.setup import Services

from .conftest import TODAY


def test_settings_are_checked_and_audited(services: Services, admin: Actor) -> None:
    office = services.office
    office.admin.set_setting(admin, "retention_months", 36)
    assert services.ctx.read_settings().retention_months == 36
    for bad in (0, 999, "12", True):
        with pytest.raises(ValidationError, match="entier"):
            office.admin.set_setting(admin, "retention_months", bad)
    with pytest.raises(ValidationError, match="inconnu"):
        office.admin.set_setting(admin, "colour", 1)
    assert services.ctx.read_settings().retention_months == 36
    log = office.admin.audit_log(admin, AuditFilter(TODAY, TODAY, action="setting_changed"))
    assert [(e.before, e.after) for e in log] == [({"value": 24}, {"value": 36})]


def test_site_counters_and_fees(services: Services, admin: Actor) -> None:
    adm = services.office.admin
    info = adm.update_site(admin, "Préfecture du Cantal", "Bureau des étrangers", "Aurillac")
    assert info.service == "Bureau des étrangers" and len(info.counters) == 4
    assert adm.add_counter(admin) == 5
    adm.set_counter_active(admin, 5, False)
    assert adm.site(admin).counters[-1] == (5, "Guichet 5", False)
    adm.add_fee(admin, "timbre", "Droit de timbre", 7500, date(2027, 1, 1))
    with pytest.raises(ValidationError, match="commence déjà"):
        adm.add_fee(admin, "TIMBRE", "Droit de timbre", 7500, date(2027, 1, 1))
    with pytest.raises(ValidationError, match="Montant"):
        adm.add_fee(admin, "TIMBRE", "x", -1, date(2027, 2, 1))
    assert services.catalogue.fee_on("TIMBRE", date(2027, 3, 1)) == 7500
    with pytest.raises(ValidationError, match="obligatoire"):
        adm.update_site(admin, " ", "", "")


def test_catalogue_edit_makes_a_new_version(services: Services, manager: Actor) -> None:
    editor = services.office.catalogue_editor
    before = services.catalogue.current()
    motif = next(m for m in before.motifs if not m.anef_redirect)
    with pytest.raises(ValidationError, match="au moins une pièce"):
        editor.edit_motif(manager, motif.code, piece_codes=[])
    assert services.catalogue.current().version == before.version
    version = editor.edit_motif(manager, motif.code, label="Libellé revu",
                                piece_codes=[p.code for p in motif.pieces[:2]])
    after = services.catalogue.current()
    assert after.version == version != before.version
    assert after.motif(motif.code).label == "Libellé revu"
    assert len(after.motif(motif.code).pieces) == 2
    assert len(after.motifs) == len(before.motifs)
    piece = motif.pieces[0]
    with pytest.raises(ValidationError, match=r"Condition invalide|Situation inconnue"):
        editor.edit_piece(manager, piece.code, requirement="conditional", condition="nimporte")
    second = editor.edit_piece(manager, piece.code, label="Formulaire signé (nouveau)")
    assert second != version
    assert services.catalogue.current().motif(motif.code).pieces[0].label == \
        "Formulaire signé (nouveau)"
