"""How much of a file an import will read: an imported file is hostile input.

A 1.5 KB workbook declaring the dimension `A1:XFD1048576` once kept a station at 100 % CPU, and
a 575 KB sheet took 1.46 GB. Every reader stops at these limits with one French sentence that
names the limit, and never trusts what a file says about its own size (docs/import-limits.md).
"""

from __future__ import annotations

from ...errors import ValidationError

MB = 1024 * 1024
MAX_FILE_BYTES = 50 * MB  # CSV and .xlsx as stored on disk
MAX_XLS_BYTES = 20 * MB  # xlrd builds the whole sheet in memory
MAX_ICS_BYTES = 10 * MB  # icalendar builds every event in memory
MAX_ROWS = 250_000  # data lines (200,000 must import; memory grows with them)
MAX_COLUMNS = 200  # RDV Service Public's export has 21
MAX_CELL_CHARS = 10_000  # the longest value kept is 300 characters
# .xlsx is a zip archive: the sum of its parts once uncompressed (the sizes the archive
# declares are an upper bound: Python's zipfile never yields more than them), the shared
# strings (held in memory) and the bytes of one row of the sheet (streamed).
MAX_UNCOMPRESSED_BYTES = 400 * MB
MAX_SHARED_STRINGS_BYTES = 64 * MB
MAX_ROW_BYTES = 4 * MB
MAX_ARCHIVE_MEMBERS = 1_000
# The report lists at most this many lines of each kind and says how many more there were.
MAX_REPORTED_LINES = 500


def megabytes(size: int) -> str:
    return f"{size / MB:.0f} Mo" if size >= MB else f"{size / 1024:.0f} Ko"


def number(value: int) -> str:
    """« 250 000 »: French thousands with a narrow no-break space."""
    return f"{value:,}".replace(",", "\u202f")


def too_many_rows() -> ValidationError:
    return ValidationError(
        f"Fichier refusé : plus de {number(MAX_ROWS)} lignes (limite d'un import). "
        "Découpez-le en plusieurs fichiers.")


def too_many_columns(line: int, column: int) -> ValidationError:
    return ValidationError(
        f"Fichier refusé : la ligne {line} a une valeur en colonne {number(column)} ; "
        f"un import lit {MAX_COLUMNS} colonnes au plus.")


def too_long_cell(line: int) -> ValidationError:
    return ValidationError(
        f"Fichier refusé : ligne {line}, une cellule dépasse {number(MAX_CELL_CHARS)} "
        "caractères ; ce fichier n'est pas une liste de rendez-vous.")


def too_big(size: int, limit: int, what: str = "Fichier trop volumineux") -> ValidationError:
    return ValidationError(f"{what} ({megabytes(size)} ; {megabytes(limit)} au plus).")
