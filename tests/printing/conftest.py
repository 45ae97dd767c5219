"""Sample documents and PDF inspection helpers for the renderer tests.

The helpers are fixtures (not an importable module) because pytest runs with
``--import-mode=importlib``, where test folders are not on ``sys.path``.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

from rdv_desktop.printing.data import (
    Applicant,
    AttestationData,
    ConvocationData,
    MissingPiecesData,
    PieceLine,
    SiteInfo,
    Timbre,
)

PARIS = ZoneInfo("Europe/Paris")
BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
# Stands in for the real signed payload: same prefix shape, 103 base32 characters of signature.
ATTESTATION_PAYLOAD = "RDV1:A:K7Q2M4PX:CANTAL:CANTAL-2026-000123:202611261432:" + "".join(
    BASE32[(i * 7 + 3) % 32] for i in range(103)
)
CHECKIN_PAYLOAD = "RDV1:C:K7Q2M4PX:CANTAL:RDV-2026-11-0815:202612011430:" + "".join(
    BASE32[(i * 11 + 5) % 32] for i in range(103)
)

PIECE_LABELS = (
    "Formulaire de demande daté et signé",
    "Passeport (pages état civil, validité, cachets d'entrée, visas) ou à défaut "
    "attestation/carte consulaire, CNI, certificat de nationalité avec photo",
    "Copie intégrale ou extrait avec filiation de l'acte de naissance",
    "Traduction par traducteur assermenté près une cour d'appel",
    "Justificatif de domicile de moins de 6 mois",
    "3 photos 35×45 mm conformes à la norme ISO/IEC 19794-5:2005",
    "Contrat d'engagement à respecter les principes de la République, signé",
    "Preuves de résidence habituelle en France, par année",
    "Justificatifs des motifs exceptionnels ou considérations humanitaires",
    "Certificats de scolarité des enfants",
    "Diplôme ou certification de français",
    "Lettre exposant la situation",
    "Bordereau des pièces",
    "Acte de mariage",
    "Actes de naissance des enfants",
)

SITE = SiteInfo(
    prefecture="Préfecture du Cantal",
    service="Bureau de l'immigration et de l'intégration",
    address="Cours Monthyon, 15000 Aurillac",
    code="CANTAL",
    phone="04 71 46 23 00",
    email="pref-sejour@cantal.gouv.fr",
    dpo="dpo@cantal.gouv.fr",
)
APPLICANT = Applicant(
    family_name="Nguyễn",
    given_names="Thị Ánh",
    birth_date=date(1991, 3, 4),
    birth_place="Hà Nội",
    nationality="vietnamienne",
    foreign_number="7512345678",
    address="12 rue des Carmes, 15000 Aurillac",
)


def pieces(count: int) -> tuple[PieceLine, ...]:
    return tuple(PieceLine(PIECE_LABELS[i % len(PIECE_LABELS)]) for i in range(count))


@pytest.fixture
def attestation() -> AttestationData:
    return AttestationData(
        site=SITE,
        dossier_number="CANTAL-2026-000123",
        deposited_at=datetime(2026, 11, 26, 14, 32, tzinfo=PARIS),
        agent_id="AG-0042",
        applicant=APPLICANT,
        motif_label="Admission exceptionnelle au séjour – vie privée et familiale",
        ceseda_ref="L435-1",
        request_kind="Première demande",
        pieces_received=pieces(15),
        pieces_missing=(PieceLine("Avis d'imposition", "le dernier disponible"),),
        timbres=(Timbre("1234567890123456", 5000), Timbre("6543210987654321", 5000)),
        qr_payload=ATTESTATION_PAYLOAD,
        human_code="K7Q2-M4PX-0123",
        decision_date=date(2027, 3, 26),
    )


@pytest.fixture
def missing_pieces() -> MissingPiecesData:
    return MissingPiecesData(
        site=SITE,
        applicant=APPLICANT,
        motif_label="AES – salarié / travailleur temporaire",
        ceseda_ref="L435-1",
        checked_at=datetime(2026, 11, 26, 10, 5, tzinfo=PARIS),
        agent_id="AG-0042",
        pieces_missing=(
            PieceLine("Demande d'autorisation de travail Cerfa 15186", "signée par l'employeur"),
            PieceLine("Bulletins de salaire justifiant l'ancienneté"),
        ),
        pieces_received=pieces(5),
        next_appointment=datetime(2026, 12, 3, 9, 30, tzinfo=PARIS),
        how_to_come_back="Présentez-vous au rendez-vous indiqué avec les pièces manquantes.",
        reference="CANTAL-INC-2026-0042",
    )


@pytest.fixture
def convocation() -> ConvocationData:
    return ConvocationData(
        site=SITE,
        applicant=replace(APPLICANT, family_name="Иванова", given_names="Мария Сергеевна"),
        booking_reference="RDV-2026-11-0815",
        slot=datetime(2026, 12, 1, 14, 30, tzinfo=PARIS),
        motif_label="Admission exceptionnelle au séjour – vie privée et familiale",
        pieces_to_bring=pieces(12),
        checkin_payload=CHECKIN_PAYLOAD,
        human_code="C7Q2-M4PX-0815",
    )


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def pdf_pages() -> Callable[[bytes], list[str]]:
    """Text of each page, whitespace collapsed (wrapped lines join with a space)."""

    def extract(pdf: bytes) -> list[str]:
        return [_normalise(page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages]

    return extract


@pytest.fixture
def decode_qr() -> Callable[[bytes, int], list[str]]:
    """Rasterise one page at 150 dpi (a worn office printer) and read every QR on it."""

    def decode(pdf: bytes, page_index: int = 0) -> list[str]:
        document = pypdfium2.PdfDocument(pdf)
        try:
            image = document[page_index].render(scale=150 / 72).to_pil().convert("L")
        finally:
            document.close()
        results = zxingcpp.read_barcodes(image)
        return [r.text for r in results if r.format == zxingcpp.BarcodeFormat.QRCode]

    return decode
