"""The completeness checklist: decides whether a dossier is deposited, incomplete or redirected.

Keyboard first: R / M / N mark the selected piece reçu / manquant / non concerné, Ctrl+Shift+R
marks every applicable piece received, Ctrl+Return registers the deposit, Ctrl+I the incomplete
outcome, Ctrl+Shift+A the redirection to ANEF.

Each outcome is one counter command run by the window's executor: the dialog stays open, its
buttons disabled, until the command answers; a refusal is shown here and nothing was written;
a lost reply is looked up (`settle`) once the database answers again, and only then does the
dialog close or let the agent try again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QDateTime, QEvent, QObject, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..errors import DatabaseUnavailable, OutcomeUnknown, RdvError
from ..services.catalogue import CatalogueInfo
from ..services.core import Actor, fr_date, local
from ..services.counter import REQUEST_KINDS, AppointmentView, DepositRequest, PendingOutcome
from ..services.setup import Services
from .accessibility import SpokenLabel, WordsProgressBar, announce, caption, leave_on_tab
from .checklist_model import ChecklistModel
from .date_fields import qdate
from .executor import DbExecutor
from .screen_fit import fitting
from .timbre_box import TimbreBox

if TYPE_CHECKING:
    from ..services.counter import CommandResult

KIND_FLAGS = {"Renouvellement": "renouvellement", "Changement de statut": "changement_statut"}
MARK_KEYS = {Qt.Key.Key_R: "received", Qt.Key.Key_M: "missing", Qt.Key.Key_N: "not_applicable",
             Qt.Key.Key_1: "received", Qt.Key.Key_2: "missing", Qt.Key.Key_3: "not_applicable"}


SETTLE_RETRY_MS = 2000


class ChecklistDialog(QDialog):
    act_done = Signal(object)  # CommandResult: deposit, incomplete or redirection

    def __init__(self, services: Services, actor: Actor, view: AppointmentView,
                 executor: DbExecutor, catalogue: CatalogueInfo, fee_cents: int | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.view = services, actor, view
        self.executor = executor
        self.busy = False
        self.catalogue = catalogue
        self.setWindowTitle(f"Contrôle du dossier — {view.full_name}")
        self.resize(fitting(1100, 720))

        birth = fr_date(view.birth_date) if view.birth_date else "date de naissance inconnue"
        # Names and references come from public online booking: shown as text, never markup.
        who = QLabel(f"<span style='font-size:15pt'><b>{escape(view.full_name)}</b></span> — "
                     f"né(e) le {birth} — "
                     f"{escape(view.nationality) or 'nationalité non renseignée'} — "
                     f"réf. {escape(view.reference)} — ticket {escape(view.ticket or '—')}")
        who.setTextFormat(Qt.TextFormat.RichText)
        who.setWordWrap(True)
        self.motif = QComboBox()
        self.motif.setAccessibleName("Motif")
        if view.motif_code is None:
            self.motif.addItem(f"⚠ Motif à confirmer : {view.motif_label or 'inconnu'}", None)
        for m in self.catalogue.motifs:
            self.motif.addItem(("ANEF — " if m.anef_redirect else "") + m.label, m.code)
        if view.motif_code is not None:
            self.motif.setCurrentIndex(max(0, self.motif.findData(view.motif_code)))
        self.kind = QComboBox()
        self.kind.setAccessibleName("Type de demande")
        self.kind.addItems(REQUEST_KINDS)
        self.note = SpokenLabel("Note du motif")
        self.note.setWordWrap(True)

        self.situation_boxes: dict[str, QCheckBox] = {}
        situations = QGroupBox("Situation de la personne")
        grid = QGridLayout(situations)
        for i, (code, label) in enumerate(self.catalogue.situations):
            box = QCheckBox(label)
            box.setAccessibleName(f"Situation {label}")
            box.toggled.connect(self._situations_changed)
            grid.addWidget(box, i // 2, i % 2)
            self.situation_boxes[code] = box

        self.model = ChecklistModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("Pièces du dossier")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setColumnWidth(2, 200)
        self.table.installEventFilter(self)
        leave_on_tab(self.table)

        self.progress = WordsProgressBar()
        self.progress.setAccessibleName("Avancement du contrôle")
        self.missing = SpokenLabel("Pièces manquantes")
        self.missing.setWordWrap(True)
        self.message = SpokenLabel("Message du contrôle", live=True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020; font-weight: bold")

        today = local(services.ctx.clock.now()).date()
        self.timbres = TimbreBox(fee_cents)
        self.timbres.error.connect(self.message.setText)
        self.rebook = QCheckBox("Donner un nouveau rendez-vous")
        self.rebook.setAccessibleName("Nouveau rendez-vous")
        self.rebook_at = QDateTimeEdit(QDateTime(qdate(self._next_weekday(today)), QTime(9, 0)))
        self.rebook_at.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.rebook_at.setCalendarPopup(True)
        self.rebook_at.setAccessibleName("Date du nouveau rendez-vous")

        all_received = QPushButton("Tout &reçu")
        all_received.setAccessibleName("Tout reçu")
        all_received.clicked.connect(self._all_received)
        self.deposit_button = QPushButton("Enregistrer le &dépôt (Ctrl+Entrée)")
        self.deposit_button.setAccessibleName("Enregistrer le dépôt")
        self.incomplete_button = QPushButton("Dossier &incomplet (Ctrl+I)")
        self.incomplete_button.setAccessibleName("Dossier incomplet")
        self.redirect_button = QPushButton("Réorienter vers l'&ANEF")
        self.redirect_button.setAccessibleName("Réorienter vers l'ANEF")
        later = QPushButton("Fermer sans décider")
        later.clicked.connect(self.reject)
        self.deposit_button.clicked.connect(self.register_deposit)
        self.incomplete_button.clicked.connect(self.register_incomplete)
        self.redirect_button.clicked.connect(self.redirect)
        for button in (all_received, self.deposit_button, self.incomplete_button,
                       self.redirect_button, later):
            button.setAutoDefault(False)  # Return in a field must never register anything
        self.shortcuts = {
            QKeySequence("Ctrl+Return"): self.register_deposit,
            QKeySequence("Ctrl+Enter"): self.register_deposit,
            QKeySequence("Ctrl+I"): self.register_incomplete,
            QKeySequence("Ctrl+Shift+A"): self.redirect,
            QKeySequence("Ctrl+Shift+R"): self._all_received,
        }

        top = QHBoxLayout()
        top.addWidget(caption("Motif :", self.motif))
        top.addWidget(self.motif, 3)
        top.addWidget(caption("Demande :", self.kind))
        top.addWidget(self.kind, 1)
        side = QVBoxLayout()
        side.addWidget(self.progress)
        side.addWidget(QLabel("<b>Manque pour un dossier complet :</b>"))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.missing)
        scroll.setAccessibleName("Liste des pièces manquantes")
        side.addWidget(scroll, 1)
        side.addWidget(self.timbres)
        rebook_row = QHBoxLayout()
        rebook_row.addWidget(self.rebook)
        rebook_row.addWidget(self.rebook_at)
        side.addLayout(rebook_row)
        middle = QHBoxLayout()
        middle.addWidget(self.table, 3)
        middle.addLayout(side, 1)
        buttons = QHBoxLayout()
        for button in (all_received, later):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.redirect_button, self.incomplete_button, self.deposit_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(who)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(situations)
        layout.addLayout(middle, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self.motif.currentIndexChanged.connect(lambda _i: self._motif_changed())
        self.kind.currentTextChanged.connect(self._kind_changed)
        self.model.dataChanged.connect(lambda *_: self._refresh())
        self.model.modelReset.connect(self._refresh)
        self._motif_changed()
        self.table.setFocus()

    @staticmethod
    def _next_weekday(day: date) -> date:
        day += timedelta(days=14)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return day

    # -- state -------------------------------------------------------------------------------

    def motif_code(self) -> str | None:
        return self.motif.currentData()

    def situations(self) -> frozenset[str]:
        return frozenset(code for code, box in self.situation_boxes.items() if box.isChecked())

    def _motif_changed(self) -> None:
        code = self.motif_code()
        if code is None:
            self.model.beginResetModel()
            self.model.rows, self.model.motif = [], None
            self.model.endResetModel()
            self.note.setText("Choisissez le motif avant de contrôler les pièces.")
            return
        motif = self.catalogue.motif(code)
        self.note.setText(motif.redirect_note if motif.anef_redirect else motif.note)
        self.model.load(motif, self.situations())
        if self.model.rowCount():
            self.table.selectRow(0)  # the form always applies

    def _kind_changed(self, kind: str) -> None:
        for label, flag in KIND_FLAGS.items():
            if flag in self.situation_boxes:
                self.situation_boxes[flag].setChecked(kind == label)

    def _situations_changed(self) -> None:
        self.model.set_situations(self.situations())

    def _all_received(self) -> None:
        self.model.mark_all_received()
        announce(self.table, f"Tout reçu. {self.model.progress_words()}.")

    def _refresh(self) -> None:
        code = self.motif_code()
        anef = code is not None and self.catalogue.motif(code).anef_redirect
        done, total = self.model.progress()
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(self.model.progress_words())
        self.progress.setAccessibleDescription(self.model.progress_words())
        missing = self.model.blocking_missing()
        self.missing.setText("\n".join(f"• {label}" for label in missing) or "Rien : complet.")
        self.deposit_button.setEnabled(code is not None and not anef and not missing)
        self.incomplete_button.setEnabled(code is not None and not anef and bool(missing))
        self.redirect_button.setVisible(anef)
        if self.busy:
            for button in (self.deposit_button, self.incomplete_button, self.redirect_button):
                button.setEnabled(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """The dialog's shortcuts, also reached when a child widget passes the key on."""
        pressed = QKeySequence(event.keyCombination())
        for sequence, slot in self.shortcuts.items():
            if pressed.matches(sequence) == QKeySequence.SequenceMatch.ExactMatch:
                slot()
                return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return  # plain Return never closes the checklist
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            status = MARK_KEYS.get(Qt.Key(event.key()))
            rows = self.table.selectionModel().selectedRows()
            if status and rows and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
                row = rows[0].row()
                self.model.mark(row, status)
                announce(self.table, self.model.spoken_mark(row))  # in words, not « 11 % »
                following = [i for i in range(row + 1, self.model.rowCount())
                             if self.model.rows[i].line.applies]
                if following:
                    self.table.selectRow(following[0])
                return True
        return super().eventFilter(watched, event)

    # -- outcomes ----------------------------------------------------------------------------

    def _request(self) -> DepositRequest | None:
        code = self.motif_code()
        if code is None:
            self.message.setText("Choisissez d'abord le motif.")
            return None
        if self.timbres.number.text().strip() and not self.timbres.add_current():
            return None
        return DepositRequest(self.view.id, code, self.kind.currentText(), self.situations(),
                              self.model.checks(), tuple(self.timbres.entries))

    def _fail(self, exc: Exception) -> None:
        self._set_busy(False)
        if isinstance(exc, OutcomeUnknown):
            self._set_busy(True)
            self.message.setText(exc.message)
            return
        if isinstance(exc, RdvError):
            prefix = "Rien n'a été enregistré. " if isinstance(exc, DatabaseUnavailable) else ""
            self.message.setText(prefix + exc.message)
        else:
            self.message.setText(f"Rien n'a été enregistré : erreur inattendue ({exc}).")

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for button in (self.deposit_button, self.incomplete_button, self.redirect_button):
            button.setEnabled(not busy)
        if not busy:
            self._refresh()

    def _run(self, action: str, command: Callable[[], CommandResult]) -> None:
        if self.busy:
            return
        self._set_busy(True)
        self.message.setText("Enregistrement en cours…")
        pending = PendingOutcome(self.view.id, action, self.services.ctx.clock.now())

        def failed(exc: Exception) -> None:
            self._fail(exc)
            if isinstance(exc, OutcomeUnknown):
                self._settle(pending)

        self.executor.submit(command, self._done, failed, owner=self)

    def _settle(self, pending: PendingOutcome) -> None:
        """Ask, until the database answers, whether the act whose reply was lost happened."""

        def answered(result: CommandResult) -> None:
            if result.dossier is not None or (result.view and result.view.outcome != "pending"):
                self._done(result)
            else:
                self._set_busy(False)
                self.message.setText(result.message)

        def still_down(_exc: Exception) -> None:
            QTimer.singleShot(SETTLE_RETRY_MS, self, lambda: self._settle(pending))

        self.executor.submit(lambda: self.services.counter.settle(self.actor, pending),
                             answered, still_down, owner=self)

    def _done(self, result: CommandResult) -> None:
        self.busy = False
        self.accept()
        self.act_done.emit(result)

    def reject(self) -> None:
        """Escape or « Fermer sans décider »: never while an outcome is being registered."""
        if not self.busy:
            super().reject()

    def register_deposit(self) -> None:
        if not self.deposit_button.isEnabled():
            return
        request = self._request()
        if request is None:
            return
        self._run("deposit", lambda: self.services.counter.register_deposit(self.actor, request))

    def register_incomplete(self) -> None:
        if not self.incomplete_button.isEnabled():
            return
        request = self._request()
        if request is None:
            return
        when: datetime | None = None
        if self.rebook.isChecked():
            picked = self.rebook_at.dateTime().toPython()
            assert isinstance(picked, datetime)
            when = picked
        self._run("incomplete", lambda: self.services.counter.register_incomplete(
            self.actor, request, when))

    def redirect(self) -> None:
        code = self.motif_code()
        if code is None or not self.catalogue.motif(code).anef_redirect:
            return
        self._run("redirect", lambda: self.services.counter.redirect(self.actor, self.view.id,
                                                                     code))
