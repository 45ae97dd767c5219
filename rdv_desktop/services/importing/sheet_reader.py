"""Spreadsheets: `.xlsx` with openpyxl, `.xls` with xlrd; RDV Service Public's export or any
sheet whose header row uses the CSV column names.

The header row is the first of the first 20 rows that names the required columns; line numbers
are the sheet's own row numbers, as Excel shows them.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from datetime import datetime, time
from typing import Any, Literal

from ...errors import ValidationError
from .headers import is_rdvsp, map_headers, missing_fields
from .rows import ReadResult
from .table import rows_from_table
from .values import text

HEADER_SEARCH_ROWS = 20


def _unreadable(kind: str, exc: BaseException) -> ValidationError:
    detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
    return ValidationError(f"Classeur {kind} illisible ({detail}). Ouvrez-le dans un tableur et "
                           "enregistrez-le à nouveau, ou exportez-le en CSV.")


def _xlsx_rows(data: bytes) -> Iterator[Sequence[object]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
        book.close()
    except Exception as exc:  # a third-party parser on untrusted bytes: any failure is "unreadable"
        raise _unreadable("Excel (.xlsx)", exc) from None
    return iter(rows)


def _xls_cell(cell: Any, datemode: Literal[0, 1]) -> object:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            when = xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return str(cell.value)
        return when.time() if cell.value < 1 else when
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    return cell.value


def _xls_rows(data: bytes) -> Iterator[Sequence[object]]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
        sheet = book.sheet_by_index(0)
        rows = [tuple(_xls_cell(c, book.datemode) for c in sheet.row(i))
                for i in range(sheet.nrows)]
        book.release_resources()
    except Exception as exc:  # same as above: xlrd raises many kinds on damaged files
        raise _unreadable("Excel 97-2003 (.xls)", exc) from None
    return iter(rows)


def _header_headers(row: Sequence[object]) -> list[str]:
    return [text(c) if not isinstance(c, datetime | time) else "" for c in row]


def read_sheet(data: bytes, kind: str) -> ReadResult:
    """`kind` is "xlsx" or "xls"."""
    rows = list(_xlsx_rows(data) if kind == "xlsx" else _xls_rows(data))
    header_index = None
    first_filled = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        headers = _header_headers(row)
        if not any(headers):
            continue
        first_filled = index if first_filled is None else first_filled
        if not missing_fields(map_headers(headers)[0]):
            header_index = index
            break
    if first_filled is None:
        raise ValidationError("La première feuille du classeur est vide.")
    header_index = first_filled if header_index is None else header_index
    headers = _header_headers(rows[header_index])
    rdvsp = is_rdvsp(headers)
    body = ((i + 1, row) for i, row in enumerate(rows) if i > header_index)
    found, problems, ignored = rows_from_table(headers, body, "RDVSP" if rdvsp else "IMP")
    label = ("export RDV Service Public" if rdvsp else "classeur") + f" (.{kind})"
    if rdvsp:
        ignored = []  # its other columns are known and deliberately not used
    return ReadResult(label, tuple(found), tuple(problems), tuple(ignored))
