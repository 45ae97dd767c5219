"""The completeness checklist: decides whether a dossier is deposited, incomplete or redirected.

Keyboard first: R / M / N (or 1 / 2 / 3) mark the piece reçu / manquant / non concerné when the
« Statut » column is current (in « Note » they are typed like any letter), Ctrl+Shift+R marks
every applicable piece received, Ctrl+Return registers the deposit, Ctrl+I the incomplete
outcome, Ctrl+Shift+A the redirection to ANEF; every section and situation has an Alt+letter.
Escape asks before closing once something is marked.

It fits a 1,366 × 768 screen whatever the name and the motif: the name is elided (full name in
its tooltip), the side column (situations, progress, timbres, new appointment) scrolls, the
situations' long labels wrap.

Each outcome is one counter command run by the window's executor (checklist_outcomes.py):
the dialog stays open, its buttons disabled, until the command answers; a refusal is shown
here and nothing was written; a lost reply is looked up (`settle`) once the database answers
again, and only then does the dialog close or let the agent try again.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDateTime, QEvent, QModelIndex, QObject, Qt, QTime, Signal
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
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..french import typographic
from ..services.catalogue import request_flags
from ..services.core import Actor, fr_date
from ..services.counter import REQUEST_KINDS, AppointmentView, ChecklistSetup
from ..services.setup import Services
from .accessibility import SpokenLabel, WordsProgressBar, announce, leave_on_tab
from .checklist_model import PIECE, STATUS, ChecklistModel
from .checklist_outcomes import ChecklistOutcomes
from .checklist_parts import ElidedLabel, WrappingCheck, with_mnemonic
from .date_fields import qdate
from .executor import DbExecutor
from .plain_text import shown_name
from .screen_fit import fitting
from .timbre_box import TimbreBox

MARK_KEYS = {Qt.Key.Key_R: "received", Qt.Key.Key_M: "missing", Qt.Key.Key_N: "not_applicable",
             Qt.Key.Key_1: "received", Qt.Key.Key_2: "missing", Qt.Key.Key_3: "not_applicable"}



class ChecklistDialog(ChecklistOutcomes, QDialog):
    act_done = Signal(object)  # CommandResult: deposit, incomplete or redirection

    def __init__(self, services: Services, actor: Actor, view: AppointmentView,
                 executor: DbExecutor, setup: ChecklistSetup,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.view = services, actor, view
        self.executor = executor
        self.busy = False
        self.closing_confirmed = False
        self.confirm: QMessageBox | None = None
        self.catalogue = setup.catalogue
        self.setWindowTitle(f"Contrôle du dossier — {shown_name(view.full_name)}")
        self.resize(fitting(1340, 720))  # room left for the title bar on 768 px
        used: set[str] = set("rdiaf")  # the buttons' letters, below

        birth = fr_date(view.birth_date) if view.birth_date else "date de naissance inconnue"
        # Names and references come from public online booking: shown as plain text, never
        # markup, isolated so an Arabic name does not reorder the line.
        self.who = ElidedLabel(shown_name(view.full_name))
        big = self.who.font()
        big.setPointSize(15)
        big.setBold(True)
        self.who.setFont(big)
        details = QLabel(f"né(e) le {birth} — "
                         f"{view.nationality or 'nationalité non renseignée'} — "
                         f"réf. {view.reference} — ticket {view.ticket or '—'}")
        details.setTextFormat(Qt.TextFormat.PlainText)
        details.setWordWrap(True)
        details.setAccessibleName("Identité")
        self.motif = QComboBox()
        self.motif.setAccessibleName("Motif")
        self.motif.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.motif.setMinimumContentsLength(24)  # long motifs: the open list shows them whole
        if view.motif_code is None:
            self.motif.addItem(f"⚠ Motif à confirmer : {view.motif_label or 'inconnu'}", None)
        for m in self.catalogue.motifs:
            self.motif.addItem(("ANEF — " if m.anef_redirect else "") + m.label, m.code)
        if view.motif_code is not None:
            self.motif.setCurrentIndex(max(0, self.motif.findData(view.motif_code)))
        self.kind = QComboBox()
        self.kind.setAccessibleName("Type de demande")
        self.kind.addItems(REQUEST_KINDS)
        if view.request_kind in REQUEST_KINDS:  # as the person said at booking
            self.kind.setCurrentText(view.request_kind)
        self.note = SpokenLabel("Note du motif")
        self.note.setWordWrap(True)
        # The law's limits on the motif (end date, birth-date window), in red when they bite.
        self.limits = SpokenLabel("Délais du motif")
        self.limits.setWordWrap(True)
        self.limits.setTextFormat(Qt.TextFormat.PlainText)
        self.limits.setStyleSheet("color: #b00020; font-weight: bold")
        self.handover_box = QGroupBox("Remis par la préfecture")
        self.handover_layout = QVBoxLayout(self.handover_box)
        self.handover_boxes: list[QCheckBox] = []

        section_labels = {name: with_mnemonic(text, used) for name, text in (
            ("motif", "Motif :"), ("kind", "Demande :"), ("situations",
            "Situation de la personne"), ("pieces", "Pièces du dossier"),
            ("timbres", "Timbres fiscaux"), ("rebook", "Donner un nouveau rendez-vous"),
            ("handover", "Remis par la préfecture"))}
        self.handover_box.setTitle(section_labels["handover"])
        self.situation_boxes: dict[str, QCheckBox] = {}
        self.situation_checks: list[WrappingCheck] = []
        situations = QGroupBox(section_labels["situations"])
        grid = QGridLayout(situations)
        for i, (code, label) in enumerate(self.catalogue.situations):
            check = WrappingCheck(with_mnemonic(label, used), f"Situation {label}")
            check.box.toggled.connect(self._situations_changed)
            grid.addWidget(check, i, 0)
            self.situation_boxes[code] = check.box
            self.situation_checks.append(check)

        self.model = ChecklistModel(self)
        self.table = QTableView()
        pieces_label = QLabel(section_labels["pieces"])
        pieces_label.setBuddy(self.table)
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
        # The piece's name is read, not edited: the current cell is its « Statut » (where
        # R / M / N mark) or its « Note » (where they are typed).
        self.table.selectionModel().currentChanged.connect(self._current_moved)
        leave_on_tab(self.table)

        self.progress = WordsProgressBar()
        self.progress.setAccessibleName("Avancement du contrôle")
        self.missing = SpokenLabel("Pièces manquantes")
        self.missing.setWordWrap(True)
        self.message = SpokenLabel("Message du contrôle", live=True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020; font-weight: bold")

        today = self.today = setup.today  # the services' day, read with the catalogue
        self.timbres = TimbreBox(setup.fee_cents)
        self.timbres.setTitle(section_labels["timbres"])
        self.timbres.error.connect(self.message.setText)
        self.rebook = QCheckBox(section_labels["rebook"])
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
        later = QPushButton("&Fermer sans décider")
        later.setAccessibleName("Fermer sans décider")
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
        motif_label = QLabel(section_labels["motif"])
        motif_label.setBuddy(self.motif)
        kind_label = QLabel(section_labels["kind"])
        kind_label.setBuddy(self.kind)
        top.addWidget(motif_label)
        top.addWidget(self.motif, 3)
        top.addWidget(kind_label)
        top.addWidget(self.kind, 1)
        side_panel = QWidget()
        side = QVBoxLayout(side_panel)
        side.setContentsMargins(0, 0, 4, 0)
        side.addWidget(situations)
        side.addWidget(self.handover_box)
        side.addWidget(self.progress)
        side.addWidget(QLabel("<b>Manque pour un dossier complet :</b>"))
        side.addWidget(self.missing)
        side.addWidget(self.timbres)
        rebook_row = QHBoxLayout()
        rebook_row.addWidget(self.rebook)
        rebook_row.addWidget(self.rebook_at)
        side.addLayout(rebook_row)
        side.addStretch(1)
        self.side = QScrollArea()
        self.side.setAccessibleName("Situation, timbres et nouveau rendez-vous")
        self.side.setWidgetResizable(True)
        self.side.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.side.setFrameShape(QScrollArea.Shape.NoFrame)
        self.side.setWidget(side_panel)
        pieces = QVBoxLayout()
        pieces.addWidget(pieces_label)
        pieces.addWidget(self.table, 1)
        middle = QHBoxLayout()
        middle.addLayout(pieces, 3)
        middle.addWidget(self.side, 2)
        buttons = QHBoxLayout()
        for button in (all_received, later):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.redirect_button, self.incomplete_button, self.deposit_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.who)
        layout.addWidget(details)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(self.limits)
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

    def flags(self) -> frozenset[str]:
        """What the conditions read: the ticked situations and the request type."""
        return request_flags(self.situations(), self.kind.currentText())

    def _motif_changed(self) -> None:
        code = self.motif_code()
        if code is None:
            self.model.beginResetModel()
            self.model.rows, self.model.motif = [], None
            self.model.endResetModel()
            self.note.setText("Choisissez le motif avant de contrôler les pièces.")
            return
        motif = self.catalogue.motif(code)
        # the catalogue's notes quote and list: « … » and « ; » never start a line alone
        self.note.setText(typographic(motif.redirect_note if motif.anef_redirect
                                      else motif.note))
        self._show_limits()
        self._show_handover(motif.rules.handover)
        self.model.load(motif, self.flags())
        if self.model.rowCount():
            self._select(0)  # the form always applies

    def _current_moved(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.column() == PIECE:
            self.table.setCurrentIndex(self.model.index(current.row(), STATUS))

    def _select(self, row: int) -> None:
        """Select a piece with its « Statut » cell current, where R / M / N mark it."""
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, STATUS))

    def _show_limits(self) -> None:
        """The law's limits in red: the motif's end date, its birth-date window, a renewal
        filed after the current titre expired."""
        code = self.motif_code()
        today = self.today
        limits: list[str | None] = []
        if code is not None:
            rules = self.catalogue.motif(code).rules
            limits += [rules.validity_problem(today),
                       rules.age_problem(self.view.birth_date, today)]
        expired = self.view.titre_expires_on
        if self.kind.currentText() == "Renouvellement" and expired and expired < today:
            limits.append(f"renouvellement tardif : titre expiré le {fr_date(expired)} (droit "
                          "de renouvellement tardif)")
        shown = [p for p in limits if p]
        self.limits.setText(" — ".join(f"⚠ {p[0].upper()}{p[1:]}" for p in shown))
        self.limits.setVisible(bool(shown))

    def _show_handover(self, items: tuple[str, ...]) -> None:
        """One box per thing the préfecture hands over for this motif (the OFII kit)."""
        for box in self.handover_boxes:
            self.handover_layout.removeWidget(box)
            box.deleteLater()
        self.handover_boxes = []
        for item in items:
            box = QCheckBox(item)
            box.setAccessibleName(f"Remis : {item}")
            self.handover_layout.addWidget(box)
            self.handover_boxes.append(box)
        self.handover_box.setVisible(bool(items))

    def _kind_changed(self, _kind: str) -> None:
        self._show_limits()
        self.model.set_situations(self.flags())

    def _situations_changed(self) -> None:
        self.model.set_situations(self.flags())

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
        blocking, later = self.model.blocking_missing(), self.model.to_complete()
        lines = (["Bloquantes — sans elles, pas d'enregistrement :"]
                 + [f"• {label}" for label in blocking] if blocking else [])
        if later:
            lines += ["À compléter — le dossier est enregistré, elles sont demandées par "
                      "courrier daté :"] + [f"• {label}" for label in later]
        if code is None:
            self.missing.setText("Choisissez d'abord le motif.")
        else:
            self.missing.setText(typographic("\n".join(lines)
                                             or "Rien : le dossier est complet."))
        self.deposit_button.setEnabled(code is not None and not anef and not blocking)
        self.deposit_button.setText("Enregistrer le &dépôt, pièces à compléter (Ctrl+Entrée)"
                                    if later and not blocking else
                                    "Enregistrer le &dépôt (Ctrl+Entrée)")
        self.incomplete_button.setEnabled(code is not None and not anef and bool(blocking))
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
            on_status = self.table.currentIndex().column() == STATUS
            if (status and rows and on_status
                    and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier):
                row = rows[0].row()
                self.model.mark(row, status)
                announce(self.table, self.model.spoken_mark(row))  # in words, not « 11 % »
                following = [i for i in range(row + 1, self.model.rowCount())
                             if self.model.rows[i].line.applies]
                if following:
                    self._select(following[0])
                return True
        return super().eventFilter(watched, event)

    def reject(self) -> None:
        """Escape or « Fermer sans décider »: never while an outcome is being registered, and
        only after asking once something has been marked (the marks would be lost)."""
        if self.busy:
            return
        if not self.model.touched() or self.closing_confirmed:
            super().reject()
            return
        ask = QMessageBox(QMessageBox.Icon.Question, "Fermer sans décider ?",
                          "Les pièces marquées et les notes de ce contrôle seront perdues.",
                          parent=self)
        ask.setAccessibleName("Confirmer la fermeture")
        close = ask.addButton("&Fermer sans enregistrer", QMessageBox.ButtonRole.DestructiveRole)
        stay = ask.addButton("&Continuer le contrôle", QMessageBox.ButtonRole.RejectRole)
        ask.setDefaultButton(stay)
        ask.setEscapeButton(stay)
        close.clicked.connect(self._close_anyway)
        self.confirm = ask
        ask.open()

    def _close_anyway(self) -> None:
        self.closing_confirmed = True
        self.reject()
