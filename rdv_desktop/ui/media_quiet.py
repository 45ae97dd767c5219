"""QtMultimedia is optional (the `media` extra, PySide6-Addons): these helpers find out once
whether it is installed, and keep its first load quiet.

QtMultimedia probes optional system libraries (PipeWire, VA-API) when it first loads and warns
for each one a station lacks: noise on an agent's terminal, nothing to act on.
"""

from __future__ import annotations

import importlib.util
from functools import cache

from PySide6.QtCore import QLoggingCategory

_RULE = "qt.multimedia.symbolsresolver.warning=false"
NOT_INSTALLED = ("le module multimédia de Qt (QtMultimedia, paquet PySide6-Addons, extra "
                 "« media ») n'est pas installé sur ce poste")


def quiet_media_probes() -> None:
    """Call before importing QtMultimedia (idempotent: one rule, set again)."""
    QLoggingCategory.setFilterRules(_RULE)


@cache
def media_installed() -> bool:
    """Whether QtMultimedia can be found, without loading it (loading costs ~100 ms)."""
    try:
        return importlib.util.find_spec("PySide6.QtMultimedia") is not None
    except (ImportError, ValueError):
        return False
