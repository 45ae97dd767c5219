"""The site's signing keys, signed codes and their verification.
(Its face for the UI: see services/faces.py.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..faces import lazy_face

_EXPORTS = {
    "Verification": "verifier",
    "VerificationStatus": "verifier",
}
__getattr__, __dir__ = lazy_face(__name__, globals(), _EXPORTS)
__all__ = ["Verification", "VerificationStatus"]

if TYPE_CHECKING:
    from .verifier import Verification, VerificationStatus
