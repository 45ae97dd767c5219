"""A bounded, streaming reader for .xlsx: the first sheet's rows, as the file holds them.

openpyxl pads every row to the sheet's declared dimension and every gap between rows: a 1.5 KB
workbook declaring `A1:XFD1048576` with one row at the bottom made it build a billion cells.
This reader walks the sheet's XML with `iterparse`, yields only the rows and cells present,
never trusts a declared size (the archive's sizes bound what zipfile yields, and are checked
before anything is inflated), refuses a DOCTYPE (no entity tricks), caps the bytes of one row,
and checks the caller's cancel flag at every block it reads.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import IO, Any
from xml.etree.ElementTree import ParseError, iterparse

from ...errors import ValidationError
from .cancel import Cancelled, stop_if
from .limits import (
    MAX_ARCHIVE_MEMBERS,
    MAX_COLUMNS,
    MAX_ROW_BYTES,
    MAX_SHARED_STRINGS_BYTES,
    MAX_UNCOMPRESSED_BYTES,
    megabytes,
    too_big,
    too_many_columns,
)

Row = tuple[int, list[object]]  # (the row number Excel shows, cells from column A)
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_COLUMN = re.compile(r"[A-Z]{1,3}")
# A row's start or end tag, with or without a namespace prefix. « < » cannot occur in XML text,
# so cell contents never match: the bytes between two matches are one row.
_ROW_TAG = re.compile(rb"<(?:/)?(?:[A-Za-z_][\w.-]*:)?(?:row|si)[\s>/]")
_FORBIDDEN = (b"<!DOCTYPE", b"<!ENTITY")
_BLOCK = 64 * 1024
# Built-in number formats that are dates or times (ECMA-376 18.8.30).
_DATE_FORMAT_IDS = frozenset({*range(14, 23), *range(45, 48), *range(27, 37), *range(50, 59)})
_DATE_CODE = re.compile(r"[dmyhs]")


def _unreadable(why: str) -> ValidationError:
    return ValidationError(f"Classeur Excel (.xlsx) illisible : {why}. Ouvrez-le dans un tableur "
                           "et enregistrez-le à nouveau, ou exportez-le en CSV.")


class _Guarded:
    """A part of the archive read block by block: cancel flag, DOCTYPE, bytes per row."""

    def __init__(self, raw: IO[bytes], name: str, cancelled: Cancelled | None) -> None:
        self._raw, self._name, self._cancelled = raw, name, cancelled
        self._since_tag = 0
        self._tail = b""

    def read(self, size: int = -1) -> bytes:
        stop_if(self._cancelled)
        block = self._raw.read(_BLOCK if size < 0 else min(size, _BLOCK))
        seen = self._tail + block
        if any(marker in seen for marker in _FORBIDDEN):
            raise _unreadable(f"la partie « {self._name} » déclare des entités XML")
        last = max(_ROW_TAG.finditer(seen), key=lambda m: m.end(), default=None)
        self._since_tag = (len(seen) - last.end() if last is not None
                           else self._since_tag + len(block))
        if self._since_tag > MAX_ROW_BYTES:
            raise ValidationError(f"Fichier refusé : une ligne du classeur dépasse "
                                  f"{megabytes(MAX_ROW_BYTES)} ; ce n'est pas une liste de "
                                  "rendez-vous.")
        self._tail = seen[-16:]
        return block


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


class _Workbook:
    """The parts of the archive the first sheet needs: its path, shared strings, date styles."""

    def __init__(self, data: bytes, cancelled: Cancelled | None) -> None:
        self.cancelled = cancelled
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
            infos = self.archive.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
            raise _unreadable("archive zip endommagée") from None
        if len(infos) > MAX_ARCHIVE_MEMBERS:
            raise _unreadable(f"{len(infos)} parties dans l'archive")
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise too_big(total, MAX_UNCOMPRESSED_BYTES,
                          "Classeur trop volumineux une fois décompressé")
        self.sizes = {i.filename: i.file_size for i in infos}
        self.date1904 = False
        self.sheet = self._first_sheet()
        self.strings = self._shared_strings()
        self.date_styles = self._date_styles()

    def open(self, name: str) -> _Guarded:
        if name not in self.sizes:
            raise _unreadable(f"partie « {name[:80]} » absente")
        try:
            raw = self.archive.open(name)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, OSError):
            raise _unreadable(f"partie « {name[:80]} » endommagée") from None
        return _Guarded(raw, name, self.cancelled)

    def events(self, name: str, events: tuple[str, ...] = ("end",)) -> Iterator[tuple[str, Any]]:
        """The part's XML events; any damage becomes one French sentence."""
        try:
            yield from iterparse(self.open(name), events=events)
        except ParseError as exc:
            line = exc.position[0] if exc.position else 0
            raise _unreadable(f"XML invalide dans « {name[:80]} » (ligne {line})") from None
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, RuntimeError):
            raise _unreadable(f"partie « {name[:80]} » endommagée") from None

    def _small(self, name: str) -> list[Any]:
        if self.sizes.get(name, 0) > 8 * 1024 * 1024:
            raise too_big(self.sizes[name], 8 * 1024 * 1024,
                          f"Partie « {name} » du classeur trop volumineuse")
        return [elem for _, elem in self.events(name)]

    def _first_sheet(self) -> str:
        target = None
        first_id = None
        for elem in self._small("xl/workbook.xml"):
            tag = _local(elem.tag)
            if tag == "sheet" and first_id is None:
                first_id = elem.get(f"{{{_REL_NS}}}id") or elem.get("id")
            elif tag == "workbookPr":
                self.date1904 = elem.get("date1904", "0") in ("1", "true")
        if first_id is None:
            raise _unreadable("aucune feuille")
        rels = "xl/_rels/workbook.xml.rels"
        for elem in self._small(rels) if rels in self.sizes else []:
            if _local(elem.tag) == "Relationship" and elem.get("Id") == first_id:
                target = elem.get("Target", "")
        if not target:
            raise _unreadable("feuille introuvable")
        target = target.lstrip("/")
        return target if target.startswith("xl/") else f"xl/{target}"

    def _shared_strings(self) -> list[str]:
        name = "xl/sharedStrings.xml"
        if name not in self.sizes:
            return []
        if self.sizes[name] > MAX_SHARED_STRINGS_BYTES:
            raise too_big(self.sizes[name], MAX_SHARED_STRINGS_BYTES,
                          "Table des textes du classeur trop volumineuse")
        strings: list[str] = []
        for _, elem in self.events(name):
            if _local(elem.tag) == "si":
                strings.append(_text_of(elem))
                elem.clear()
        return strings

    def _date_styles(self) -> frozenset[int]:
        name = "xl/styles.xml"
        if name not in self.sizes:
            return frozenset()
        custom: dict[int, str] = {}
        xf_formats: list[int] = []
        in_cell_xfs = False
        for event, elem in self.events(name, ("start", "end")):
            tag = _local(elem.tag)
            if tag == "cellXfs":
                in_cell_xfs = event == "start"
            elif event == "end" and tag == "numFmt":
                custom[_int(elem.get("numFmtId"))] = elem.get("formatCode", "")
            elif event == "end" and tag == "xf" and in_cell_xfs:
                xf_formats.append(_int(elem.get("numFmtId")))
        return frozenset(i for i, fmt in enumerate(xf_formats)
                         if _is_date_format(fmt, custom.get(fmt)))


