"""CSV for French Excel (BOM, `;`, jj/mm/aaaa) and typed XLSX, one row per appointment."""

from __future__ import annotations

import csv
import io
import os
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from rdv_desktop.errors import ValidationError
from rdv_desktop.models import AuditEvent, Dossier
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.office.exports import HEADERS
from rdv_desktop.services.setup import Services

from .conftest import TODAY, appointment_rows

START = TODAY - timedelta(days=10)


def numbers(services: Services) -> set[str]:
    with services.ctx.db.read() as s:
        return set(s.scalars(select(Dossier.number).where(Dossier.number.is_not(None))))


def test_csv_opens_in_french_excel(history: Services, manager: Actor, tmp_path: Path) -> None:
    out = tmp_path / "rdv.csv"
    result = history.office.exports.export(manager, START, TODAY, out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert tuple(rows[0]) == HEADERS
    assert "Numéro de dossier" in rows[0]
    body = rows[1:]
    assert len(body) == result.rows == len(appointment_rows(history, START, TODAY))
    assert all(len(r) == len(HEADERS) for r in body)
    day_col = HEADERS.index("Date")
    for r in body:
        assert datetime.strptime(r[day_col], "%d/%m/%Y").date() >= START
    dossier_col = HEADERS.index("Numéro de dossier")
    exported = {r[dossier_col] for r in body if r[dossier_col]}
    assert exported and exported <= numbers(history)
    with history.ctx.db.read() as s:
        audit = s.scalar(select(AuditEvent).where(AuditEvent.action == "export"))
    assert audit is not None and audit.after["rows"] == result.rows


def test_xlsx_cells_are_typed(history: Services, manager: Actor, tmp_path: Path) -> None:
    out = tmp_path / "rdv.xlsx"
    result = history.office.exports.export(manager, START, TODAY, out)
    sheet = load_workbook(out, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert tuple(rows[0]) == HEADERS
    assert len(rows) - 1 == result.rows
    col = {name: i for i, name in enumerate(HEADERS)}
    served = [r for r in rows[1:] if r[col["Attente (min)"]] is not None]
    assert served
    for r in rows[1:]:
        assert isinstance(r[col["Date"]], datetime)  # Excel dates come back as datetimes
        assert START <= r[col["Date"]].date() <= TODAY
        assert isinstance(r[col["Heure"]], time)
    for r in served:
        assert isinstance(r[col["Attente (min)"]], int)
        assert isinstance(r[col["Guichet"]], int)
    cells = load_workbook(out).worksheets[0]
    assert cells.cell(row=2, column=col["Date"] + 1).number_format == "DD/MM/YYYY"
    assert cells.cell(row=2, column=col["Date"] + 1).is_date


def test_unwritable_targets_are_refused(services: Services, manager: Actor,
                                        tmp_path: Path) -> None:
    exports = services.office.exports
    tmp_path = tmp_path / "exports"
    tmp_path.mkdir()
    with pytest.raises(ValidationError, match="n'existe pas"):
        exports.export(manager, TODAY, TODAY, tmp_path / "absent" / "x.csv")
    with pytest.raises(ValidationError, match=r"\.csv ou \.xlsx"):
        exports.export(manager, TODAY, TODAY, tmp_path / "x.pdf")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if not os.access(locked, os.W_OK):  # root ignores permissions
            with pytest.raises(ValidationError, match="Impossible d'écrire"):
                exports.export(manager, TODAY, TODAY, locked / "x.csv")
    finally:
        locked.chmod(0o700)
    with pytest.raises(ValidationError, match="inversée"):
        exports.export(manager, TODAY, TODAY - timedelta(days=1), tmp_path / "x.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["locked"]


def test_formula_like_names_stay_text(services: Services, manager: Actor, admin: Actor,
                                      tmp_path: Path) -> None:
    from rdv_desktop.services.counter.booking import NewAppointment

    services.booking.create(admin, NewAppointment("=HYPERLINK(1)", "x", TODAY, time(9),
                                                  None, birth_date=date(1990, 5, 4)))
    out = tmp_path / "x.csv"
    services.office.exports.export(manager, TODAY, TODAY, out)
    row = out.read_text(encoding="utf-8-sig").splitlines()[1].split(";")
    assert row[HEADERS.index("Nom")] == "'=HYPERLINK(1)"
    assert row[HEADERS.index("Date de naissance")] == "04/05/1990"


def test_formula_like_names_stay_text_in_xlsx(services: Services, manager: Actor, admin: Actor,
                                              tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from rdv_desktop.services.counter.booking import NewAppointment

    hostile = ("=HYPERLINK(\"http://x\",\"clic\")", "=cmd|' /C calc'!A0", "+1+1", "@SUM(A1)")
    for name in hostile:
        services.booking.create(admin, NewAppointment(name, "x", TODAY, time(9), None))
    out = tmp_path / "x.xlsx"
    services.office.exports.export(manager, TODAY, TODAY, out)
    sheet = load_workbook(out).active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no formula anywhere
    names = {c.value for c in cells if c.column == HEADERS.index("Nom") + 1}
    assert set(hostile) <= names  # kept as typed, as text
