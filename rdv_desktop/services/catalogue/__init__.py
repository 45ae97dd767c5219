"""The versioned motif catalogue: reading, the catalogue file, conditions, editing.
(Its face for the UI: see services/faces.py.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..faces import lazy_face

_EXPORTS = {
    "CatalogueInfo": "service",
    "CatalogueSpec": "catalogue_file",
    "MotifDraft": "motif_editing",
    "MotifInfo": "service",
    "PieceDraft": "motif_editing",
    "PieceSpec": "catalogue_file",
    "SHORT_LABEL_MAX": "rules",
    "editable_catalogue": "motif_editing",
    "request_flags": "rules",
    "save_motif": "motif_editing",
}
__getattr__, __dir__ = lazy_face(__name__, globals(), _EXPORTS)
__all__ = [
    "SHORT_LABEL_MAX",
    "CatalogueInfo",
    "CatalogueSpec",
    "MotifDraft",
    "MotifInfo",
    "PieceDraft",
    "PieceSpec",
    "editable_catalogue",
    "request_flags",
    "save_motif",
]

if TYPE_CHECKING:
    from .catalogue_file import CatalogueSpec, PieceSpec
    from .motif_editing import MotifDraft, PieceDraft, editable_catalogue, save_motif
    from .rules import SHORT_LABEL_MAX, request_flags
    from .service import CatalogueInfo, MotifInfo
