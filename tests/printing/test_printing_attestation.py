"""The attestation de dépôt: every required mention, reprints, page flow and the QR."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from rdv_desktop.printing.attestation import render_attestation
from rdv_desktop.printing.data import AttestationData, PieceLine

PARIS = ZoneInfo("Europe/Paris")


def test_every_required_mention_is_printed(attestation: AttestationData, pdf_pages) -> None:
    pages = pdf_pages(render_attestation(attestation))
    assert len(pages) == 2, "15 pieces on the recto, the rights on the verso"
    text, verso = pages
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
        "Pièces à compléter (1)",
        "Avis d'imposition",
        "le dernier disponible",
        "1234567890123456",
        "6543210987654321",
        "50,00 €",
        "100,00 €",
        "Code AGDREF :",
        "Remis le :",
        "Ce document ne vaut ni titre de séjour ni récépissé",
        "Sans réponse de l'administration au 26/03/2027, soit quatre mois après ce dépôt, votre "
        "demande sera implicitement rejetée",
        "Au verso : délais et voies de recours",
        "K7Q2-M4PX-0123",
        "Pour vérifier cette attestation",
    ]
    on_verso = [
        "Délais et voies de recours",
        "recours gracieux auprès du préfet",
        "tribunal administratif",
        "deux mois",
        "Service chargé de votre demande",
        "Cours Monthyon, 15000 Aurillac, téléphone 04 71 46 23 00, courriel "
        "pref-sejour@cantal.gouv.fr",
        "article 13 du RGPD",
        "Responsable du traitement : le préfet (Préfecture du Cantal",
        "Délégué à la protection des données : dpo@cantal.gouv.fr",
        "Finalité : gestion des rendez-vous",
        "Base légale",
        "sont obligatoires",
        "conservées 24 mois après le rendez-vous",
        "droits d'accès, de rectification",
        "CNIL",
    ]
    flat = " ".join(text.split())
    flat_verso = " ".join(verso.split())
    missing = [m for m in expected if m not in flat] + [m for m in on_verso if m not in flat_verso]
    assert not missing, missing


def test_pieces_awaited_move_the_implicit_decision(attestation: AttestationData,
                                                   pdf_pages) -> None:
    """While pieces are awaited no date can be printed: the delay runs from the last one."""
    awaited = replace(attestation, decision_date=None, pieces_due_by=date(2026, 12, 26))
    text = " ".join(pdf_pages(render_attestation(awaited))[0].split())
    assert "Pièces à compléter (1, à envoyer avant le 26/12/2026)" in text
    assert "court à compter de la réception de la dernière pièce demandée" in text
    assert "Sans réponse de l'administration au" not in text


def test_the_retention_printed_is_the_setting(attestation: AttestationData, pdf_pages) -> None:
    data = replace(attestation, site=replace(attestation.site, retention_months=36))
    assert "conservées 36 mois" in " ".join(pdf_pages(render_attestation(data))[1].split())


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
    assert len(pages) >= 2
    for text in pages:
        assert "DUPLICATA" in text
        assert "Réimprimé le 27/11/2026 à 09:15" in text


def test_no_foreign_number_line_when_none(attestation: AttestationData, pdf_pages) -> None:
    data = replace(attestation, applicant=replace(attestation.applicant, foreign_number=""))
    assert "Numéro étranger" not in pdf_pages(render_attestation(data))[0]


def test_no_missing_section_when_complete(attestation: AttestationData, pdf_pages) -> None:
    text = pdf_pages(render_attestation(replace(attestation, pieces_missing=())))[0]
    assert "Pièces à compléter" not in text
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
