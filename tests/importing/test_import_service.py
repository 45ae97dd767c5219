"""ImportService on SQLite and PostgreSQL: each format, re-import, reports, protection, audit."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest
from import_helpers import by_reference, counts, sample, snapshot
from rdvsp_sheets import (
    PARTICIPATION_HEADER,
    SAMPLE_ROWS,
    participation_row,
    rdvsp_row,
    write_xls,
    write_xlsx,
)
from sqlalchemy import select

from rdv_desktop.errors import PermissionDenied, ValidationError
from rdv_desktop.models import AuditEvent
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.importing import ImportService
from rdv_desktop.services.setup import Services


def audit_actions(services: Services) -> list[str]:
    with services.ctx.db.read() as s:
        return list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_csv_sample_imports_the_right_rows(services: Services, importer: ImportService,
                                           admin: Actor) -> None:
    before_audit = len(audit_actions(services))
    report = importer.import_file(admin, sample("rendez-vous.csv"))
    assert (report.created, report.updated, report.unchanged) == (5, 0, 0)
    assert [str(p) for p in report.rejected] == [
        "ligne 6 : date de naissance impossible « 31/02/1991 »",
        "ligne 7 : nom absent",
        "ligne 8 : heure impossible « 25:00 »",
        "ligne 9 : doublon de la ligne 4 (même référence CAN-2026-0003)",
    ]
    rows = by_reference(services)
    assert set(rows) == {"CAN-2026-0001", "CAN-2026-0002", "CAN-2026-0003", "CAN-2026-0004",
                         "CAN-2026-0008"}
    diallo = rows["CAN-2026-0001"]
    assert (diallo.source, diallo.outcome, diallo.motif_code, diallo.motif_to_confirm) == (
        "import", "pending", "AES_VPF", False)
    assert diallo.motif_source_label == \
        "Admission exceptionnelle au séjour - vie privée et familiale"
    assert (diallo.slot_date, diallo.slot_time) == (date(2026, 11, 26), time(9, 0))
    assert diallo.email == "aminata.diallo@example.org" and diallo.birth_place == "Conakry"
    assert rows["CAN-2026-0002"].motif_code == "AES_SALARIE"
    assert rows["CAN-2026-0003"].motif_code == "RETRAITE"  # the code itself
    haddad = rows["CAN-2026-0004"]
    assert (haddad.motif_code, haddad.motif_to_confirm, haddad.motif_source_label) == (
        None, True, "Regroupement familial (demande papier)")
    assert [(m.line, m.source_label) for m in report.to_confirm] == [
        (5, "Regroupement familial (demande papier)"), (10, "")]
    actions = audit_actions(services)[before_audit:]
    assert actions == ["appointment_created"] * 5 + ["appointments_imported"]


def test_second_import_changes_nothing(services: Services, importer: ImportService,
                                       admin: Actor) -> None:
    for name in ("rendez-vous.csv", "rendez-vous-windows-1252.csv", "rendez-vous.ics",
                 "export-rdv-service-public.xlsx"):
        importer.import_file(admin, sample(name))
    first = snapshot(services)
    audit_before = len(audit_actions(services))
    for name in ("rendez-vous.csv", "rendez-vous-windows-1252.csv", "rendez-vous.ics",
                 "export-rdv-service-public.xlsx", "export-rdv-service-public.xls"):
        report = importer.import_file(admin, sample(name))
        assert (report.created, report.updated, report.kept) == (0, 0, ()), name
        assert report.unchanged + len(report.rejected) == report.rows_read
    assert snapshot(services) == first
    # Only the five summary rows were added: no appointment was touched.
    assert audit_actions(services)[audit_before:] == ["appointments_imported"] * 5


def test_ics_sample(services: Services, importer: ImportService, admin: Actor) -> None:
    report = importer.import_file(admin, sample("rendez-vous.ics"))
    assert (report.created, len(report.rejected)) == (3, 1)
    rows = by_reference(services)
    traore = rows["rdv-20261126-0900-a1@prefecture.example"]
    assert (traore.motif_code, traore.slot_time) == ("AES_SALARIE", time(9, 0))
    assert rows["rdv-20261126-1000-b2@prefecture.example"].motif_code == "VPF_NE_EN_FRANCE"
    cancelled = rows["rdv-20261127-0930-c3@prefecture.example"]
    assert cancelled.outcome == "cancelled" and cancelled.motif_to_confirm
    assert report.to_confirm == ()  # a cancelled appointment needs no decision


@pytest.mark.parametrize("kind", ["xlsx", "xls"])
def test_generated_rdvsp_sheet(services: Services, importer: ImportService, admin: Actor,
                               tmp_path: Path, kind: str) -> None:
    rows = [*SAMPLE_ROWS,
            rdvsp_row("28/11/2026", "11:00", "Jean-Baptiste MUKENDI",
                      "admission exceptionnelle au sejour metiers en tension",
                      birth="05/05/1990"),
            rdvsp_row("28/11/2026", "11:00", "Jean-Baptiste MUKENDI", "autre", birth="05/05/1990")]
    path = (write_xlsx if kind == "xlsx" else write_xls)(tmp_path / f"export.{kind}", rows)
    report = importer.import_file(admin, path)
    assert report.format_label == f"export RDV Service Public (.{kind})"
    assert report.created == 7  # both usagers of the KONATÉ booking
    assert [str(p) for p in report.rejected] == [
        "ligne 6 : date du rendez-vous impossible « 32/11/2026 »",
        "ligne 7 : nom absent",
        "ligne 10 : doublon de la ligne 9 (même date, heure, nom et date de naissance)",
    ]
    found = {a.family_name: a for a in by_reference(services).values()}
    assert found["MUKENDI"].motif_code == "AES_METIERS_TENSION"
    assert found["MUKENDI"].reference.startswith("RDVSP-")
    assert found["DIALLO"].birth_date == date(1990, 3, 12)
    konate = sorted((a for a in by_reference(services).values() if a.family_name == "KONATÉ"),
                    key=lambda a: a.birth_date)
    # The mother keeps the booking's reference; her son (13) follows, his mother recorded as
    # his legal representative.
    assert [(a.given_names, a.birth_date) for a in konate] == [
        ("Mariam", date(1986, 2, 2)), ("Ibrahim", date(2012, 9, 15))]
    assert konate[0].reference != konate[1].reference  # each derived from its own name
    assert [(c.role, c.name) for c in konate[1].companions] == [("legal_rep", "KONATÉ Mariam")]
    assert konate[0].companions == []
    assert found["BONDARENKO"].outcome == "cancelled"  # Annulé (excusé)
    assert found["LI"].outcome == "cancelled"  # Annulé (par le service)
    assert found["SILVA"].outcome == "pending" and found["SILVA"].motif_to_confirm
    assert importer.import_file(admin, path).created == 0


def test_participations_export_uses_rdv_id_as_the_reference(
        services: Services, importer: ImportService, admin: Actor, tmp_path: Path) -> None:
    motif = "Admission exceptionnelle au séjour - salarié/travailleur temporaire"
    path = write_xlsx(tmp_path / "participations.xlsx", [
        participation_row("Mariam KONATÉ", 4812, "26/11/2026", "09:45", motif, "02/02/1986"),
        participation_row("Chen LI", 4813, "26/11/2026", "10:30", motif, "08/08/1955"),
        participation_row("Ibrahim KONATÉ", 4812, "26/11/2026", "09:45", motif, "15/09/2012"),
    ], header=PARTICIPATION_HEADER)
    report = importer.import_file(admin, path)
    assert report.format_label == "export RDV Service Public (.xlsx)"
    assert report.created == 3 and not report.rejected
    found = by_reference(services)
    assert sorted(found) == ["RDVSP-4812", "RDVSP-4812-2", "RDVSP-4813"]
    son = found["RDVSP-4812-2"]
    assert (son.given_names, son.slot_time) == ("Ibrahim", time(9, 45))
    assert [(c.role, c.name) for c in son.companions] == [("legal_rep", "KONATÉ Mariam")]
    assert found["RDVSP-4813"].companions == []
    assert importer.import_file(admin, path).created == 0  # the same references: no double


def test_reimport_updates_pending_and_cancels(services: Services, importer: ImportService,
                                              admin: Actor, tmp_path: Path) -> None:
    first = write_xlsx(tmp_path / "a.xlsx", [
        rdvsp_row("27/11/2026", "09:00", "Aminata DIALLO", "Carte de séjour « retraité »",
                  birth="12/03/1990"),
        rdvsp_row("27/11/2026", "09:30", "Chen LI", "Étranger malade", birth="08/08/1955")])
    importer.import_file(admin, first)
    second = write_xlsx(tmp_path / "b.xlsx", [
        rdvsp_row("27/11/2026", "09:00", "Aminata DIALLO", "inconnu au catalogue",
                  birth="12/03/1990"),
        rdvsp_row("27/11/2026", "09:30", "Chen LI", "Étranger malade",
                  status="Annulé (excusé)", birth="08/08/1955")])
    report = importer.import_file(admin, second)
    assert (report.created, report.updated, report.unchanged) == (0, 2, 0)
    found = {a.family_name: a for a in by_reference(services).values()}
    diallo = found["DIALLO"]
    assert (diallo.motif_code, diallo.motif_to_confirm, diallo.motif_source_label) == (
        None, True, "inconnu au catalogue")
    assert found["LI"].outcome == "cancelled"
    assert audit_actions(services)[-3:] == ["import_update", "cancel", "appointments_imported"]


def test_started_appointment_is_never_overwritten(services: Services, importer: ImportService,
                                                  admin: Actor, agent: Actor,
                                                  tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Référence;Nom;Prénom;Date;Heure;Motif\n"
                    "R1;Doe;Jane;26/11/2026;10:00;RETRAITE\n"
                    "R2;Roe;Max;26/11/2026;10:15;RETRAITE\n", encoding="utf-8")
    importer.import_file(admin, path)
    jane = by_reference(services)["R1"]
    services.appointments.check_in(agent, jane.id)
    before = snapshot(services)
    path.write_text("Référence;Nom;Prénom;Date;Heure;Motif;Statut\n"
                    "R1;Doe;Janet;26/11/2026;11:00;AES_VPF;Annulé (excusé)\n"
                    "R2;Roe;Max;26/11/2026;10:15;RETRAITE;\n", encoding="utf-8")
    report = importer.import_file(admin, path)
    assert (report.updated, report.unchanged) == (0, 1)
    assert len(report.kept) == 1
    assert str(report.kept[0]).startswith("ligne 2 : DOE Jane : déjà pris en charge, non "
                                          "modifié (arrivé à ")
    assert snapshot(services) == before


def test_dry_run_reports_the_same_and_writes_nothing(services: Services,
                                                     importer: ImportService,
                                                     admin: Actor) -> None:
    before = counts(services)
    dry = importer.import_file(admin, sample("rendez-vous.csv"), dry_run=True)
    assert counts(services) == before
    real = importer.import_file(admin, sample("rendez-vous.csv"))
    assert dry.dry_run and not real.dry_run
    assert (dry.created, dry.updated, dry.unchanged, dry.rejected, dry.to_confirm) == (
        real.created, real.updated, real.unchanged, real.rejected, real.to_confirm)
    assert "Simulation" in dry.lines()[0] and "Aucune modification" in dry.lines()[1]


def test_bad_file_changes_nothing(services: Services, importer: ImportService, admin: Actor,
                                  tmp_path: Path) -> None:
    before = counts(services)
    path = tmp_path / "bad.csv"
    path.write_bytes(b"Nom;Date\nDoe;26/11/2026\n")
    with pytest.raises(ValidationError, match="Colonnes obligatoires absentes"):
        importer.import_file(admin, path)
    with pytest.raises(ValidationError, match="introuvable"):
        importer.import_file(admin, tmp_path / "absent.csv")
    assert counts(services) == before


def test_progress_is_reported(importer: ImportService, admin: Actor, tmp_path: Path) -> None:
    lines = ["Nom;Prénom;Date;Heure"] + [f"Doe{i};Jane;27/11/2026;{8 + i // 60:02d}:{i % 60:02d}"
                                         for i in range(250)]
    path = tmp_path / "many.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    seen: list[tuple[int, int]] = []
    report = importer.import_file(admin, path, progress=lambda d, t: seen.append((d, t)))
    assert report.created == 250
    assert seen == [(0, 250), (100, 250), (200, 250), (250, 250)]


def test_permission_is_required_and_refusal_audited(services: Services,
                                                    importer: ImportService,
                                                    agent: Actor) -> None:
    with pytest.raises(PermissionDenied):
        importer.import_file(agent, sample("rendez-vous.csv"))
    assert audit_actions(services)[-1] == "permission_denied"
    assert counts(services)[0] == 0
