"""Glyph coverage for names in any script, French formatting, and the QR encoding."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from rdv_desktop.printing.attestation import render_attestation
from rdv_desktop.printing.data import AttestationData, Timbre
from rdv_desktop.printing.fonts import BOLD, REGULAR, font, register_fonts, visual
from rdv_desktop.printing.french import fr_date, fr_datetime, fr_euros, fr_long_date
from rdv_desktop.printing.layout import QR_SIZE_MM
from rdv_desktop.printing.qr import qr_matrix

NAMES = ("Nguyễn Thị Ánh", "Ørsted-Ali", "محمد الأمين", "Иванова Мария Сергеевна")
LATIN_OR_CYRILLIC = ("Thị Ánh", "Ørsted-Ali", "Мария Сергеевна")


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("face", [REGULAR, BOLD])
def test_every_character_of_the_name_has_a_glyph(name: str, face: str) -> None:
    cmap = font(face).face.charToGlyph
    for text in (name, name.upper(), visual(name)):
        assert [c for c in text if c != " " and ord(c) not in cmap] == []


def test_arabic_is_shaped_and_right_to_left() -> None:
    shown = visual("محمد الأمين")
    assert shown != "محمد الأمين"
    assert all(0xFE70 <= ord(c) <= 0xFEFF or c == " " for c in shown)  # presentation forms
    assert shown.split(" ")[0] != visual("محمد")  # first word of the name is drawn rightmost
    assert shown.split(" ")[1] == visual("محمد")


def test_decomposed_accents_are_composed() -> None:
    assert visual("Nguye\u0302\u0303n") == "Nguyễn"


def test_registration_is_idempotent() -> None:
    register_fonts()
    register_fonts()
    assert font(BOLD).face.charToGlyph[ord("0")]


@pytest.mark.parametrize("name", NAMES)
def test_names_print_in_the_attestation(name: str, attestation: AttestationData, pdf_pages) -> None:
    family, _, given = name.partition(" ")
    person = replace(attestation.applicant, family_name=family, given_names=given)
    text = pdf_pages(render_attestation(replace(attestation, applicant=person)))[0]
    # Arabic is drawn as presentation forms; NFKC folds them back to the letters typed.
    text = unicodedata.normalize("NFKC", text)
    assert family.upper() in text
    assert given in text


def test_latin_and_cyrillic_extract_verbatim(attestation: AttestationData, pdf_pages) -> None:
    for given in LATIN_OR_CYRILLIC:
        person = replace(attestation.applicant, given_names=given)
        assert given in pdf_pages(render_attestation(replace(attestation, applicant=person)))[0]


def test_french_formatting() -> None:
    paris = ZoneInfo("Europe/Paris")
    assert fr_date(date(2026, 3, 4)) == "04/03/2026"
    assert fr_datetime(datetime(2026, 7, 14, 9, 5, tzinfo=paris)) == "14/07/2026 à 09:05"
    assert fr_long_date(date(2026, 12, 1)) == "mardi 1er décembre 2026"
    assert fr_long_date(date(2026, 8, 15)) == "samedi 15 août 2026"
    assert fr_euros(5000) == "50,00\u00a0€"
    assert fr_euros(123456) == "1\u00a0234,56\u00a0€"


def test_timbre_number_is_checked() -> None:
    with pytest.raises(ValueError):
        Timbre("12345", 5000)


def test_qr_uses_alphanumeric_mode(attestation: AttestationData) -> None:
    payload = attestation.qr_payload
    assert len(payload) == 158
    matrix = qr_matrix(payload)
    # 158 alphanumeric characters at level M fit version 7 (45 modules); byte mode would need
    # version 9 (53 modules). Plus 4 modules of quiet zone on each side.
    assert len(matrix) == 45 + 8
    assert not any(matrix[0]) and not any(row[0] for row in matrix)
    symbol_mm = QR_SIZE_MM * 45 / len(matrix)
    assert symbol_mm >= 35


def test_qr_falls_back_for_lowercase() -> None:
    assert len(qr_matrix("rdv-lowercase ok")) > 21
