"""What a command hands back: what changed and the papers to print, never an ORM object."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from .stage import Outcome

__all__ = ["ChecklistSetup", "CommandResult", "Outcome", "PendingOutcome", "UndoPreview"]

if TYPE_CHECKING:  # the queue imports these results at start-up; the PDF side loads later
    from ..catalogue.service import CatalogueInfo
    from ..papers.documents import RenderedDocument
    from .appointment_views import AppointmentView
    from .dossiers import DossierView


@dataclass(frozen=True)
class CommandResult:
    """One act's effect: a French sentence, the appointments it changed (their views, for every
    screen), the dossier it registered and the documents rendered inside its transaction."""

    message: str
    views: tuple[AppointmentView, ...] = ()
    dossier: DossierView | None = None
    documents: tuple[RenderedDocument, ...] = ()

    @property
    def changed(self) -> tuple[int, ...]:
        return tuple(v.id for v in self.views)

    @property
    def view(self) -> AppointmentView | None:
        """The appointment the act was about (first of `views`)."""
        return self.views[0] if self.views else None


@dataclass(frozen=True)
class ChecklistSetup:
    """What the checklist needs before it opens: the current catalogue, today's fee, and the
    day itself (the law's limits are judged on it; the screen never asks the clock)."""

    catalogue: CatalogueInfo
    fee_cents: int | None
    today: date


@dataclass(frozen=True)
class UndoPreview:
    """What « Annuler la dernière étape » would take back, for the dialog to say first."""

    appointment_id: int
    step_label: str
    takes_back: tuple[str, ...]  # French sentences: the attestation revoked, the rebooking…


@dataclass(frozen=True)
class PendingOutcome:
    """A command whose COMMIT reply was lost: what to look for once the database answers."""

    appointment_id: int
    action: str
    started_at: datetime
