"""Hostile import files, built byte by byte (imported by name: conftest puts this folder on the
path; bench/import_bench.py uses them too)."""

from __future__ import annotations

import io
import zipfile
import zlib

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEADERS = ("Nom", "Prénom", "Date", "Heure")


def _parts(sheet: bytes, shared: bytes | None = None) -> dict[str, bytes]:
    parts = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.'
                               b'openxmlformats.org/package/2006/content-types"/>',
        "xl/workbook.xml": (f'<workbook xmlns="{NS}" xmlns:r="{RELS}"><sheets><sheet name="A" '
                            'sheetId="1" r:id="rId1"/></sheets></workbook>').encode(),
        "xl/_rels/workbook.xml.rels": (
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="x"/>'
            b'</Relationships>'),
        "xl/worksheets/sheet1.xml": sheet,
    }
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    return parts


def xlsx(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


def _cell(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def _header_row(line: int = 1) -> str:
    cells = "".join(_cell(f"{c}{line}", h) for c, h in zip("ABCD", HEADERS, strict=True))
    return f'<row r="{line}">{cells}</row>'


def wide_dimension() -> bytes:
    """The 1.5 KB workbook that hung the station: dimension A1:XFD1048576, its header row and
    one appointment at the very bottom of the sheet, one value in the last column."""
    last = 1_048_576
    row = (f'<row r="{last}">' + _cell(f"A{last}", "Dupont") + _cell(f"B{last}", "Jean")
           + _cell(f"C{last}", "27/11/2026") + _cell(f"D{last}", "09:30") + "</row>")
    sheet = (f'<worksheet xmlns="{NS}"><dimension ref="A1:XFD{last}"/><sheetData>'
             + _header_row() + row + "</sheetData></worksheet>")
    return xlsx(_parts(sheet.encode()))


def many_rows(rows: int = 999_999, day: str = "27/11/2026") -> bytes:
    """A small workbook of very many rows, each naming no one (one rejected line each)."""
    body = "".join(f'<row r="{i}"><c r="C{i}" t="inlineStr"><is><t>{day}</t></is></c></row>'
                   for i in range(2, rows + 2))
    sheet = f'<worksheet xmlns="{NS}"><sheetData>{_header_row()}{body}</sheetData></worksheet>'
    return xlsx(_parts(sheet.encode()))


def zip_bomb_shared_strings(megabytes: int = 300) -> bytes:
    """Tiny compressed, huge once inflated: a sharedStrings part of `megabytes` MB."""
    sheet = f'<worksheet xmlns="{NS}"><sheetData>{_header_row()}</sheetData></worksheet>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, data in _parts(sheet.encode()).items():
            z.writestr(name, data)
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(f'<sst xmlns="{NS}"><si><t>'.encode())
            block = b"A" * (1024 * 1024)
            for _ in range(megabytes):
                part.write(block)
            part.write(b"</t></si></sst>")
    return out.getvalue()


def lying_sizes() -> bytes:
    """A sheet part whose archive entry claims 1 KB but inflates to 50 MB: zipfile stops at the
    claimed size and the reader must say the workbook is damaged, in French."""
    big = (f'<worksheet xmlns="{NS}"><sheetData>{_header_row()}'.encode()
           + b"<row r='2'>" + b" " * (50 * 1024 * 1024) + b"</row></sheetData></worksheet>")
    data = bytearray(xlsx(_parts(big)))
    compressed = zlib.compress(big)  # only used to check the fixture really is small
    assert len(compressed) < len(big)
    name = b"xl/worksheets/sheet1.xml"
    for header, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(header, start)) >= 0:
            offset = 30 if header == b"PK\x03\x04" else 46
            if data[start + offset:start + offset + len(name)] == name:
                data[start + size_at:start + size_at + 4] = (1024).to_bytes(4, "little")
            start += 4
    return bytes(data)


def huge_row() -> bytes:
    """One row of 20 MB of cells: more than a row may hold, refused before it is in memory."""
    cells = "".join(_cell(f"A{2}", "x" * 9_000) for _ in range(2_300))
    sheet = (f'<worksheet xmlns="{NS}"><sheetData>{_header_row()}<row r="2">{cells}</row>'
             "</sheetData></worksheet>")
    return xlsx(_parts(sheet.encode()))


def entity_expansion() -> bytes:
    sheet = (f'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]>'
             f'<worksheet xmlns="{NS}"><sheetData>{_header_row()}</sheetData></worksheet>')
    return xlsx(_parts(sheet.encode()))


def wide_columns(columns: int = 1_000) -> bytes:
    cells = "".join(f'<c r="{_column_name(i)}1" t="inlineStr"><is><t>x{i}</t></is></c>'
                    for i in range(1, columns + 1))
    sheet = f'<worksheet xmlns="{NS}"><sheetData><row r="1">{cells}</row></sheetData></worksheet>'
    return xlsx(_parts(sheet.encode()))


def _column_name(index: int) -> str:
    name = ""
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name
