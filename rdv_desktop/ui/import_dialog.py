"""« Importer des rendez-vous… »: choose a file, import it in a worker, show the report.

The import runs off the UI thread; its progress callback is called from the worker and only
emits a Qt signal, which Qt queues to the dialog in the UI thread. « Annuler » (or Escape, or
closing the window) sets a `CancelToken` the worker reads while the file is read and between
rows when it is written: the service takes back what it wrote and the dialog says so; the clerk
may then pick the right file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..errors import RdvError
from ..services.core import Actor, fr_date, fr_time
from ..services.importing import CancelToken, ImportCancelled, ImportReport, ImportService
from ..services.setup import Services
from .accessibility import SpokenLabel, leave_on_tab
from .file_picker import file_picker
from .worker import run_in_background

Index = QModelIndex | QPersistentModelIndex
FILE_FILTER = ("Rendez-vous (*.csv *.ics *.xls *.xlsx);;CSV (*.csv);;iCalendar (*.ics);;"
               "Excel (*.xls *.xlsx);;Tous les fichiers (*)")
ERROR_STYLE = "QLabel { color: #b00020; font-weight: bold; }"
TOO_LATE = ("\nL'annulation est arrivée trop tard : l'import était déjà terminé et il a été "
            "enregistré.")


class RowsModel(QAbstractTableModel):
    """A read-only table of short texts: the rejected lines, the motifs to confirm."""

    def __init__(self, headers: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = tuple(headers)
        self._rows: list[tuple[str, ...]] = []

    def set_rows(self, rows: Sequence[Sequence[str]]) -> None:
        self.beginResetModel()
        self._rows = [tuple(r) for r in rows]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                    Qt.ItemDataRole.ToolTipRole):
            return self._rows[index.row()][index.column()]
        return None


class _Progress(QObject):
    """Carries (done, total) from the worker thread to the dialog."""

    changed = QtSignal(int, int)


def problem_rows(report: ImportReport) -> list[tuple[str, str, str]]:
    rows = [(str(p.line), "Rejetée", p.reason) for p in report.rejected]
    rows += [(str(p.line), "Non créée", p.reason) for p in report.past]
    rows += [(str(p.line), "Non modifiée", p.reason) for p in report.kept]
    rows.sort(key=lambda r: int(r[0]))
    unlisted = (report.rejected_count + report.past_count + report.kept_count
                - len(report.rejected) - len(report.past) - len(report.kept))
    if unlisted > 0:  # a huge bad file: the table stays short and says how much it leaves out
        rows.append(("…", "Non listées", f"{unlisted} autre{'s' if unlisted > 1 else ''} "
                     f"ligne{'s' if unlisted > 1 else ''} (voir le total ci-dessus)"))
    return rows


def motif_rows(report: ImportReport) -> list[tuple[str, str, str, str]]:
    return [(str(m.line), m.name, f"{fr_date(m.slot_date)} {fr_time(m.slot_time)}",
             m.source_label or "(vide)") for m in report.to_confirm]


def _table(model: RowsModel, name: str) -> QTableView:
    view = QTableView()
    leave_on_tab(view)
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    for column in range(model.columnCount() - 1):
        view.horizontalHeader().setSectionResizeMode(column,
                                                     QHeaderView.ResizeMode.ResizeToContents)
    return view


class ImportDialog(QDialog):
    """Emits `imported` with the report after a real (not simulated) import."""

    imported = QtSignal(object)

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Importer des rendez-vous")
        self.resize(900, 620)
        self.actor = actor
        self.importer = ImportService(services.appointments, services.catalogue)
        self.report: ImportReport | None = None
        self._busy = False
        self._token: CancelToken | None = None
        self._progress = _Progress(self)
        self._progress.changed.connect(self._show_progress)
        self._build()

    def _build(self) -> None:
        intro = QLabel("Fichier CSV, calendrier .ics ou export RDV Service Public (.xls, .xlsx). "
                       "Un fichier déjà importé peut l'être à nouveau : rien n'est dupliqué.")
        intro.setWordWrap(True)
        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("Fichier à importer")
        self.path_edit.setPlaceholderText("Chemin du fichier")
        self.path_edit.textChanged.connect(self._update_buttons)
        self.browse_button = QPushButton("&Choisir…")
        self.browse_button.setAccessibleName("Choisir le fichier")
        self.browse_button.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        self.dry_run_box = QCheckBox("&Simulation : vérifier le fichier sans rien enregistrer")
        self.dry_run_box.setAccessibleName("Simulation")
        self.import_button = QPushButton("&Importer")
        self.import_button.setAccessibleName("Importer")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.start)
        self.progress_bar = QProgressBar()
        self.progress_bar.setAccessibleName("Progression de l'import")
        self.progress_bar.setFormat("%v / %m lignes")
        self.progress_bar.hide()
        self.cancel_button = QPushButton("&Annuler")
        self.cancel_button.setAccessibleName("Annuler l'import")
        self.cancel_button.setToolTip("Arrêter l'import sans rien enregistrer (Échap)")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        running = QHBoxLayout()
        running.addWidget(self.progress_bar, 1)
        running.addWidget(self.cancel_button)
        self.status = SpokenLabel("Résultat de l'import", live=True)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems_model = RowsModel(("Ligne", "Résultat", "Raison"), self)
        self.problems_view = _table(self.problems_model, "Lignes rejetées ou non modifiées")
        self.motifs_model = RowsModel(("Ligne", "Personne", "Rendez-vous", "Motif de la source"),
                                      self)
        self.motifs_view = _table(self.motifs_model, "Motifs à confirmer")
        self.problems_title = QLabel("Lignes rejetées ou non modifiées")
        self.motifs_title = QLabel("« Motif à confirmer » au guichet")
        for widget in (self.problems_title, self.problems_view, self.motifs_title,
                       self.motifs_view):
            widget.hide()
        buttons = QDialogButtonBox()
        self.close_button = buttons.addButton("&Fermer", QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.setAccessibleName("Fermer")
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.dry_run_box)
        layout.addLayout(running)
        layout.addWidget(self.status)
        layout.addWidget(self.problems_title)
        layout.addWidget(self.problems_view, 2)
        layout.addWidget(self.motifs_title)
        layout.addWidget(self.motifs_view, 1)
        layout.addStretch(0)
        layout.addWidget(buttons)
        self._update_buttons()

    # -- choosing the file -------------------------------------------------------------------

    def _browse(self) -> None:
        chooser = file_picker(self, "Choisir le fichier de rendez-vous", "", FILE_FILTER)
        chooser.fileSelected.connect(self.set_path)
        chooser.open()

    def set_path(self, path: str) -> None:
        self.path_edit.setText(path)

    def _update_buttons(self) -> None:
        self.import_button.setEnabled(bool(self.path_edit.text().strip()) and not self._busy)
        self.browse_button.setEnabled(not self._busy)
        self.close_button.setEnabled(not self._busy)
        self.path_edit.setReadOnly(self._busy)
        self.dry_run_box.setEnabled(not self._busy)
        self.cancel_button.setVisible(self._busy)
        self.cancel_button.setEnabled(self._busy and not (self._token and self._token()))

    # -- running -----------------------------------------------------------------------------

    def start(self) -> None:
        text = self.path_edit.text().strip()
        if not text or self._busy:
            return
        path, dry_run, signal = Path(text), self.dry_run_box.isChecked(), self._progress.changed
        token = self._token = CancelToken()
        self._busy = True
        self._update_buttons()
        self.status.setStyleSheet("")
        self.status.setText(f"Lecture de « {path.name} »… (Échap pour annuler)")
        self.progress_bar.setRange(0, 0)
        self.progress_bar.show()
        self.cancel_button.setFocus()

        def work() -> ImportReport:
            return self.importer.import_file(self.actor, path, dry_run=dry_run,
                                             progress=lambda done, total: signal.emit(done, total),
                                             cancelled=token)

        run_in_background(work, self._done, self._failed)

    @property
    def busy(self) -> bool:
        """An import is being read or written (a sign-out cancels it first)."""
        return self._busy

    def cancel(self) -> None:
        """Ask the worker to stop; it takes back what it wrote and `_failed` shows the outcome."""
        if not self._busy or self._token is None or self._token():
            return
        self._token.cancel()
        self._update_buttons()
        self.status.setText("Annulation en cours…")

    def reject(self) -> None:
        """Escape and the window's close button cancel a running import instead of closing."""
        if self._busy:
            self.cancel()
            return
        super().reject()

    def _show_progress(self, done: int, total: int) -> None:
        if done == 0 and self._busy and not (self._token and self._token()):
            self.status.setText(f"Import de {total} ligne{'s' if total > 1 else ''} en cours… "
                                "(Échap pour annuler)")
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)

    def _finish(self) -> bool:
        """Leave the running state; True if the clerk had asked to cancel."""
        asked = bool(self._token and self._token())
        self._busy, self._token = False, None
        self._update_buttons()
        self.progress_bar.hide()
        return asked

    def _done(self, report: ImportReport) -> None:
        too_late = self._finish()
        self.report = report
        extra = "\nAucune modification enregistrée (simulation)." if report.dry_run else ""
        extra += TOO_LATE if too_late and not report.dry_run else ""
        self.status.setText(report.summary() + extra)
        problems, motifs = problem_rows(report), motif_rows(report)
        self.problems_model.set_rows(problems)
        self.motifs_model.set_rows(motifs)
        for widget in (self.problems_title, self.problems_view):
            widget.setVisible(bool(problems))
        for widget in (self.motifs_title, self.motifs_view):
            widget.setVisible(bool(motifs))
        if not report.dry_run:
            self.imported.emit(report)

    def _failed(self, error: Exception) -> None:
        self._finish()
        self.report = None
        message = error.message if isinstance(error, RdvError) else (
            f"L'import a échoué de façon inattendue ({type(error).__name__}). Aucune "
            "modification n'a été enregistrée.")
        cancelled = isinstance(error, ImportCancelled)
        self.status.setStyleSheet("" if cancelled else ERROR_STYLE)
        self.status.setText(message)
        if cancelled:  # most likely the wrong file: offer to choose another one
            self.browse_button.setFocus()
        for model in (self.problems_model, self.motifs_model):
            model.set_rows([])
        for widget in (self.problems_title, self.problems_view, self.motifs_title,
                       self.motifs_view):
            widget.hide()