def _is_date_format(fmt_id: int, code: str | None) -> bool:
    if code is None:
        return fmt_id in _DATE_FORMAT_IDS
    bare = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code.lower())  # quoted text, colours, escapes
    return bool(_DATE_CODE.search(bare)) and "general" not in bare


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return -1


def _text_of(elem: Any) -> str:
    """A string item (<si>, <is>): its text, rich-text runs joined, phonetic guides left out."""
    parts: list[str] = []
    for child in elem:
        tag = _local(child.tag)
        if tag == "t":
            parts.append(child.text or "")
        elif tag == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(parts)


def _column(ref: str | None, fallback: int) -> int:
    """« AB12 » → 28 (1-based); without a reference, the cell after the previous one."""
    if not ref:
        return fallback
    m = _COLUMN.match(ref)
    if m is None:
        return fallback
    index = 0
    for ch in m.group():
        index = index * 26 + ord(ch) - 64
    return index


def _serial_date(value: float, date1904: bool) -> object:
    """An Excel serial number as a datetime, or a time for a serial under one day."""
    epoch = datetime(1904, 1, 1) if date1904 else datetime(1899, 12, 30)
    try:
        when = epoch + timedelta(days=value)
    except (OverflowError, ValueError):
        return value
    return when.time() if 0 <= value < 1 else when.replace(microsecond=0)


def _cell_value(book: _Workbook, cell: Any) -> object:
    kind = cell.get("t", "n")
    raw = None
    for child in cell:
        tag = _local(child.tag)
        if tag == "v":
            raw = child.text
        elif tag == "is":
            return _text_of(child)
    if raw is None:
        return None
    if kind == "s":
        index = _int(raw)
        return book.strings[index] if 0 <= index < len(book.strings) else None
    if kind in ("str", "inlineStr", "d"):
        return raw
    if kind == "b":
        return raw.strip() in ("1", "true")
    if kind == "e":
        return None
    try:
        number = float(raw)
    except ValueError:
        return raw
    if _int(cell.get("s")) in book.date_styles:
        return _serial_date(number, book.date1904)
    return number


def _row_cells(book: _Workbook, row: Any, line: int) -> list[object]:
    cells: list[object] = []
    for cell in row:
        if _local(cell.tag) != "c":
            continue
        column = _column(cell.get("r"), len(cells) + 1)
        value = _cell_value(book, cell)
        if value is None or value == "":
            continue
        if column > MAX_COLUMNS:
            raise too_many_columns(line, column)
        cells.extend([None] * (column - len(cells)))
        cells[column - 1] = value
    return cells


def xlsx_rows(data: bytes, cancelled: Cancelled | None = None) -> Iterator[Row]:
    """The first sheet's non-empty rows, in file order, with their row numbers."""
    book = _Workbook(data, cancelled)
    parent = None
    previous = 0
    for event, elem in book.events(book.sheet, ("start", "end")):
        tag = _local(elem.tag)
        if event == "start":
            if tag == "sheetData":
                parent = elem
            continue
        if tag != "row":
            continue
        line = _int(elem.get("r")) if elem.get("r") else previous + 1
        previous = line
        cells = _row_cells(book, elem, line)
        if parent is not None:
            parent.clear()  # the rows already read: nothing of the sheet accumulates
        if cells:
            yield line, cells
