"""« Récépissé remis »: the number, validity and work mention of the récépissé handed over.

The dialog only gathers what is typed: whoever opened it sends the `HandOver` to the service (in
the window's executor) and calls `refused` with the French sentence if the service says no, so
the dialog stays open with what was typed; `accept` closes it once recorded.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ..services.recepisse import WORK_MENTION_LABELS, HandOver
from .date_fields import date_field, day_of
from .dialog_buttons import ok_cancel

DEFAULT_VALIDITY_DAYS = 182  # a first request's récépissé is usually valid six months


class HandOverDialog(QDialog):
    submitted = Signal(object)  # HandOver

    def __init__(self, dossier_number: str, applicant: str, today: date,
                 appointment_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Récépissé remis")
        self.dossier_number = dossier_number
        self.appointment_id = appointment_id
        heading = QLabel(f"Dossier {dossier_number} — {applicant}")
        heading.setTextFormat(Qt.TextFormat.PlainText)  # names come from online booking
        heading.setAccessibleName("Dossier du récépissé")
        self.number = QLineEdit()
        self.number.setAccessibleName("Numéro du récépissé")
        self.number.setMaxLength(40)
        self.valid_from = date_field(today, "Valable du")
        self.valid_until = date_field(today + timedelta(days=DEFAULT_VALIDITY_DAYS),
                                      "Valable au")
        self.mention = QComboBox()
        self.mention.setAccessibleName("Mention relative au travail")
        self.mention.addItem("— choisir —", "")
        for code, label in WORK_MENTION_LABELS.items():
            self.mention.addItem(label, code)
        self.error = QLabel("")
        self.error.setAccessibleName("Erreur")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.buttons, self.ok = ok_cancel(self, "Enregistrer la remise",
                                          "Enregistrer la remise", self._submit)
        form = QFormLayout()
        form.addRow("Numéro du récépissé", self.number)
        form.addRow("Valable du", self.valid_from)
        form.addRow("au", self.valid_until)
        form.addRow("Mention", self.mention)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(QLabel("L'application n'imprime pas le récépissé (formulaire "
                                "sécurisé de l'État) : elle enregistre sa remise."))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def request(self) -> HandOver:
        return HandOver(self.dossier_number, self.number.text(), day_of(self.valid_from),
                        day_of(self.valid_until), self.mention.currentData() or "",
                        self.appointment_id)

    def _submit(self) -> None:
        """Sent once: the button waits for the answer (`refused` or `accept`)."""
        self.error.setText("Enregistrement…")
        self.ok.setEnabled(False)
        self.submitted.emit(self.request())

    def refused(self, message: str) -> None:
        self.error.setText(message)
        self.ok.setEnabled(True)
