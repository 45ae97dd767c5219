"""What the récépissé follow-up hands the screens: requests and frozen rows, never ORM objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from ..core.clock import fr_date, local
from ..counter.appointment_views import AppointmentView

WORK_MENTION_LABELS = {
    "work": "autorise à travailler",
    "accessory": "autorise à travailler à titre accessoire",
    "no_work": "n'autorise pas à travailler",
}


class RecepisseFilter(StrEnum):
    """Which dossiers the manager's list shows."""

    OVERDUE = "overdue"  # to hand over, past the due date
    PENDING = "pending"  # every one still to hand over, overdue first
    HANDED = "handed"  # handed over (not cancelled), latest first


FILTER_LABELS = {
    RecepisseFilter.OVERDUE: "En retard seulement",
    RecepisseFilter.PENDING: "Tous les récépissés à remettre",
    RecepisseFilter.HANDED: "Récépissés remis",
}


@dataclass(frozen=True)
class HandOver:
    """« Récépissé remis » as typed: for a dossier, and at the counter for the visit served."""

    dossier_number: str
    number: str
    valid_from: date
    valid_until: date
    work_mention: str
    appointment_id: int | None = None  # the counter's collection visit, closed together


@dataclass(frozen=True)
class RecepisseRow:
    """One complete dossier and where its récépissé stands."""

    dossier_id: int
    dossier_number: str
    applicant: str
    motif_label: str
    deposited_at: datetime
    due_on: date
    recepisse_id: int | None
    recepisse_number: str | None
    valid_from: date | None
    valid_until: date | None
    work_mention: str | None
    handed_at: datetime | None
    handed_by: str

    @property
    def handed(self) -> bool:
        return self.recepisse_id is not None

    def days_left(self, today: date) -> int:
        """Days until the due date; negative once it has passed."""
        return (self.due_on - today).days

    def overdue(self, today: date) -> bool:
        return not self.handed and today > self.due_on

    def state_text(self, today: date) -> str:
        if self.handed and self.handed_at is not None:
            return f"remis le {fr_date(local(self.handed_at).date())}"
        left = self.days_left(today)
        if left < 0:
            return f"en retard de {-left} j"
        return f"à remettre au plus tard le {fr_date(self.due_on)}"

    @property
    def work_label(self) -> str:
        return WORK_MENTION_LABELS.get(self.work_mention or "", "")


@dataclass(frozen=True)
class RecepisseCounts:
    """For the dashboard: complete dossiers whose récépissé is still to hand over."""

    pending: int
    overdue: int


@dataclass(frozen=True)
class RecepisseResult:
    """A hand-over or a cancellation: the sentence, the dossier's row, and the view of the
    collection visit it closed (for every screen showing the queue)."""

    message: str
    row: RecepisseRow
    views: tuple[AppointmentView, ...] = ()
