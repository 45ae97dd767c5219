"""« Priorité et accompagnants »: a priority in the queue (CMI priorité/invalidité, pregnancy, a
young child) and who comes with the person (a minor's legal representative, an interpreter and
the language). The dialog gathers; the queue panel sends one command (audited by the service).
"""

from __future__ import annotations

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

from ..services.counter import PRIORITY_LABELS, AppointmentView, CompanionEntry
from .dialog_buttons import ok_cancel


def priority_box(current: str | None = None) -> QComboBox:
    """The priority choice (booking, walk-in, arrival): « Aucune priorité » or a reason."""
    box = QComboBox()
    box.setAccessibleName("Priorité")
    box.addItem("Aucune priorité", None)
    for code, label in PRIORITY_LABELS.items():
        box.addItem(label[0].upper() + label[1:], code)
    box.setCurrentIndex(max(0, box.findData(current)))
    return box


class AssistanceDialog(QDialog):
    chosen = Signal(object, object)  # priority code or None, tuple[CompanionEntry, ...]

    def __init__(self, view: AppointmentView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Priorité et accompagnants")
        heading = QLabel(f"{view.full_name} — ticket {view.ticket or '—'}")
        heading.setTextFormat(Qt.TextFormat.PlainText)
        self.priority = priority_box(view.priority)
        known = {c.role: c for c in view.companions}
        self.legal_rep = QLineEdit(known["legal_rep"].name if "legal_rep" in known else "")
        self.legal_rep.setAccessibleName("Représentant légal")
        self.interpreter = QLineEdit(known["interpreter"].name if "interpreter" in known else "")
        self.interpreter.setAccessibleName("Interprète")
        self.language = QLineEdit(known["interpreter"].language if "interpreter" in known
                                  else "")
        self.language.setAccessibleName("Langue de l'interprète")
        for field in (self.legal_rep, self.interpreter):
            field.setMaxLength(200)
        self.language.setMaxLength(60)
        buttons, _ok = ok_cancel(self, "Enregistrer", "Enregistrer priorité et accompagnants",
                                 self._accept)
        form = QFormLayout()
        form.addRow("Priorité", self.priority)
        form.addRow("Représentant légal (mineur)", self.legal_rep)
        form.addRow("Interprète", self.interpreter)
        form.addRow("Langue", self.language)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(QLabel("Priorité : la personne passe avant celles qui attendent sans "
                                "priorité, dans l'ordre d'arrivée."))
        layout.addLayout(form)
        layout.addWidget(buttons)

    def companions(self) -> tuple[CompanionEntry, ...]:
        found = []
        if self.legal_rep.text().strip():
            found.append(CompanionEntry("legal_rep", self.legal_rep.text()))
        if self.interpreter.text().strip() or self.language.text().strip():
            found.append(CompanionEntry("interpreter", self.interpreter.text(),
                                        self.language.text()))
        return tuple(found)

    def _accept(self) -> None:
        self.accept()
        self.chosen.emit(self.priority.currentData(), self.companions())
