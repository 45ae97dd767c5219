"""« Récépissés à remettre »: the manager follows R431-12 — which complete dossiers still wait
for their récépissé (overdue first), record a hand-over, cancel a wrong one, export the list.

Every read and write runs in the window's executor; nothing is read before the tab is opened.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..errors import RdvError
from ..services.core import Actor
from ..services.recepisse import (
    FILTER_LABELS,
    HandOver,
    RecepisseFilter,
    RecepisseResult,
    RecepisseRow,
)
from ..services.setup import Services
from .accessibility import leave_on_tab
from .executor import DbExecutor
from .file_picker import file_picker
from .first_show import LoadsOnFirstShow
from .reason_dialog import ReasonDialog
from .recepisse_dialog import HandOverDialog
from .recepisse_model import RecepisseModel

if TYPE_CHECKING:
    from ..services.office import ExportResult

TITLE = "Récépissés à remettre"
HANDED_COLUMNS = (6, 7, 8, 9)


def _text(exc: Exception) -> str:
    return exc.message if isinstance(exc, RdvError) else f"Erreur : {exc}"


class RecepissePanel(LoadsOnFirstShow, QWidget):
    loaded = Signal()  # the list (or why not) is shown
    changed = Signal(bool, str)  # a hand-over, cancellation or export ended: done?, sentence

    def __init__(self, services: Services, actor: Actor, executor: DbExecutor,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.executor = executor
        self.dialog: HandOverDialog | ReasonDialog | QFileDialog | None = None
        self.which = QComboBox()
        self.which.setAccessibleName("Filtre des récépissés")
        for choice in (RecepisseFilter.OVERDUE, RecepisseFilter.PENDING,
                       RecepisseFilter.HANDED):
            self.which.addItem(FILTER_LABELS[choice], choice.value)
        self.which.setCurrentIndex(1)  # every one to hand over, the overdue first
        self.show_button = QPushButton("Afficher")
        self.show_button.setAccessibleName("Afficher les récépissés")
        self.count = QLabel("")
        self.count.setAccessibleName("Nombre de dossiers")
        bar = QHBoxLayout()
        for w in (QLabel("Afficher :"), self.which, self.show_button, self.count):
            bar.addWidget(w)
        bar.addStretch(1)

        self.model = RecepisseModel(date.today())
        self.view = QTableView()
        self.view.setAccessibleName(TITLE)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        leave_on_tab(self.view)
        self.hand = QPushButton("Enregistrer la remise…")
        self.hand.setAccessibleName("Enregistrer la remise")
        self.cancel = QPushButton("Annuler la remise…")
        self.cancel.setAccessibleName("Annuler la remise")
        self.export = QPushButton("Exporter en CSV…")
        self.export.setAccessibleName("Exporter en CSV")
        self.message = QLabel("")
        self.message.setAccessibleName("Message des récépissés")
        self.message.setWordWrap(True)
        actions = QHBoxLayout()
        for w in (self.hand, self.cancel, self.export):
            actions.addWidget(w)
        actions.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addLayout(actions)

        self.show_button.clicked.connect(self.load)
        self.which.currentIndexChanged.connect(lambda _i: self.load())
        self.hand.clicked.connect(self.open_hand_over)
        self.cancel.clicked.connect(self.ask_cancel)
        self.export.clicked.connect(self.ask_export)

    def filter(self) -> RecepisseFilter:
        return RecepisseFilter(self.which.currentData())

    # -- the list ----------------------------------------------------------------------------

    def load(self) -> None:
        which, rec, actor = self.filter(), self.services.recepisse, self.actor
        self.count.setText("Recherche…")
        self.executor.submit(lambda: (rec.today(), which, rec.rows(actor, which)),
                             self._loaded, self._failed, owner=self)

    def _loaded(self, answer: tuple[date, RecepisseFilter, list[RecepisseRow]]) -> None:
        today, which, rows = answer
        if which is not self.filter():
            return  # the filter changed meanwhile: its own answer follows
        self.model.set_rows(rows, today)
        for column in HANDED_COLUMNS:  # the récépissé's own columns, empty until handed over
            self.view.setColumnHidden(column, which is not RecepisseFilter.HANDED)
        self.view.resizeColumnsToContents()
        for column in (1, 2):
            self.view.setColumnWidth(column, min(self.view.columnWidth(column), 240))
        late = sum(1 for r in rows if r.overdue(today))
        self.count.setText(f"{len(rows)} dossier(s)" + (f", dont {late} en retard"
                                                        if late else ""))
        if rows:
            self.view.selectRow(0)
        self.loaded.emit()

    def _failed(self, exc: Exception) -> None:
        self.count.setText("")
        self.message.setText(_text(exc))
        self.loaded.emit()

    def selected(self) -> RecepisseRow | None:
        index = self.view.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _say(self, done: bool, text: str) -> None:
        self.message.setText(text)
        self.changed.emit(done, text)

    # -- hand-over and cancellation ----------------------------------------------------------

    def open_hand_over(self) -> HandOverDialog | None:
        row = self.selected()
        if row is None or row.handed:
            self._say(False, "Sélectionnez un dossier dont le récépissé est à remettre.")
            return None
        dialog = HandOverDialog(row.dossier_number, row.applicant, self.model.today,
                                parent=self)
        dialog.submitted.connect(lambda request: self._hand_over(dialog, request))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _hand_over(self, dialog: HandOverDialog, request: HandOver) -> None:
        rec, actor = self.services.recepisse, self.actor

        def done(result: RecepisseResult) -> None:
            dialog.accept()
            self.model.replace_row(result.row)
            self._say(True, result.message)

        def failed(exc: Exception) -> None:
            dialog.refused(_text(exc))
            self._say(False, _text(exc))

        self.executor.submit(lambda: rec.hand_over(actor, request), done, failed, owner=self)

    def ask_cancel(self) -> ReasonDialog | None:
        row = self.selected()
        if row is None or row.recepisse_id is None:
            self._say(False, "Sélectionnez un récépissé remis.")
            return None
        recepisse_id = row.recepisse_id
        dialog = ReasonDialog("Annuler la remise du récépissé",
                              f"Pourquoi annuler la remise du récépissé {row.recepisse_number} "
                              f"(dossier {row.dossier_number}) ?", self)
        dialog.reason_given.connect(lambda reason: self._cancel(recepisse_id, reason))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _cancel(self, recepisse_id: int, reason: str) -> None:
        rec, actor = self.services.recepisse, self.actor

        def done(result: RecepisseResult) -> None:
            self.model.replace_row(result.row)
            self._say(True, result.message)

        self.executor.submit(lambda: rec.cancel(actor, recepisse_id, reason), done,
                             lambda exc: self._say(False, _text(exc)), owner=self)

    # -- the export --------------------------------------------------------------------------

    def ask_export(self) -> QFileDialog:
        dialog = file_picker(self, "Exporter la liste des récépissés", "recepisses.csv",
                             "CSV (*.csv)", save=True)
        dialog.fileSelected.connect(lambda name: self.export_to(Path(name)))
        self.dialog = dialog
        dialog.open()
        return dialog

    def export_to(self, path: Path) -> None:
        rec, actor, which = self.services.recepisse, self.actor, self.filter()
        self.export.setEnabled(False)

        def done(result: ExportResult) -> None:
            self.export.setEnabled(True)
            self._say(True, f"{result.rows} ligne(s) exportée(s) dans {result.path}.")

        def failed(exc: Exception) -> None:
            self.export.setEnabled(True)
            self._say(False, _text(exc))

        self.executor.submit(lambda: rec.export_csv(actor, which, path), done, failed,
                             owner=self)
