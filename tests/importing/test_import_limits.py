"""Imports are hostile input: files that once hung a station, blew its memory or printed English
are refused or read within the limits (services/importing/limits.py), in French."""

from __future__ import annotations

import itertools
import threading
from pathlib import Path

import hostile_files as hostile
import pytest
from import_helpers import big_csv, counts, sample

from rdv_desktop.errors import ValidationError
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.importing import ImportCancelled, ImportService, read_bytes
from rdv_desktop.services.importing.limits import MAX_COLUMNS, MAX_REPORTED_LINES, MAX_ROWS
from rdv_desktop.services.setup import Services

ENGLISH = ("There is no item", "field larger", "Error", "error", "line ", "column ", "File ")


def refused(data: bytes, name: str) -> str:
    with pytest.raises(ValidationError) as caught:
        read_bytes(data, name)
    message = caught.value.message
    assert not any(word in message for word in ENGLISH), message
    return message


def test_wide_dimension_workbook_is_read_at_once() -> None:
    """A1:XFD1048576 declared, two rows present: only those two are read."""
    data = hostile.wide_dimension()
    assert len(data) < 2_000
    result = read_bytes(data, "large.xlsx")
    assert [(r.line, r.family_name, r.given_names) for r in result.rows] == [
        (1_048_576, "Dupont", "Jean")]


def test_many_rows_workbook_is_refused_naming_the_limit() -> None:
    data = hostile.many_rows(MAX_ROWS + 10)
    message = refused(data, "lignes.xlsx")
    assert message == ("Fichier refusé : plus de 250\u202f000 lignes (limite d'un import). "
                       "Découpez-le en plusieurs fichiers.")


def test_a_bad_file_under_the_limit_gives_a_bounded_report(
        services: Services, importer: ImportService, admin: Actor, tmp_path: Path) -> None:
    path = tmp_path / "mauvais.xlsx"
    path.write_bytes(hostile.many_rows(20_000))
    report = importer.import_file(admin, path, dry_run=True)
    assert report.rejected_count == 20_000 and len(report.rejected) == MAX_REPORTED_LINES
    lines = report.lines()
    assert len(lines) < MAX_REPORTED_LINES + 10
    assert "  … et 19500 autres lignes (non listées)" in lines
    assert "20000 rejetés" in report.summary()


def test_zip_bomb_is_refused_before_it_is_inflated() -> None:
    data = hostile.zip_bomb_shared_strings(300)
    assert len(data) < 1_000_000
    assert refused(data, "bombe.xlsx") == (
        "Table des textes du classeur trop volumineuse (300 Mo ; 64 Mo au plus).")


def test_an_archive_lying_about_its_sizes_is_damaged_not_read() -> None:
    message = refused(hostile.lying_sizes(), "menteur.xlsx")
    assert message.startswith("Classeur Excel (.xlsx) illisible : ")


@pytest.mark.parametrize(("maker", "start"), [
    (hostile.huge_row, "Fichier refusé : une ligne du classeur dépasse 4 Mo"),
    (hostile.entity_expansion, "Classeur Excel (.xlsx) illisible : la partie « xl/worksheets/"),
    (hostile.wide_columns, "Fichier refusé : la ligne 1 a une valeur en colonne 201 ; un "
                           f"import lit {MAX_COLUMNS} colonnes au plus."),
])
def test_hostile_workbooks(maker, start: str) -> None:
    assert refused(maker(), "x.xlsx").startswith(start)


def test_not_a_workbook_inside_the_zip_says_so_in_french() -> None:
    data = hostile.xlsx({"autre.txt": b"rien"})
    assert refused(data, "x.xlsx") == (
        "Classeur Excel (.xlsx) illisible : partie « xl/workbook.xml » absente. Ouvrez-le dans "
        "un tableur et enregistrez-le à nouveau, ou exportez-le en CSV.")


def test_csv_with_a_10_mb_field_is_refused_in_french() -> None:
    data = b'Nom;Prenom;Date;Heure\nDupont;"' + b"x" * 10_000_000 + b'";27/11/2026;09:00\n'
    assert refused(data, "x.csv") == (
        "Fichier refusé : ligne 2, une cellule dépasse 10\u202f000 caractères ; ce fichier "
        "n'est pas une liste de rendez-vous.")


