"""QtMultimedia probes optional system libraries (PipeWire, VA-API) when it first loads and
warns for each one a station lacks: noise on an agent's terminal, nothing to act on."""

from __future__ import annotations

from PySide6.QtCore import QLoggingCategory

_RULE = "qt.multimedia.symbolsresolver.warning=false"


def quiet_media_probes() -> None:
    """Call before importing QtMultimedia (idempotent: one rule, set again)."""
    QLoggingCategory.setFilterRules(_RULE)
