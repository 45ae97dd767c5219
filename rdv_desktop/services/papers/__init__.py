"""The printed papers: attestations, missing-pieces lists, convocations, tickets, day lists.
(Its face for the UI: see services/faces.py.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..faces import lazy_face

_EXPORTS = {
    "DocumentKind": "documents",
    "RenderedDocument": "documents",
}
__getattr__, __dir__ = lazy_face(__name__, globals(), _EXPORTS)
__all__ = ["DocumentKind", "RenderedDocument"]

if TYPE_CHECKING:
    from .documents import DocumentKind, RenderedDocument
