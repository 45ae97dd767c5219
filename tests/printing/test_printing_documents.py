"""Missing-pieces list, convocation and day list."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from rdv_desktop.printing.convocation import render_convocation
from rdv_desktop.printing.data import (
    ConvocationData,
    DayListData,
    DayListRow,
    MissingPiecesData,
    SiteInfo,
)
from rdv_desktop.printing.day_list import render_day_list
from rdv_desktop.printing.missing_pieces import render_missing_pieces

PARIS = ZoneInfo("Europe/Paris")
REPRINT = datetime(2026, 11, 27, 9, 15, tzinfo=PARIS)


def test_missing_pieces_mentions(missing_pieces: MissingPiecesData, pdf_pages) -> None:
    pages = pdf_pages(render_missing_pieces(missing_pieces))
    assert len(pages) == 1
    text = pages[0]
    for mention in (
        "Liste des pièces manquantes",
        "Préfecture du Cantal",
        "CANTAL-INC-2026-0042",
        "26/11/2026 à 10:05",
        "AG-0042",
        "NGUYỄN",
        "Thị Ánh",
        "04/03/1991",
        "AES – salarié / travailleur temporaire",
        "L435-1",
        "Pièces manquantes (2)",
        "Demande d'autorisation de travail Cerfa 15186",
        "signée par l'employeur",
        "Bulletins de salaire justifiant l'ancienneté",
        "Pièces déjà présentées (5)",
        "Formulaire de demande daté et signé",
        "Pour revenir",
        "jeudi 3 décembre 2026 à 09:30",
        "Présentez-vous au rendez-vous indiqué avec les pièces manquantes.",
        "n'a PAS été enregistré comme déposé",
    ):
        assert mention in text, mention
    assert "DUPLICATA" not in text.upper()


def test_missing_pieces_without_next_appointment(
    missing_pieces: MissingPiecesData, pdf_pages
) -> None:
    text = pdf_pages(render_missing_pieces(replace(missing_pieces, next_appointment=None)))[0]
    assert "Prochain rendez-vous" not in text
    assert "Pour revenir" in text


def test_missing_pieces_reprint(missing_pieces: MissingPiecesData, pdf_pages) -> None:
    data = replace(missing_pieces, duplicate_printed_at=REPRINT)
    text = pdf_pages(render_missing_pieces(data))[0]
    assert "DUPLICATA" in text
    assert "Réimprimé le 27/11/2026 à 09:15" in text


def test_convocation_mentions(convocation: ConvocationData, pdf_pages) -> None:
    pages = pdf_pages(render_convocation(convocation))
    assert len(pages) == 1
    text = pages[0]
    for mention in (
        "Convocation",
        "mardi 1er décembre 2026",
        "14:30",
        "Cours Monthyon, 15000 Aurillac",
        "RDV-2026-11-0815",
        "ИВАНОВА",
        "Мария Сергеевна",
        "Pièces à apporter (12)",
        "Passeport (pages état civil",
        "Présentez cette convocation à l'accueil",
        "C7Q2-M4PX-0815",
    ):
        assert mention in text, mention
    assert "DUPLICATA" not in text.upper()


def test_convocation_reprint(convocation: ConvocationData, pdf_pages) -> None:
    text = pdf_pages(render_convocation(replace(convocation, duplicate_printed_at=REPRINT)))[0]
    assert "DUPLICATA" in text
    assert "Réimprimé le 27/11/2026 à 09:15" in text


def test_convocation_qr_round_trip(convocation: ConvocationData, decode_qr) -> None:
    assert decode_qr(render_convocation(convocation)) == [convocation.checkin_payload]


def _rows(count: int) -> tuple[DayListRow, ...]:
    stages = ("attendu", "en attente", "appelé", "au guichet", "terminé")
    rows = [
        DayListRow(
            time=f"{8 + i // 12:02d}:{(i % 12) * 5:02d}",
            ticket=f"A{i:03d}",
            name=f"PERSONNE{i:03d} Prénom",
            motif="Admission exceptionnelle au séjour – vie privée et familiale",
            stage=stages[i % len(stages)],
        )
        for i in range(count)
    ]
    return tuple(reversed(rows))  # the renderer must sort by slot itself


def test_day_list_of_95_rows_has_3_pages_in_slot_order(pdf_pages) -> None:
    site = SiteInfo("Préfecture du Cantal", "Accueil des étrangers", "Aurillac", "CANTAL")
    data = DayListData(
        site=site,
        day=date(2026, 11, 26),
        rows=_rows(95),
        printed_at=datetime(2026, 11, 26, 7, 45, tzinfo=PARIS),
    )
    pages = pdf_pages(render_day_list(data))
    assert len(pages) == 3
    for number, text in enumerate(pages, start=1):
        assert "Liste des rendez-vous du 26/11/2026" in text
        assert "Heure Ticket Nom Motif Étape" in text  # header repeated on every page
        assert f"page {number} / 3" in text
        assert "imprimé le 26/11/2026 à 07:45" in text
    assert "PERSONNE000" in pages[0] and "PERSONNE039" in pages[0]
    assert "PERSONNE040" in pages[1] and "PERSONNE079" in pages[1]
    assert "PERSONNE080" in pages[2] and "PERSONNE094" in pages[2]
    first = pages[0]
    assert first.index("08:00") < first.index("08:05") < first.index("11:15")


def test_empty_day_list_is_one_page(pdf_pages) -> None:
    site = SiteInfo("Préfecture du Cantal", "Accueil des étrangers", "Aurillac", "CANTAL")
    data = DayListData(site, date(2026, 11, 26), (), datetime(2026, 11, 26, 7, 45, tzinfo=PARIS))
    pages = pdf_pages(render_day_list(data))
    assert len(pages) == 1
    assert "Aucun rendez-vous" in pages[0]
