"""Importing booked appointments from CSV, iCalendar and RDV Service Public spreadsheets.

One reader per format turns bytes into `ImportRow`s (with their source line) or `RowProblem`s;
`ImportService` upserts the rows in one transaction, which a `CancelToken` can stop (rolled
back: `ImportCancelled`). Formats: docs/import-formats.md.
"""

from .cancel import CANCELLED_MESSAGE, CancelToken, ImportCancelled
from .readers import read_bytes, read_path
from .report import ImportReport, MotifToConfirm
from .rows import ImportRow, ReadResult, RowProblem
from .service import ImportService

__all__ = [
    "CANCELLED_MESSAGE",
    "CancelToken",
    "ImportCancelled",
    "ImportReport",
    "ImportRow",
    "ImportService",
    "MotifToConfirm",
    "ReadResult",
    "RowProblem",
    "read_bytes",
    "read_path",
]
