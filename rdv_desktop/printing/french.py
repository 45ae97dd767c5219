"""French dates, times and amounts for the renderers: the package-wide module, re-exported.

A counter PC's locale is whatever IT installed; the printed documents must say « jeudi » and
« 50,00 € » regardless. The rules live in `rdv_desktop/french.py`, shared with the screens and
the services so a paper and a screen never disagree.
"""

from __future__ import annotations

from ..french import (
    MONTHS,
    NBSP,
    NNBSP,
    WEEKDAYS,
    elide,
    fr_date,
    fr_datetime,
    fr_euros,
    fr_long_date,
    fr_percent,
    fr_time,
    local,
    ordinal,
    typographic,
)

__all__ = ["MONTHS", "NBSP", "NNBSP", "WEEKDAYS", "elide", "fr_date", "fr_datetime", "fr_euros",
           "fr_long_date", "fr_percent", "fr_time", "local", "ordinal", "typographic"]
