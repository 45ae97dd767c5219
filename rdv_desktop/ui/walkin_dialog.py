"""Create an appointment at the préfecture: a walk-in checked in now, or a later slot.

The applicant may come without a booking (walk-in: the arrival is registered at once and a
ticket given) or be given an appointment for later, as in the Hérault channel where people
write in and receive a paper convocation: the convocation is then printed with its signed QR.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QRadioButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from ..errors import RdvError
from ..services.catalogue import CatalogueInfo
from ..services.core import Actor, local
from ..services.counter import REQUEST_KINDS, NewAppointment
from ..services.setup import Services
from .accessibility import SpokenLabel
from .assistance_dialog import priority_box
from .date_fields import date_field, qdate
from .worker import run_in_background

TO_CONFIRM = "Motif à confirmer au guichet"


def parse_day(text: str, what: str = "Date de naissance") -> date | None:
    """`jj/mm/aaaa` or empty; anything else is a French ValueError naming `what`."""
    text = text.strip()
    if not text:
        return None
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        raise ValueError(f"{what} invalide : « {text} » (format jj/mm/aaaa).") from None


def next_quarter(now: datetime) -> time:
    """The next quarter hour (a walk-in's slot is "now", rounded up)."""
    here = local(now).replace(second=0, microsecond=0)
    later = here + timedelta(minutes=(15 - here.minute % 15) % 15)
    return later.time()


class WalkInDialog(QDialog):
    """Emits `created(result)` once the appointment exists (checked in, or its convocation
    rendered): one desk command, run off the UI thread."""

    created = Signal(object)  # CommandResult

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.setWindowTitle("Nouveau rendez-vous")
        self.setAccessibleName("Nouveau rendez-vous")
        now = services.ctx.clock.now()
        today = local(now).date()

        def line(name: str, placeholder: str = "") -> QLineEdit:
            edit = QLineEdit()
            edit.setAccessibleName(name)
            edit.setPlaceholderText(placeholder)
            return edit

        self.family_name = line("Nom de famille", "tel qu'écrit sur le passeport")
        self.given_names = line("Prénoms")
        self.birth_date = line("Date de naissance", "jj/mm/aaaa")
        self.birth_place = line("Lieu de naissance")
        self.nationality = line("Nationalité")
        self.phone = line("Téléphone")
        self.email = line("Courriel")
        self.motif = QComboBox()
        self.motif.setAccessibleName("Motif")
        self.motif.addItem(TO_CONFIRM, None)
        run_in_background(services.catalogue.current, self._motifs_loaded, lambda _exc: None,
                          owner=self)
        self.priority = priority_box()
        self.kind = QComboBox()
        self.kind.setAccessibleName("Type de demande")
        self.kind.addItem("Non précisé", None)
        for kind in REQUEST_KINDS:
            self.kind.addItem(kind, kind)
        self.expires = line("Titre actuel valable jusqu'au", "jj/mm/aaaa (renouvellement)")
        self.walk_in = QRadioButton("Personne présente, sans rendez-vous : enregistrer son "
                                    "arrivée maintenant")
        self.walk_in.setAccessibleName("Personne sans rendez-vous")
        self.later = QRadioButton("Rendez-vous à une date et une heure choisies")
        self.later.setAccessibleName("Rendez-vous plus tard")
        self.day = date_field(today, "Date du rendez-vous")
        self.day.setMinimumDate(qdate(today))
        slot = next_quarter(now)
        self.hour = QTimeEdit(QTime(slot.hour, slot.minute))
        self.hour.setDisplayFormat("HH:mm")
        self.hour.setAccessibleName("Heure du rendez-vous")
        self.print_convocation = QCheckBox("Imprimer la convocation")
        self.print_convocation.setAccessibleName("Imprimer la convocation")
        self.message = SpokenLabel("Message du formulaire", live=True)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020; font-weight: bold")

        form = QFormLayout()
        form.addRow("Nom de famille *", self.family_name)
        form.addRow("Prénoms", self.given_names)
        form.addRow("Date de naissance", self.birth_date)
        form.addRow("Lieu de naissance", self.birth_place)
        form.addRow("Nationalité", self.nationality)
        form.addRow("Téléphone", self.phone)
        form.addRow("Courriel", self.email)
        form.addRow("Motif", self.motif)
        form.addRow("Priorité", self.priority)
        form.addRow("Type de demande", self.kind)
        form.addRow("Titre actuel valable jusqu'au", self.expires)
        form.addRow(self.walk_in)
        form.addRow(self.later)
        form.addRow("Date", self.day)
        form.addRow("Heure", self.hour)
        form.addRow(self.print_convocation)
        buttons = QDialogButtonBox()
        self.create_button = buttons.addButton("Créer", QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.setAccessibleName("Créer le rendez-vous")
        cancel = buttons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setAccessibleName("Annuler")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self._kind_changed()
        self.walk_in.toggled.connect(self._mode_changed)
        self.walk_in.setChecked(True)
        self._mode_changed(True)

    def _motifs_loaded(self, catalogue: CatalogueInfo) -> None:
        for motif in catalogue.motifs:
            if not motif.anef_redirect:
                self.motif.addItem(motif.label, motif.code)

    def _kind_changed(self) -> None:
        """The current titre's end date matters for a renewal only."""
        renewal = self.kind.currentData() == "Renouvellement"
        self.expires.setEnabled(renewal)
        if not renewal:
            self.expires.clear()

    def _mode_changed(self, walk_in: bool) -> None:
        self.day.setEnabled(not walk_in)
        self.hour.setEnabled(not walk_in)
        self.print_convocation.setChecked(not walk_in)

    def request(self) -> NewAppointment:
        """The form as a booking request; raises ValueError with a French message."""
        walk_in = self.walk_in.isChecked()
        now = self.services.ctx.clock.now()
        if walk_in:
            day, slot = local(now).date(), local(now).time().replace(second=0, microsecond=0)
        else:
            d, t = self.day.date(), self.hour.time()
            day, slot = date(d.year(), d.month(), d.day()), time(t.hour(), t.minute())
        return NewAppointment(
            family_name=self.family_name.text(), given_names=self.given_names.text(),
            slot_date=day, slot_time=slot, motif_code=self.motif.currentData(),
            birth_date=parse_day(self.birth_date.text()),
            birth_place=self.birth_place.text(), nationality=self.nationality.text(),
            phone=self.phone.text(), email=self.email.text(),
            source="walk_in" if walk_in else "manual", priority=self.priority.currentData(),
            request_kind=self.kind.currentData(),
            titre_expires_on=parse_day(self.expires.text(), "Date de fin du titre"))

    def submit(self) -> None:
        if not self.create_button.isEnabled():
            return
        try:
            request = self.request()
        except ValueError as exc:
            self.message.setText(str(exc))
            return
        walk_in, convocation = self.walk_in.isChecked(), self.print_convocation.isChecked()
        self.create_button.setEnabled(False)
        self.message.setText("Enregistrement…")
        run_in_background(
            lambda: self.services.desk.walk_in(self.actor, request, check_in_now=walk_in,
                                               print_convocation=convocation),
            self._created, self._refused, owner=self)

    def _created(self, result: object) -> None:
        self.created.emit(result)
        self.accept()

    def _refused(self, exc: Exception) -> None:
        self.create_button.setEnabled(True)
        text = exc.message if isinstance(exc, RdvError) else f"Erreur inattendue : {exc}"
        self.message.setText(f"Rien n'a été enregistré. {text}")
