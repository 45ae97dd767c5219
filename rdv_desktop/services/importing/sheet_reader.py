"""Spreadsheets: `.xlsx` (xlsx_reader, streamed and bounded) and `.xls` (xlrd); RDV Service
Public's export or any sheet whose header row uses the CSV column names.

The header row is the first of the first 20 rows that names the required columns; line numbers
are the sheet's own row numbers, as Excel shows them.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from datetime import datetime, time
from itertools import chain
from typing import Any, Literal

from ...errors import ValidationError
from .cancel import Cancelled, stop_if
from .headers import is_rdvsp, map_headers, missing_fields
from .limits import MAX_COLUMNS, MAX_XLS_BYTES, too_big, too_many_columns
from .rows import ReadResult
from .table import rows_from_table
from .values import text
from .xlsx_reader import Row, xlsx_rows

HEADER_SEARCH_ROWS = 20
XLS_DAMAGED = ("Classeur Excel 97-2003 (.xls) illisible : fichier endommagé ou d'un autre "
               "format. Ouvrez-le dans un tableur et enregistrez-le à nouveau, ou exportez-le "
               "en CSV.")


def _xls_cell(cell: Any, datemode: Literal[0, 1]) -> object:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            when = xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return str(cell.value)
        return when.time() if cell.value < 1 else when
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    return cell.value


def _xls_rows(data: bytes, cancelled: Cancelled | None) -> Iterator[Row]:
    import xlrd

    if len(data) > MAX_XLS_BYTES:
        raise too_big(len(data), MAX_XLS_BYTES, "Classeur .xls trop volumineux")
    try:
        # xlrd writes its warnings to `logfile` (stdout by default): keep them off the terminal.
        book = xlrd.open_workbook(file_contents=data, on_demand=True, ragged_rows=True,
                                  logfile=io.StringIO(), verbosity=0)
        sheet = book.sheet_by_index(0)
    except Exception:  # a third-party parser on untrusted bytes: any failure is "unreadable"
        raise ValidationError(XLS_DAMAGED) from None
    try:
        for index in range(sheet.nrows):
            if index % 256 == 0:
                stop_if(cancelled)
            cells = [_xls_cell(c, book.datemode) for c in sheet.row(index)]
            while cells and cells[-1] in (None, ""):
                cells.pop()
            if len(cells) > MAX_COLUMNS:
                raise too_many_columns(index + 1, len(cells))
            if cells:
                yield index + 1, cells
    finally:
        book.release_resources()


def _header_headers(row: Sequence[object]) -> list[str]:
    return [text(c) if not isinstance(c, datetime | time) else "" for c in row]


def read_sheet(data: bytes, kind: str, cancelled: Cancelled | None = None) -> ReadResult:
    """`kind` is "xlsx" or "xls"."""
    rows = xlsx_rows(data, cancelled) if kind == "xlsx" else _xls_rows(data, cancelled)
    head: list[Row] = []
    header_at = None
    for line, cells in rows:
        head.append((line, cells))
        if not missing_fields(map_headers(_header_headers(cells))[0]):
            header_at = len(head) - 1
            break
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    if not head:
        raise ValidationError("La première feuille du classeur est vide.")
    header_at = 0 if header_at is None else header_at
    headers = _header_headers(head[header_at][1])
    rdvsp = is_rdvsp(headers)
    body = chain(head[header_at + 1:], rows)
    found, problems, ignored = rows_from_table(headers, body, "RDVSP" if rdvsp else "IMP",
                                               cancelled)
    label = ("export RDV Service Public" if rdvsp else "classeur") + f" (.{kind})"
    if rdvsp:
        ignored = []  # its other columns are known and deliberately not used
    return ReadResult(label, tuple(found), tuple(problems), tuple(ignored))
