"""The attestation de dépôt: every required mention, reprints, page flow and the QR."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from rdv_desktop.printing.attestation import render_attestation
from rdv_desktop.printing.data import AttestationData, PieceLine

PARIS = ZoneInfo("Europe/Paris")


def test_every_required_mention_is_printed(attestation: AttestationData, pdf_pages) -> None:
    pages = pdf_pages(render_attestation(attestation))
    assert len(pages) == 1, "15 pieces must fit on one page"
    text = pages[0]
    expected = [
        "Attestation de dépôt de dossier",
        "Préfecture du Cantal",
        "Bureau de l'immigration et de l'intégration",
        "Cours Monthyon, 15000 Aurillac",
        "CANTAL-2026-000123",
        "26/11/2026 à 14:32",
        "AG-0042",
        "NGUYỄN",
        "Thị Ánh",
        "04/03/1991 à Hà Nội",
        "vietnamienne",
        "Numéro étranger",
        "7512345678",
        "12 rue des Carmes",
        "Admission exceptionnelle au séjour – vie privée et familiale",
        "L435-1",
        "Première demande",
        "Pièces reçues (15)",
        "Formulaire de demande daté et signé",
        "Actes de naissance des enfants",
        "Pièces manquantes (1)",
        "Avis d'imposition",
        "le dernier disponible",
        "1234567890123456",
        "6543210987654321",
        "50,00 €",
        "100,00 €",
        "Code AGDREF :",
        "Remis le :",
        "Ce document ne vaut ni titre de séjour ni récépissé",
        "Le silence gardé par l'administration pendant quatre mois vaut décision implicite "
        "de rejet",
        "article 13 du RGPD",
        "Responsable du traitement : Préfecture du Cantal",
        "Finalité : instruction de la demande de titre de séjour",
        "Base légale",
        "Conservation",
        "droits d'accès, de rectification",
        "CNIL",
        "K7Q2-M4PX-0123",
        "Pour vérifier cette attestation",
    ]
    missing = [mention for mention in expected if mention not in text]
    assert not missing, missing


def test_no_duplicate_mark_on_first_print(attestation: AttestationData, pdf_pages) -> None:
    text = " ".join(pdf_pages(render_attestation(attestation)))
    assert "DUPLICATA" not in text.upper()
    assert "Réimprimé" not in text


def test_reprint_says_duplicata_on_every_page(attestation: AttestationData, pdf_pages) -> None:
    reprint = replace(
        attestation,
        pieces_received=attestation.pieces_received * 3,
        duplicate_printed_at=datetime(2026, 11, 27, 9, 15, tzinfo=PARIS),
    )
    pages = pdf_pages(render_attestation(reprint))
    assert len(pages) == 2
    for text in pages:
        assert "DUPLICATA" in text
        assert "Réimprimé le 27/11/2026 à 09:15" in text


def test_no_foreign_number_line_when_none(attestation: AttestationData, pdf_pages) -> None:
    data = replace(attestation, applicant=replace(attestation.applicant, foreign_number=""))
    assert "Numéro étranger" not in pdf_pages(render_attestation(data))[0]


def test_no_missing_section_when_complete(attestation: AttestationData, pdf_pages) -> None:
    text = pdf_pages(render_attestation(replace(attestation, pieces_missing=())))[0]
    assert "Pièces manquantes" not in text
    assert "Pièces reçues (15)" in text


def test_utc_deposit_time_is_printed_in_paris_time(attestation: AttestationData, pdf_pages) -> None:
    utc = datetime(2026, 11, 26, 13, 32, tzinfo=ZoneInfo("UTC"))  # 14:32 in Paris (CET)
    text = pdf_pages(render_attestation(replace(attestation, deposited_at=utc)))[0]
    assert "26/11/2026 à 14:32" in text


def test_qr_round_trip_at_150_dpi(attestation: AttestationData, decode_qr) -> None:
    assert decode_qr(render_attestation(attestation)) == [attestation.qr_payload]


def test_qr_survives_duplicata_watermark(attestation: AttestationData, decode_qr) -> None:
    reprint = replace(attestation, duplicate_printed_at=datetime(2026, 11, 27, 9, 15, tzinfo=PARIS))
    assert decode_qr(render_attestation(reprint)) == [attestation.qr_payload]


def test_long_lists_flow_onto_more_pages_with_qr_whole(
    attestation: AttestationData, pdf_pages, decode_qr
) -> None:
    long = replace(
        attestation,
        pieces_received=tuple(
            PieceLine(f"Preuve de résidence habituelle, année {2000 + i}", "original et copie")
            for i in range(45)
        ),
        pieces_missing=tuple(PieceLine(f"Bulletin de salaire n° {i + 1}") for i in range(20)),
    )
    pdf = render_attestation(long)
    pages = pdf_pages(pdf)
    assert len(pages) >= 2
    joined = " ".join(pages)
    for i in range(45):
        assert f"année {2000 + i}" in joined
    assert "Bulletin de salaire n° 20" in joined
    assert "(suite)" in pages[1]
    assert f"page 1 / {len(pages)}" in pages[0]
    assert f"page {len(pages)} / {len(pages)}" in pages[-1]
    # The mentions that protect the applicant are never lost at the end of a long list.
    assert "Ce document ne vaut ni titre de séjour ni récépissé" in joined
    assert decode_qr(pdf, 0) == [long.qr_payload]
    for index in range(1, len(pages)):
        assert decode_qr(pdf, index) == []
