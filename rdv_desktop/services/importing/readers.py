"""Choosing the reader: by the file's first bytes, then by its extension."""

from __future__ import annotations

from pathlib import Path

from ...errors import ValidationError
from .cancel import Cancelled, stop_if
from .csv_reader import read_csv
from .ics_reader import read_ics
from .limits import MAX_FILE_BYTES, too_big
from .rows import ReadResult
from .sheet_reader import read_sheet

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_bytes(data: bytes, name: str, cancelled: Cancelled | None = None) -> ReadResult:
    """Parse `data`; `name` only hints at the format when the content does not tell.

    Every reader stays within limits.py and reads `cancelled` as it goes (ImportCancelled).
    """
    stop_if(cancelled)
    if len(data) > MAX_FILE_BYTES:
        raise too_big(len(data), MAX_FILE_BYTES)
    suffix = Path(name).suffix.lower()
    if data.startswith(ZIP_MAGIC):
        return read_sheet(data, "xlsx", cancelled)
    if data.startswith(OLE_MAGIC):
        return read_sheet(data, "xls", cancelled)
    if suffix in (".xlsx", ".xlsm", ".xls"):
        raise ValidationError(f"« {Path(name).name} » n'est pas un classeur Excel valide.")
    head = data[:4096].lstrip(b"\xef\xbb\xbf \r\n\t").upper()
    if suffix == ".ics" or head.startswith(b"BEGIN:VCALENDAR"):
        return read_ics(data, cancelled)
    return read_csv(data, cancelled)


def read_path(path: Path, cancelled: Cancelled | None = None) -> ReadResult:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise too_big(size, MAX_FILE_BYTES)
        with path.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)  # a file still growing is not read past the limit
    except FileNotFoundError:
        raise ValidationError(f"Fichier introuvable : {path}") from None
    except IsADirectoryError:
        raise ValidationError(f"{path} est un dossier, pas un fichier.") from None
    except PermissionError:
        raise ValidationError(f"Impossible de lire {path} : accès refusé.") from None
    except OSError as exc:
        raise ValidationError(
            f"Impossible de lire {path} (erreur système n° {exc.errno}).") from None
    return read_bytes(data, path.name, cancelled)
