"""Writing RDV Service Public export sheets (.xlsx with openpyxl, .xls with xlwt) for tests.

The header row is the one the real export uses (shared/domain/README.md). Run this file to
regenerate the samples in resources/samples/.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

RDVSP_HEADER = (
    "année", "date prise rdv", "heure prise rdv", "origine", "date rdv", "heure rdv", "service",
    "motif", "contexte", "statut", "lieu", "professionnel.le(s)", "usager(s)",
    "commune du premier responsable", "au moins un usager mineur ?",
    "résultat des notifications", "Organisation", "date naissance",
    "code postal du premier responsable", "créé par", "email(s) professionnel.le(s)",
)


# RDV Service Public's participations export (participation_exporter.rb): one row per person.
PARTICIPATION_HEADER = (
    "usager", "rdv_id", "année", "date prise rdv", "heure prise rdv", "origine", "date rdv",
    "heure rdv", "service", "motif", "contexte", "statut", "lieu", "professionnel.le(s)",
    "commune du responsable", "usager mineur ?", "résultat des notifications", "Organisation",
    "date naissance", "code postal du responsable", "créé par", "email(s) professionnel.le(s)",
)


def participation_row(user: str, rdv_id: int, day: str, hour: str, motif: str,
                      birth: str = "", status: str = "Rendez-vous à venir"
                      ) -> tuple[object, ...]:
    """One participation line, as the export writes it."""
    return (user, rdv_id, 2026, "02/11/2026", "10:12", "RDV Pris sur internet", day, hour,
            "Titres de séjour", motif, "", status, "Préfecture du Cantal, Aurillac",
            "Guichet étrangers", "Aurillac", "non", "SMS et email envoyés",
            "Préfecture du Cantal", birth, "15000", "usager", "guichet@cantal.example")


def rdvsp_row(day: str, hour: str, users: str, motif: str, status: str = "Rendez-vous à venir",
              birth: str = "") -> tuple[object, ...]:
    """One export line; `day` as DD/MM/YYYY and `hour` as hh:mm, as the export writes them."""
    return (2026, "02/11/2026", "10:12", "RDV Pris sur internet", day, hour, "Titres de séjour",
            motif, "", status, "Préfecture du Cantal, Aurillac", "Guichet étrangers", users,
            "Aurillac", "non", "SMS et email envoyés", "Préfecture du Cantal", birth, "15000",
            "usager", "guichet@cantal.example")


SAMPLE_ROWS = (
    rdvsp_row("26/11/2026", "09:00", "Aminata DIALLO",
              "Admission exceptionnelle au séjour – vie privée et familiale",
              birth="12/03/1990"),
    rdvsp_row("26/11/2026", "09:45", "Mariam KONATÉ, Ibrahim KONATÉ",
              "Admission exceptionnelle au séjour - salarié/travailleur temporaire",
              birth="02/02/1986, 15/09/2012"),
    rdvsp_row("26/11/2026", "10:30", "Oleksandr BONDARENKO", "Demande de titre - autre",
              status="Annulé (excusé)", birth="30/10/1979"),
    rdvsp_row("27/11/2026", "08:45", "Chen LI", "Carte de séjour « retraité »",
              status="Annulé (par le service)", birth="08/08/1955"),
    rdvsp_row("32/11/2026", "09:00", "Nadia BOUZID", "Vie privée et familiale – apatride"),
    rdvsp_row("27/11/2026", "09:15", "", "Carte de séjour « retraité »"),
    rdvsp_row("27/11/2026", "10:00", "Paulo SILVA", "VPF liens personnels et familiaux",
              status="Rendez-vous honoré", birth="21/01/1993"),
)


def write_xlsx(path: Path, rows: Sequence[Sequence[object]],
               header: Sequence[str] = RDVSP_HEADER) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Rdvs"
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def write_xls(path: Path, rows: Sequence[Sequence[object]],
              header: Sequence[str] = RDVSP_HEADER) -> Path:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Rdvs")
    for col, name in enumerate(header):
        sheet.write(0, col, name)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            sheet.write(r, col, value)
    book.save(str(path))
    return path


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else (
        Path(__file__).resolve().parents[2] / "resources" / "samples")
    write_xlsx(target / "export-rdv-service-public.xlsx", SAMPLE_ROWS)
    write_xls(target / "export-rdv-service-public.xls", SAMPLE_ROWS)
    print(f"samples written to {target}")
