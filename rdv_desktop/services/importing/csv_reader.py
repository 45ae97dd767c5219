"""CSV: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252; `;`, `,` or tab.

Excel in France saves « CSV (séparateur : point-virgule) » in Windows-1252 and « CSV UTF-8 »
with a BOM; both come in as they are. Whatever the bytes, the caller gets rows, per-line
problems, or one `ValidationError` with a French sentence, never another exception.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ...errors import ValidationError
from .cancel import Cancelled
from .limits import MAX_COLUMNS, too_long_cell, too_many_columns
from .rows import ReadResult
from .table import rows_from_table

if TYPE_CHECKING:
    from _csv import Reader  # what csv.reader() returns; the csv stub does not re-export it

DELIMITERS = (";", ",", "\t")
_BLOCK = 1024 * 1024


def sniff_delimiter(header_line: str) -> str:
    """The separator that splits the header line most; `;` when nothing splits it."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _first_bad_byte(data: bytes, codec: str) -> int | None:
    """Where `data` stops being `codec`, checked block by block (nothing decoded is kept)."""
    decoder = codecs.getincrementaldecoder(codec)()
    for start in range(0, len(data), _BLOCK):
        try:
            decoder.decode(data[start:start + _BLOCK], final=start + _BLOCK >= len(data))
        except UnicodeDecodeError as exc:
            return max(0, start + exc.start - len(decoder.getstate()[0]))
    return None


def detect(data: bytes) -> tuple[str, str]:
    """(Python codec, name shown) without decoding the whole file into one string."""
    if not data or data.isspace():
        raise ValidationError("Le fichier est vide.")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        bad = _first_bad_byte(data, "utf-16")
        if bad is not None:
            raise ValidationError(
                f"Encodage illisible : le fichier annonce l'UTF-16 mais l'octet {bad} n'en est "
                "pas. Enregistrez-le à nouveau en « CSV UTF-8 ».")
        return "utf-16", "UTF-16"
    if data.startswith(codecs.BOM_UTF8):
        bad = _first_bad_byte(data, "utf-8-sig")
        if bad is not None:
            raise ValidationError(
                "Encodage illisible : le fichier commence comme de l'UTF-8 mais l'octet "
                f"{bad + 3} n'en est pas. Enregistrez-le à nouveau en « CSV UTF-8 ».")
        return "utf-8-sig", "UTF-8"
    if b"\x00" in data:
        raise ValidationError(
            "Ce fichier n'est pas un fichier texte (il contient des octets nuls : un classeur ou "
            "un fichier binaire ?). Choisissez un fichier .csv, .ics, .xls ou .xlsx.")
    if _first_bad_byte(data, "utf-8") is None:
        return "utf-8", "UTF-8"
    bad = _first_bad_byte(data, "cp1252")
    if bad is not None:
        line = data.count(b"\n", 0, bad) + 1
        raise ValidationError(
            f"Encodage non reconnu (ligne {line}, octet 0x{data[bad]:02X}) : ni UTF-8 ni "
            "Windows-1252. Enregistrez le fichier en « CSV UTF-8 » et réessayez.")
    return "cp1252", "Windows-1252"


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name) of a small file (.ics): the whole text at once."""
    codec, label = detect(data)
    return data.decode(codec), label


def _stream(data: bytes, codec: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data), encoding=codec, newline="")


def _records(reader: Reader) -> Iterator[tuple[int, list[str]]]:
    """(first physical line, cells) of each non-empty record, streamed (the caller counts
    them and reads the cancel flag)."""
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger" in str(exc):  # the csv module's own limit (131,072 characters)
                raise too_long_cell(start) from None
            raise ValidationError(
                f"Ligne {reader.line_num} illisible (guillemets mal fermés ou caractère nul). "
                "Vérifiez les guillemets du fichier.") from None
        while cells and not cells[-1].strip():
            cells.pop()
        if len(cells) > MAX_COLUMNS:
            raise too_many_columns(start, len(cells))
        if cells:
            yield start, cells


def read_csv(data: bytes, cancelled: Cancelled | None = None) -> ReadResult:
    codec, encoding = detect(data)
    with _stream(data, codec) as lines:
        first = next((ln for ln in lines if ln.strip()), "")
    delimiter = sniff_delimiter(first[:100_000])
    with _stream(data, codec) as content:
        reader = csv.reader(content, delimiter=delimiter, strict=False)
        records = _records(reader)
        header = next(records, None)
        if header is None:
            raise ValidationError("Le fichier ne contient aucune ligne.")
        rows, problems, ignored = rows_from_table(header[1], records, "IMP", cancelled)
    label = f"CSV ({encoding}, séparateur « {'tabulation' if delimiter == chr(9) else delimiter} »)"
    return ReadResult(label, tuple(rows), tuple(problems), tuple(ignored))
