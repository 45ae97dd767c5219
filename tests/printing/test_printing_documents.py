"""Missing-pieces list, convocation and day list."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from rdv_desktop.french import name_line
from rdv_desktop.printing.convocation import render_convocation
from rdv_desktop.printing.data import (
    ConvocationData,
    DayListData,
    DayListRow,
    MissingPiecesData,
    SiteInfo,
)
from rdv_desktop.printing.day_list import render_day_list
from rdv_desktop.printing.fonts import visual
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


def test_day_list_of_95_rows_in_slot_order_with_motifs_whole(pdf_pages) -> None:
    site = SiteInfo("Préfecture du Cantal", "Accueil des étrangers", "Aurillac", "CANTAL")
    data = DayListData(
        site=site,
        day=date(2026, 11, 26),
        rows=_rows(95),
        printed_at=datetime(2026, 11, 26, 7, 45, tzinfo=PARIS),
    )
    pages = pdf_pages(render_day_list(data))
    total = len(pages)
    assert 3 <= total <= 5  # motifs on two lines: fewer rows a page than 40
    for number, text in enumerate(pages, start=1):
        assert "Liste des rendez-vous du 26/11/2026" in text
        assert "Heure Ticket Nom Motif Étape" in text  # header repeated on every page
        assert f"page {number} / {total}" in text
        assert "imprimé le 26/11/2026 à 07:45" in text
    everything = " ".join(pages)
    order = [everything.index(f"PERSONNE{i:03d}") for i in range(95)]
    assert order == sorted(order) and all(everything.count(f"PERSONNE{i:03d}") == 1
                                          for i in range(95))
    # the motif wraps instead of being cut: its end (where AES motifs differ) is printed
    assert everything.count("familiale") == 95 and "…" not in everything
    first = pages[0]
    assert first.index("08:00") < first.index("08:05") < first.index("08:10")


def test_day_list_names_are_nom_prenom_whatever_the_script(pdf_pages) -> None:
    site = SiteInfo("Préfecture du Cantal", "Accueil des étrangers", "Aurillac", "CANTAL")
    rows = (DayListRow("09:00", "A014", name_line("بن علي", "Ahmed"), "Motif", "attendu"),
            DayListRow("09:15", "A015", name_line("Diallo", "Aïssatou"), "Motif", "attendu"))
    text = pdf_pages(render_day_list(DayListData(site, date(2026, 11, 26), rows,
                                                 datetime(2026, 11, 26, 7, 45, tzinfo=PARIS))))[0]
    assert "DIALLO Aïssatou" in text and "Ahmed" in text
    # as drawn, left to right (pypdf does not read shaped Arabic back): the family name first,
    # the isolates that ordered it never drawn
    drawn = visual(name_line("بن علي", "Ahmed"))
    assert re.match(r"[\ufb50-\ufeff]", drawn) and drawn.endswith(" Ahmed")
    assert not re.search("[\u2066-\u2069]", drawn)
    assert visual("بن علي Ahmed").startswith("Ahmed")  # what the list printed before


def test_empty_day_list_is_one_page(pdf_pages) -> None:
    site = SiteInfo("Préfecture du Cantal", "Accueil des étrangers", "Aurillac", "CANTAL")
    data = DayListData(site, date(2026, 11, 26), (), datetime(2026, 11, 26, 7, 45, tzinfo=PARIS))
    pages = pdf_pages(render_day_list(data))
    assert len(pages) == 1
    assert "Aucun rendez-vous" in pages[0]
