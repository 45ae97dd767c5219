"""The XLSX export opens ready to work: header row frozen and filterable, columns as wide as
their content (within bounds, whatever a booking's name holds), cells still text, never formulas.
Read back with openpyxl, as a spreadsheet would."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.counter.booking import NewAppointment
from rdv_desktop.services.office.exports import HEADERS, MAX_WIDTH, MIN_WIDTH
from rdv_desktop.services.setup import Services

from .conftest import TODAY


def test_xlsx_header_frozen_filtered_and_columns_fitted(services: Services, manager: Actor,
                                                        admin: Actor, tmp_path: Path) -> None:
    people = [
        ("Ng", "Li", None),
        ("Mbappé-Ndiaye-Rakotomalala", "Hélène-Marie", "AES_SALARIE"),
        ("بن علي", "Nour", "AES_SALARIE"),
        ("X" * 200, "=HYPERLINK(\"http://x\",\"clic\")", None),  # hostile: long, a formula
    ]
    for n, (family, given, motif) in enumerate(people):
        services.booking.create(admin, NewAppointment(family, given, TODAY, time(9, 15 * n),
                                                      motif, date(1990, 1, 1 + n)))
    out = tmp_path / "rdv.xlsx"
    assert services.office.exports.export(manager, TODAY, TODAY, out).rows == len(people)

    sheet = load_workbook(out).active
    assert sheet is not None
    last = get_column_letter(len(HEADERS))
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{last}{len(people) + 1}"
    width = {h: sheet.column_dimensions[get_column_letter(n)].width
             for n, h in enumerate(HEADERS, start=1)}
    assert all(MIN_WIDTH <= w <= MAX_WIDTH for w in width.values()), width
    assert width["Nom"] == MAX_WIDTH  # the 200 X's are capped
    assert width["Prénoms"] == len("=HYPERLINK(\"http://x\",\"clic\")") + 2
    assert width["Date"] == len("jj/mm/aaaa") + 2 and width["Heure"] == MIN_WIDTH
    assert width["Numéro de dossier"] == len("Numéro de dossier") + 2  # the header is widest
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no formula anywhere
    given = {c.value for c in cells if c.column == HEADERS.index("Prénoms") + 1}
    assert "=HYPERLINK(\"http://x\",\"clic\")" in given  # kept as typed, as text
    assert all(c.font.bold for c in sheet[1])


def test_empty_period_still_has_a_filterable_header(services: Services, manager: Actor,
                                                    tmp_path: Path) -> None:
    out = tmp_path / "vide.xlsx"
    assert services.office.exports.export(manager, TODAY, TODAY, out).rows == 0
    sheet = load_workbook(out).active
    assert sheet is not None
    assert sheet.max_row == 1 and sheet.auto_filter.ref == f"A1:{get_column_letter(20)}1"
    assert sheet.freeze_panes == "A2"
