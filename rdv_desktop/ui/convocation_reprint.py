"""« Réimprimer la convocation »: a person who lost theirs gets a DUPLICATA with the same
signed check-in code, from the queue (selected row) or the arrival desk (person found)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..services.core import Actor
from ..services.counter import AppointmentView
from ..services.setup import Services
from .plain_text import shown_name

if TYPE_CHECKING:  # the papers (cryptography, layouts) load at the first print, not at start
    from ..services.papers import RenderedDocument

CLOSED = ("Le rendez-vous de {name} est clôturé : sa convocation ne se réimprime pas "
          "(Guichet › Réimprimer le document pour l'attestation ou la liste des pièces).")


def convocation_job(services: Services, actor: Actor, view: AppointmentView
                    ) -> Callable[[], RenderedDocument] | str:
    """The worker's job reprinting `view`'s convocation, or why there is none to reprint."""
    if view.outcome != "pending":
        return CLOSED.format(name=shown_name(view.full_name))
    appointment_id = view.id
    return lambda: services.documents.convocation(actor, appointment_id, reprint=True)
