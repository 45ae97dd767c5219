"""CSV: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252; `;`, `,` or tab.

Excel in France saves « CSV (séparateur : point-virgule) » in Windows-1252 and « CSV UTF-8 »
with a BOM; both come in as they are. Whatever the bytes, the caller gets rows, per-line
problems, or one `ValidationError` with a French sentence, never another exception.
"""

from __future__ import annotations

import codecs
import csv
import io
from typing import TYPE_CHECKING

from ...errors import ValidationError
from .rows import ReadResult
from .table import rows_from_table

if TYPE_CHECKING:
    from _csv import Reader  # what csv.reader() returns; the csv stub does not re-export it

DELIMITERS = (";", ",", "\t")
MAX_FIELD = 10_000


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name). UTF-8 first, then Windows-1252 (which leaves 5 bytes undefined)."""
    if not data.strip():
        raise ValidationError("Le fichier est vide.")
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding), "UTF-16"
            except UnicodeDecodeError as exc:
                raise ValidationError(
                    f"Encodage illisible : le fichier annonce l'UTF-16 mais l'octet {exc.start} "
                    "n'en est pas. Enregistrez-le à nouveau en « CSV UTF-8 »."
                ) from None
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8):].decode("utf-8"), "UTF-8"
        except UnicodeDecodeError as exc:
            raise ValidationError(
                "Encodage illisible : le fichier commence comme de l'UTF-8 mais l'octet "
                f"{exc.start + 3} n'en est pas. Enregistrez-le à nouveau en « CSV UTF-8 »."
            ) from None
    if b"\x00" in data:
        raise ValidationError(
            "Ce fichier n'est pas un fichier texte (il contient des octets nuls : un classeur ou "
            "un fichier binaire ?). Choisissez un fichier .csv, .ics, .xls ou .xlsx."
        )
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValidationError(
            f"Encodage non reconnu (ligne {line}, octet 0x{data[exc.start]:02X}) : ni UTF-8 ni "
            "Windows-1252. Enregistrez le fichier en « CSV UTF-8 » et réessayez."
        ) from None


def sniff_delimiter(header_line: str) -> str:
    """The separator that splits the header line most; `;` when nothing splits it."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _records(reader: Reader, lines: list[int]) -> list[list[str]]:
    out: list[list[str]] = []
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return out
        except csv.Error as exc:
            raise ValidationError(
                f"Ligne {reader.line_num} illisible ({exc}). Vérifiez les guillemets du fichier."
            ) from None
        if any(len(c) > MAX_FIELD for c in cells):
            raise ValidationError(
                f"Ligne {start} : une cellule dépasse {MAX_FIELD} caractères ; ce fichier n'est "
                "pas une liste de rendez-vous."
            )
        lines.append(start)
        out.append(cells)


def read_csv(data: bytes) -> ReadResult:
    content, encoding = decode(data)
    first = next((ln for ln in content.splitlines() if ln.strip()), "")
    delimiter = sniff_delimiter(first)
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter, strict=False)
    lines: list[int] = []
    records = _records(reader, lines)
    pairs = [(ln, cells) for ln, cells in zip(lines, records, strict=True)
             if any(c.strip() for c in cells)]
    if not pairs:
        raise ValidationError("Le fichier ne contient aucune ligne.")
    (_, headers), body = pairs[0], pairs[1:]
    rows, problems, ignored = rows_from_table(headers, body, "IMP")
    label = f"CSV ({encoding}, séparateur « {'tabulation' if delimiter == chr(9) else delimiter} »)"
    return ReadResult(label, tuple(rows), tuple(problems), tuple(ignored))