def test_csv_with_1000_columns_is_refused() -> None:
    data = (";".join(f"c{i}" for i in range(1000)) + "\n").encode()
    assert refused(data, "x.csv").startswith("Fichier refusé : la ligne 1 a une valeur en "
                                             "colonne 1\u202f000")


def test_csv_with_too_many_rows_is_refused() -> None:
    data = b"Nom;Date;Heure\n" + b"x;27/11/2026;09:00\n" * (MAX_ROWS + 1)
    assert refused(data, "x.csv").startswith("Fichier refusé : plus de 250\u202f000 lignes")


def test_corrupt_xls_is_one_french_sentence(capfd: pytest.CaptureFixture[str]) -> None:
    good = sample("export-rdv-service-public.xls").read_bytes()
    for damaged in (good[:2000], good[:512] + b"\x00" * 4096 + good[4608:],
                    good[:-700]):
        assert refused(damaged, "x.xls").startswith("Classeur Excel 97-2003 (.xls) illisible")
    out, err = capfd.readouterr()
    assert out == "" and err == ""  # xlrd's English warnings stay off the terminal


def test_control_characters_and_formulas_in_names_are_kept_as_plain_text() -> None:
    data = ("Nom;Prénom;Date;Heure\n"
            "=HYPERLINK(\"http://x\");Je\x07an\x1b[31m;27/11/2026;09:00\n"
            "+Dupont;@SUM(A1);27/11/2026;09:15\n").encode()
    rows = read_bytes(data, "x.csv").rows
    assert [(r.family_name, r.given_names) for r in rows] == [
        ('=HYPERLINK("http://x")', "Jean[31m"), ("+Dupont", "@SUM(A1)")]


def test_reading_reads_the_cancel_flag(tmp_path: Path) -> None:
    """Stopped while the file is read: no row is built past the flag."""
    calls = itertools.count()
    with pytest.raises(ImportCancelled):
        read_bytes(hostile.many_rows(50_000), "x.xlsx", lambda: next(calls) > 3)
    path = big_csv(tmp_path / "big.csv", 50_000)
    calls = itertools.count()
    with pytest.raises(ImportCancelled):
        read_bytes(path.read_bytes(), "big.csv", lambda: next(calls) > 3)


def test_past_dated_lines_are_reported_and_not_created(
        services: Services, importer: ImportService, admin: Actor, tmp_path: Path) -> None:
    path = tmp_path / "passe.csv"
    path.write_text("Référence;Nom;Prénom;Date;Heure\n"
                    "P-1;Hier;Anne;25/11/2026;09:00\n"
                    "P-2;Aujourdhui;Léa;26/11/2026;08:00\n"
                    "P-3;Demain;Paul;27/11/2026;09:00\n", encoding="utf-8")
    before = counts(services)[0]
    report = importer.import_file(admin, path)
    assert (report.created, report.past_count) == (2, 1)
    assert [str(p) for p in report.past] == ["ligne 2 : rendez-vous passé (25/11/2026) : non créé"]
    assert "1 passé, non créé" in report.summary()
    assert "Rendez-vous passés, non créés (date antérieure à aujourd'hui) :" in report.lines()
    assert counts(services)[0] == before + 2
    assert report.ok  # reported, not a rejection: the exit status stays 0


def test_past_line_still_closes_an_existing_appointment(
        services: Services, importer: ImportService, admin: Actor, tmp_path: Path,
        clock) -> None:
    path = tmp_path / "a.csv"
    path.write_text("Référence;Nom;Date;Heure;Statut\nQ-1;Absent;26/11/2026;09:00;\n",
                    encoding="utf-8")
    importer.import_file(admin, path)
    clock.advance(days=1)
    path.write_text("Référence;Nom;Date;Heure;Statut\n"
                    "Q-1;Absent;26/11/2026;09:00;Absence non excusée\n", encoding="utf-8")
    report = importer.import_file(admin, path)
    assert (report.updated, report.past_count) == (1, 0)


def test_a_cancel_from_another_thread_stops_a_long_read(tmp_path: Path) -> None:
    from rdv_desktop.services.importing import CancelToken, read_path

    token = CancelToken()
    path = big_csv(tmp_path / "big.csv", 200_000)
    timer = threading.Timer(0.2, token.cancel)
    timer.start()
    try:
        with pytest.raises(ImportCancelled):
            read_path(path, token)
    finally:
        timer.cancel()
        timer.join()
