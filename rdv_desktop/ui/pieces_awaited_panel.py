"""« Pièces attendues »: registered dossiers still owing pieces (R431-11), overdue first, and
the pieces handed in later recorded against their dossier.

Reads and the recording run off the UI thread; the list is read when the tab is first opened
and again after each recording.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..errors import RdvError
from ..services.core import Actor, fr_date, fr_datetime
from ..services.counter import AwaitedDossier, PiecesReceived
from ..services.setup import Services
from .accessibility import leave_on_tab
from .first_show import LoadsOnFirstShow
from .table_model import TextRowsModel
from .worker import LatestOnly, run_in_background

COLUMNS = ("Dossier", "Demandeur", "Motif", "Déposé le", "À envoyer avant", "Retard",
           "Pièces attendues")
SHOWN = (("Toutes les attentes", False), ("En retard seulement", True))
ERROR_STYLE = "color: #b00020; font-weight: bold"


def row_text(d: AwaitedDossier) -> tuple[str, ...]:
    late = f"{d.days_late} jour(s)" if d.overdue else "dans les délais"
    return (d.number, d.applicant, d.motif_label, fr_datetime(d.deposited_at), fr_date(d.due_by),
            late, " ; ".join(p.label for p in d.pieces))


class PiecesReceivedDialog(QDialog):
    """Tick the pieces handed in; nothing is recorded until « Enregistrer »."""

    def __init__(self, dossier: AwaitedDossier, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Pièces reçues — dossier {dossier.number}")
        layout = QVBoxLayout(self)
        intro = QLabel(f"{dossier.applicant} — à envoyer avant le {fr_date(dossier.due_by)}. "
                       "Cochez les pièces remises :")
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.boxes: list[tuple[str, QCheckBox]] = []
        for piece in dossier.pieces:
            box = QCheckBox(piece.label)
            box.setAccessibleName(f"Reçue : {piece.label}")
            layout.addWidget(box)
            self.boxes.append((piece.code, box))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Enregistrer")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, box in self.boxes if box.isChecked())


class PiecesAwaitedPanel(LoadsOnFirstShow, QWidget):
    loaded = Signal()  # a read has answered: its rows or the refusal are shown
    recorded = Signal(bool, str)  # a recording has ended: done or refused, and the sentence

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.awaited = services.pieces_awaited
        self.actor = actor
        self.reads = LatestOnly()
        self.rows: list[AwaitedDossier] = []
        self.shown = QComboBox()
        self.shown.setAccessibleName("Dossiers affichés")
        for label, overdue in SHOWN:
            self.shown.addItem(label, overdue)
        self.refresh = QPushButton("&Afficher")
        self.count = QLabel("")
        self.count.setAccessibleName("Nombre de dossiers en attente")
        bar = QHBoxLayout()
        caption = QLabel("&Dossiers :")
        caption.setBuddy(self.shown)
        for w in (caption, self.shown, self.refresh, self.count):
            bar.addWidget(w)
        bar.addStretch(1)

        self.model = TextRowsModel(COLUMNS, self)
        self.table = QTableView()
        self.table.setAccessibleName("Dossiers en attente de pièces")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        leave_on_tab(self.table)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(
            len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.receive = QPushButton("&Pièces reçues…")
        self.receive.setAccessibleName("Enregistrer des pièces reçues")
        self.message = QLabel("")
        self.message.setAccessibleName("Message des pièces attendues")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        actions = QHBoxLayout()
        actions.addWidget(self.receive)
        actions.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)

        self.refresh.clicked.connect(self.load)
        self.shown.currentIndexChanged.connect(lambda _i: self.load())
        self.receive.clicked.connect(self.ask_received)
        self.table.doubleClicked.connect(lambda _i: self.ask_received())

    def say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)

    def load(self) -> None:
        overdue = bool(self.shown.currentData())
        ticket = self.reads.ticket()
        self.count.setText("Recherche…")
        run_in_background(lambda: self.awaited.awaiting(self.actor, overdue_only=overdue),
                          lambda rows: self._loaded(ticket, rows), self._failed, owner=self)

    def _loaded(self, ticket: int, rows: list[AwaitedDossier]) -> None:
        if not self.reads.fresh(ticket):
            return
        self.rows = rows
        self.model.set_rows([row_text(r) for r in rows])
        self.table.resizeColumnsToContents()
        for column in (1, 2):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 260))
        late = sum(r.overdue for r in rows)
        self.count.setText(f"{len(rows)} dossier(s) en attente, dont {late} en retard")
        if rows:
            self.table.selectRow(0)
        self.loaded.emit()

    def _failed(self, exc: Exception) -> None:
        self.count.setText("")
        self.say(exc.message if isinstance(exc, RdvError) else f"Erreur : {exc}", error=True)
        self.loaded.emit()

    def current(self) -> AwaitedDossier | None:
        row = self.table.currentIndex().row()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def ask_received(self) -> None:
        dossier = self.current()
        if dossier is None:
            self.say("Choisissez d'abord un dossier dans la liste.", error=True)
            return
        dialog = PiecesReceivedDialog(dossier, self)
        # Window-modal without a nested event loop: a station lock may hide and show it again.
        dialog.accepted.connect(lambda: self.record(dossier.number, dialog.codes()))
        dialog.open()
        self.received_dialog = dialog

    def record(self, number: str, codes: tuple[str, ...]) -> None:
        """Record the pieces off the UI thread, then read the list again."""
        if not self.receive.isEnabled():
            return
        self.receive.setEnabled(False)

        def done(result: PiecesReceived) -> None:
            self.receive.setEnabled(True)
            self.say(result.message)
            self.recorded.emit(True, result.message)
            self.load()

        def failed(exc: Exception) -> None:
            self.receive.setEnabled(True)
            text = exc.message if isinstance(exc, RdvError) else f"Erreur : {exc}"
            self.say(text, error=True)
            self.recorded.emit(False, text)

        run_in_background(lambda: self.awaited.receive(self.actor, number, codes), done, failed,
                          owner=self)
