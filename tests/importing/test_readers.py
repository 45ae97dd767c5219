"""The readers alone (no database): encodings, separators, headers, values, duplicates."""

from __future__ import annotations

import re
from datetime import date, time

import pytest
from import_helpers import SAMPLES, sample

from rdv_desktop.errors import ValidationError
from rdv_desktop.services.importing import read_bytes, read_path
from rdv_desktop.services.importing.folding import fold
from rdv_desktop.services.importing.motifs import MotifMatcher
from rdv_desktop.services.importing.rows import RowRejected
from rdv_desktop.services.importing.values import parse_date, parse_time, split_full_name

HEADER = "Nom;Prénom;Date;Heure;Motif\r\n"


def csv_bytes(body: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return (header + body).encode(encoding)


def test_utf8_sample_rows_and_rejections() -> None:
    result = read_path(sample("rendez-vous.csv"))
    assert result.format_label == "CSV (UTF-8, séparateur « ; »)"
    assert [r.reference for r in result.rows] == [
        "CAN-2026-0001", "CAN-2026-0002", "CAN-2026-0003", "CAN-2026-0004", "CAN-2026-0008"]
    assert [str(p) for p in result.problems] == [
        "ligne 6 : date de naissance impossible « 31/02/1991 »",
        "ligne 7 : nom absent",
        "ligne 8 : heure impossible « 25:00 »",
        "ligne 9 : doublon de la ligne 4 (même référence CAN-2026-0003)",
    ]
    nguyen = result.rows[1]
    assert (nguyen.family_name, nguyen.given_names) == ("Nguyen", "Thi Lan")
    assert nguyen.birth_date == date(1985, 7, 21) and nguyen.slot_time == time(9, 15)
    assert nguyen.foreign_number == "7501234567"


def test_windows_1252_comma_sample_without_reference() -> None:
    result = read_path(sample("rendez-vous-windows-1252.csv"))
    assert result.format_label == "CSV (Windows-1252, séparateur « , »)"
    assert [r.family_name for r in result.rows] == ["Benali", "Kouamé", "Rakotoarisoa"]
    assert result.rows[1].given_names == "Adjoua Marie-Thérèse"
    assert all(r.derived_reference and r.reference.startswith("IMP-") for r in result.rows)
    assert result.rows[2].slot_date == date(2026, 11, 27)


def test_ics_sample() -> None:
    result = read_path(sample("rendez-vous.ics"))
    traore, ivanova, bensaid = result.rows
    assert (traore.family_name, traore.given_names, traore.slot_time) == ("TRAORE", "Moussa",
                                                                           time(9, 0))
    assert traore.motif_label.startswith("Admission exceptionnelle au séjour – salarié")
    assert traore.birth_date == date(1987, 6, 4) and traore.phone == "06 98 76 54 32"
    assert (ivanova.family_name, ivanova.slot_time) == ("IVANOVA", time(10, 0))  # 09:00Z
    assert ivanova.motif_label == "Vie privée et familiale – étranger né en France"
    assert bensaid.status == "revoked"
    assert [str(p) for p in result.problems] == [
        "ligne 29 : heure absente (événement sur la journée du 27/11/2026)"]


@pytest.mark.parametrize("name", ["export-rdv-service-public.xlsx",
                                  "export-rdv-service-public.xls"])
def test_rdvsp_samples(name: str) -> None:
    result = read_path(sample(name))
    assert result.format_label.startswith("export RDV Service Public")
    # Every usager of a booking is kept (RDV-SP joins them with « , »): KONATÉ Mariam and
    # her son, whose legal representative she is.
    assert [r.family_name for r in result.rows] == ["DIALLO", "KONATÉ", "KONATÉ", "BONDARENKO",
                                                    "LI", "SILVA"]
    mother, son = result.rows[1], result.rows[2]
    assert mother.given_names == "Mariam" and mother.birth_date == date(1986, 2, 2)
    assert son.given_names == "Ibrahim" and son.birth_date == date(2012, 9, 15)
    assert (mother.legal_representatives, son.legal_representatives) == ((), ("KONATÉ Mariam",))
    assert son.slot_time == mother.slot_time and son.reference != mother.reference
    assert [r.status for r in result.rows] == ["unknown", "unknown", "unknown", "excused",
                                               "revoked", "seen"]
    assert all(r.reference.startswith("RDVSP-") for r in result.rows)
    assert [str(p) for p in result.problems] == [
        "ligne 6 : date du rendez-vous impossible « 32/11/2026 »", "ligne 7 : nom absent"]


def test_rdvsp_reference_is_stable_across_formats_and_name_order() -> None:
    xlsx = read_path(sample("export-rdv-service-public.xlsx"))
    xls = read_path(sample("export-rdv-service-public.xls"))
    assert [r.reference for r in xlsx.rows] == [r.reference for r in xls.rows]
    body = "DIALLO;Aminata;26/11/2026;09:00;\r\n"
    swapped = "Aminata;DIALLO;26/11/2026;09:00;\r\n"
    one = read_bytes(csv_bytes(body), "a.csv").rows[0]
    two = read_bytes(csv_bytes(swapped), "a.csv").rows[0]
    assert one.reference == two.reference


@pytest.mark.parametrize("header", [
    "NOM;PRENOM;DATE;HEURE\r\n",
    "nom de famille;Prénom(s);Date du rendez-vous;Heure du rendez-vous\r\n",
    "Last name;First name;Date RDV;Heure RDV\r\n",
    "Nom;Prénoms;Date;Horaire\r\n",
])
def test_header_synonyms(header: str) -> None:
    result = read_bytes(csv_bytes("Doe;Jane;26/11/2026;14h30\r\n", header), "x.csv")
    assert result.rows[0].family_name == "Doe" and result.rows[0].slot_time == time(14, 30)


def test_combined_date_time_and_full_name_columns() -> None:
    data = csv_bytes("Jane DOE,2026-11-26T14:05:00+01:00\r\n", "Nom complet,Date et heure\r\n")
    row = read_bytes(data, "x.csv").rows[0]
    assert (row.family_name, row.given_names) == ("DOE", "Jane")
    assert (row.slot_date, row.slot_time) == (date(2026, 11, 26), time(14, 5))


def test_missing_columns_is_one_french_error() -> None:
    with pytest.raises(ValidationError) as err:
        read_bytes(csv_bytes("Doe;26/11/2026\r\n", "Nom;Date\r\n"), "x.csv")
    assert "Colonnes obligatoires absentes : heure" in err.value.message
    assert "« Nom », « Date »" in err.value.message


def test_broken_encoding_and_binary_and_empty() -> None:
    with pytest.raises(ValidationError, match="Encodage non reconnu \\(ligne 2, octet 0x81\\)"):
        read_bytes(HEADER.encode() + b"Doe;J\x81ne;26/11/2026;10:00;\r\n", "x.csv")
    with pytest.raises(ValidationError, match="octets nuls"):
        read_bytes(b"Nom\x00;Date", "x.csv")
    with pytest.raises(ValidationError, match="vide"):
        read_bytes(b"  \r\n", "x.csv")
    with pytest.raises(ValidationError, match="classeur Excel valide"):
        read_bytes(b"Nom;Date", "x.xlsx")
    with pytest.raises(ValidationError, match="illisible"):
        read_bytes(b"PK\x03\x04 not really a zip", "x.xlsx")


def test_utf8_bom_and_utf16() -> None:
    body = "Été;Zoé;26/11/2026;10:00;\r\n"
    for data in (b"\xef\xbb\xbf" + csv_bytes(body), (HEADER + body).encode("utf-16")):
        assert read_bytes(data, "x.csv").rows[0].family_name == "Été"


def test_duplicates_without_reference_name_the_first_line() -> None:
    body = ("Doe;Jane;26/11/2026;10:00;\r\nRoe;Max;26/11/2026;10:00;\r\n"
            "DOE;jane;26/11/2026;10h00;\r\n")
    result = read_bytes(csv_bytes(body), "x.csv")
    assert len(result.rows) == 2
    assert [str(p) for p in result.problems] == [
        "ligne 4 : doublon de la ligne 2 (même date, heure, nom et date de naissance)"]


@pytest.mark.parametrize(("raw", "expected"), [
    ("26/11/2026", date(2026, 11, 26)), ("1/2/2026", date(2026, 2, 1)),
    ("2026-11-26", date(2026, 11, 26)), ("26.11.2026", date(2026, 11, 26)),
])
def test_dates(raw: str, expected: date) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize(("raw", "message"), [
    ("31/02/2026", "date impossible « 31/02/2026 »"), ("2026-13-01", "date impossible"),
    ("demain", "date illisible « demain » (attendu jj/mm/aaaa)"), ("", "date absente"),
])
def test_bad_dates(raw: str, message: str) -> None:
    with pytest.raises(RowRejected, match=re.escape(message)):
        parse_date(raw)


@pytest.mark.parametrize(("raw", "expected"), [
    ("09:30", time(9, 30)), ("9h30", time(9, 30)), ("14h", time(14, 0)), ("14H05", time(14, 5)),
    ("08:15:00", time(8, 15)), (time(8, 15, 30), time(8, 15)),
])
def test_times(raw: object, expected: time) -> None:
    assert parse_time(raw) == expected


@pytest.mark.parametrize("raw", ["24:00", "9h75", "midi", ""])
def test_bad_times(raw: str) -> None:
    with pytest.raises(RowRejected):
        parse_time(raw)


@pytest.mark.parametrize(("full", "expected"), [
    ("Jean DUPONT", ("DUPONT", "Jean")), ("DUPONT Jean", ("DUPONT", "Jean")),
    ("Marie-Claire LE GALL", ("LE GALL", "Marie-Claire")), ("Jean Dupont", ("Dupont", "Jean")),
    ("Anne MARTIN (DURAND)", ("MARTIN", "Anne")), ("NDIAYE", ("NDIAYE", "")),
])
def test_split_full_name(full: str, expected: tuple[str, str]) -> None:
    assert split_full_name(full) == expected


def test_motif_matcher_is_tolerant_but_not_fuzzy() -> None:
    matcher = MotifMatcher([("AES_VPF",
                             "Admission exceptionnelle au séjour – vie privée et familiale"),
                            ("RETRAITE", "Carte de séjour « retraité »")])
    assert matcher.match("ADMISSION EXCEPTIONNELLE AU SEJOUR - VIE PRIVEE ET FAMILIALE") == \
        "AES_VPF"
    assert matcher.match("admission  exceptionnelle au séjour, vie privée & familiale") is None
    assert matcher.match("Carte de sejour retraite") == "RETRAITE"
    assert matcher.match("aes-vpf") == "AES_VPF"
    assert matcher.match("") is None
    assert fold("Œuvre  d'ÉTÉ") == "oeuvre d ete"


def test_documented_headers_match_the_code() -> None:
    from rdv_desktop.services.importing.headers import SYNONYMS

    doc = (SAMPLES.parents[1] / "docs" / "import-formats.md").read_text(encoding="utf-8")
    for field, names in SYNONYMS.items():
        line = next(ln for ln in doc.splitlines() if f"| `{field}` |" in ln)
        assert all(f"« {n} »" in line for n in names), field


def test_a_motif_booked_after_its_end_is_left_to_confirm() -> None:
    from datetime import date

    matcher = MotifMatcher([("AES_METIERS_TENSION",
                             "Admission exceptionnelle au séjour – métiers en tension")],
                           {"AES_METIERS_TENSION": date(2026, 12, 31)})
    label = "Admission exceptionnelle au séjour – métiers en tension"
    assert matcher.match(label, date(2026, 12, 31)) == "AES_METIERS_TENSION"
    assert matcher.match(label, date(2027, 1, 4)) is None
    assert matcher.match(label) == "AES_METIERS_TENSION"
