"""Choosing the reader: by the file's first bytes, then by its extension."""

from __future__ import annotations

from pathlib import Path

from ...errors import ValidationError
from .csv_reader import read_csv
from .ics_reader import read_ics
from .rows import ReadResult
from .sheet_reader import read_sheet

MAX_BYTES = 50 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_bytes(data: bytes, name: str) -> ReadResult:
    """Parse `data`; `name` only hints at the format when the content does not tell."""
    suffix = Path(name).suffix.lower()
    if data.startswith(ZIP_MAGIC):
        return read_sheet(data, "xlsx")
    if data.startswith(OLE_MAGIC):
        return read_sheet(data, "xls")
    if suffix in (".xlsx", ".xlsm", ".xls"):
        raise ValidationError(f"« {Path(name).name} » n'est pas un classeur Excel valide.")
    head = data[:4096].lstrip(b"\xef\xbb\xbf \r\n\t").upper()
    if suffix == ".ics" or head.startswith(b"BEGIN:VCALENDAR"):
        return read_ics(data)
    return read_csv(data)


def read_path(path: Path) -> ReadResult:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ValidationError(f"Fichier trop volumineux ({size // 1_048_576} Mo ; "
                                  f"{MAX_BYTES // 1_048_576} Mo au plus).")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ValidationError(f"Fichier introuvable : {path}") from None
    except IsADirectoryError:
        raise ValidationError(f"{path} est un dossier, pas un fichier.") from None
    except OSError as exc:
        raise ValidationError(f"Impossible de lire {path} : {exc.strerror or exc}.") from None
    return read_bytes(data, path.name)
