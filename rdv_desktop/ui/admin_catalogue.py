"""« Catalogue des motifs »: edit one motif (label, CESEDA reference, its pieces) and save the
whole edit as a new catalogue version. Dossiers already registered keep their own snapshot.

The screen holds a draft; `services.motif_editing.save_motif` checks all of it (conditions,
at least one piece…) before writing anything, so a refusal leaves the catalogue unchanged. The
catalogue is read when the tab is first opened; reads and saves run off the UI thread.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..errors import RdvError
from ..french import abbreviated
from ..services.catalogue import (
    SHORT_LABEL_MAX,
    CatalogueSpec,
    MotifDraft,
    PieceDraft,
    PieceSpec,
    editable_catalogue,
    save_motif,
)
from ..services.core import Actor, fr_date
from ..services.setup import Services
from .accessibility import SpokenLabel, caption, leave_on_tab
from .first_show import LoadsOnFirstShow
from .piece_draft_model import (
    LABEL,
    REQUIREMENT,
    PieceDraftModel,
    RequirementDelegate,
)
from .worker import LatestOnly, run_in_background

ERROR_STYLE = "color: #b00020; font-weight: bold"


class CataloguePanel(LoadsOnFirstShow, QWidget):
    loaded = Signal()  # a read of the catalogue has answered: the motif or the refusal is shown
    changed = Signal(bool, str)  # a save has ended: done or refused, and the sentence shown

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = services.office.catalogue_editor
        self.actor = actor
        self.spec: CatalogueSpec | None = None
        self.reads = LatestOnly()
        self.saving = False

        self.motif = QComboBox()
        self.motif.setAccessibleName("Motif à modifier")
        self.version = SpokenLabel("Version du catalogue")
        top = QHBoxLayout()
        top.addWidget(caption("Motif :", self.motif))
        top.addWidget(self.motif, 1)
        top.addWidget(self.version)

        self.label = QLineEdit()
        self.label.setAccessibleName("Libellé du motif")
        self.short = QLineEdit()
        self.short.setAccessibleName("Libellé court")
        self.short.setMaxLength(SHORT_LABEL_MAX)
        self.short.setToolTip("Ce que montrent les graphiques et les tableaux étroits ; vide : "
                              "abrégé automatiquement (« AES – VPF »).")
        self.ceseda = QLineEdit()
        self.ceseda.setAccessibleName("Référence CESEDA")
        self.anef = SpokenLabel("Orientation ANEF")
        form = QFormLayout()
        form.addRow("&Libellé", self.label)
        form.addRow("Libellé c&ourt (graphiques)", self.short)
        form.addRow("Référence &CESEDA", self.ceseda)
        form.addRow("", self.anef)

        self.pieces = PieceDraftModel(self)
        self.table = QTableView()
        leave_on_tab(self.table)
        self.table.setModel(self.pieces)
        self.table.setItemDelegateForColumn(REQUIREMENT, RequirementDelegate(self.table))
        self.table.setAccessibleName("Pièces du motif")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

        self.existing = QComboBox()
        self.existing.setAccessibleName("Pièce du catalogue à ajouter")
        self.add_existing = QPushButton("Ajouter")
        self.add_new = QPushButton("Nouvelle pièce")
        self.remove = QPushButton("Retirer")
        self.up = QPushButton("Monter")
        self.down = QPushButton("Descendre")
        for button, name in ((self.add_existing, "Ajouter la pièce choisie"),
                             (self.add_new, "Nouvelle pièce"), (self.remove, "Retirer la pièce"),
                             (self.up, "Monter la pièce"), (self.down, "Descendre la pièce")):
            button.setAccessibleName(name)
        pieces_bar = QHBoxLayout()
        for w in (self.existing, self.add_existing, self.add_new, self.remove, self.up,
                  self.down):
            pieces_bar.addWidget(w)
        pieces_bar.addStretch(1)
        self.situations = SpokenLabel("Situations utilisables")
        self.situations.setWordWrap(True)
        shared = QLabel("Une pièce peut servir à plusieurs motifs : changer son libellé, son "
                        "exigence ou sa condition la change pour tous ces motifs.")
        shared.setWordWrap(True)

        self.save = QPushButton("Enregistrer (nouvelle version)")
        self.save.setAccessibleName("Enregistrer le motif")
        self.revert = QPushButton("Annuler les modifications")
        self.revert.setAccessibleName("Annuler les modifications")
        self.message = SpokenLabel("Message du catalogue", live=True)
        self.message.setWordWrap(True)
        actions = QHBoxLayout()
        actions.addWidget(self.save)
        actions.addWidget(self.revert)
        actions.addWidget(self.message, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(form)
        layout.addWidget(QLabel("Pièces demandées, dans l'ordre de la liste de contrôle :"))
        layout.addWidget(self.table, 1)
        layout.addLayout(pieces_bar)
        layout.addWidget(shared)
        layout.addWidget(self.situations)
        layout.addLayout(actions)

        self.motif.currentIndexChanged.connect(lambda _i: self.show_motif())
        self.add_existing.clicked.connect(self._add_existing)
        self.add_new.clicked.connect(lambda: self._append(PieceDraft(None, "", "required")))
        self.remove.clicked.connect(self._remove)
        self.up.clicked.connect(lambda: self._move(-1))
        self.down.clicked.connect(lambda: self._move(1))
        self.save.clicked.connect(self.save_draft)
        self.revert.clicked.connect(self.show_motif)
        self.save.setEnabled(False)  # until there is a motif to save

    # -- loading -------------------------------------------------------------------------------

    def load(self) -> None:
        self.reload()

    def reload(self, keep: str | None = None) -> None:
        """Read the catalogue in the background; `loaded` says when it is on screen."""
        ticket = self.reads.ticket()

        def done(spec: CatalogueSpec) -> None:
            self._show_spec(ticket, spec, keep)
            self.loaded.emit()

        def failed(exc: Exception) -> None:
            self.say(_sentence(exc), error=True)
            self.loaded.emit()

        run_in_background(lambda: editable_catalogue(self.editor, self.actor), done, failed,
                          owner=self)

    def _show_spec(self, ticket: int, spec: CatalogueSpec, keep: str | None) -> None:
        if not self.reads.fresh(ticket):
            return  # a later read is already on screen
        self.spec = spec
        self.save.setEnabled(not self.saving)
        self.version.setText(f"Version du catalogue : {spec.version} "
                             f"(depuis le {fr_date(spec.valid_from)})")
        self.situations.setText("Situations utilisables dans une condition (avec and, or, not, "
                                "parenthèses) : " + ", ".join(s.code for s in spec.situations))
        current = keep or self.motif.currentData()
        self.motif.blockSignals(True)
        self.motif.clear()
        for m in spec.motifs:
            self.motif.addItem(f"{m.label} ({m.code})", m.code)
        codes = [m.code for m in spec.motifs]
        self.motif.setCurrentIndex(codes.index(current) if current in codes else 0)
        self.motif.blockSignals(False)
        self.show_motif()

    def show_motif(self) -> None:
        """Fill the form from the saved catalogue (also « Annuler les modifications »)."""
        if self.spec is None or self.motif.currentData() is None:
            return
        motif = self.spec.motif(self.motif.currentData())
        self.label.setText(motif.label)
        self.short.setText(motif.rules.short)
        self.short.setPlaceholderText(abbreviated(motif.label))
        self.ceseda.setText(motif.ceseda)
        self.anef.setText("Motif déposé sur l'ANEF : le guichet réoriente, aucune pièce."
                          if motif.anef else "")
        self._close_editors()
        self.pieces.set_drafts([self._draft_of(self.spec.piece(code))
                                for code in motif.piece_codes])
        self._open_editors()
        self._fill_existing()
        if self.pieces.rowCount():
            self.table.selectRow(0)
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(2)
        self.say("")

    def _fill_existing(self) -> None:
        if self.spec is None:
            return
        used = set(self.pieces.codes())
        self.existing.clear()
        for piece in sorted(self.spec.pieces, key=lambda p: p.label):
            if piece.code not in used:
                self.existing.addItem(f"{piece.label} ({piece.code})", piece.code)
        self.add_existing.setEnabled(self.existing.count() > 0)

    # -- the pieces table ----------------------------------------------------------------------

    @staticmethod
    def _draft_of(piece: PieceSpec) -> PieceDraft:
        return PieceDraft(piece.code, piece.label, piece.requirement, piece.condition)

    def _close_editors(self) -> None:
        """Qt deletes a closed editor later: unname it now so no one finds it."""
        for row in range(self.pieces.rowCount()):
            index = self.pieces.index(row, REQUIREMENT)
            if (editor := self.table.indexWidget(index)) is not None:
                editor.setAccessibleName("")
            self.table.closePersistentEditor(index)

    def _open_editors(self) -> None:
        """Every row shows its requirement picker, named after its current row number."""
        for row in range(self.pieces.rowCount()):
            self.table.openPersistentEditor(self.pieces.index(row, REQUIREMENT))

    def _append(self, draft: PieceDraft) -> None:
        self._close_editors()
        row = self.pieces.append(draft)
        self._open_editors()
        self.table.selectRow(row)
        if draft.code is None:
            self.table.edit(self.pieces.index(row, LABEL))

    def _add_existing(self) -> None:
        code = self.existing.currentData()
        if self.spec is None or code is None:
            return
        self._append(self._draft_of(self.spec.piece(code)))
        self._fill_existing()

    def _remove(self) -> None:
        row = self.table.currentIndex().row()
        if row < 0:
            return
        self._close_editors()
        self.pieces.remove(row)
        self._open_editors()
        self._fill_existing()

    def _move(self, step: int) -> None:
        row = self.table.currentIndex().row()
        other = row + step
        if row < 0 or not 0 <= other < self.pieces.rowCount():
            return
        self.pieces.swap(row, other)
        self.table.selectRow(other)

    # -- saving --------------------------------------------------------------------------------

    def draft(self) -> MotifDraft:
        return MotifDraft(self.motif.currentData(), self.label.text(), self.ceseda.text(),
                          tuple(self.pieces.drafts), self.short.text())

    def save_draft(self) -> None:
        """Save, then read the new version, in one background job; the button stays disabled
        meanwhile so a second click cannot save the draft twice."""
        if self.spec is None or self.saving:
            return
        draft = self.draft()
        ticket = self.reads.ticket()
        self.saving = True
        self.save.setEnabled(False)
        self.say("Enregistrement…")

        def work() -> tuple[str, CatalogueSpec | None]:
            version = save_motif(self.editor, self.actor, draft)
            try:
                return version, editable_catalogue(self.editor, self.actor)
            except RdvError:  # the version is saved: the screen keeps the draft shown
                return version, None

        def done(result: tuple[str, CatalogueSpec | None]) -> None:
            version, spec = result
            self.saving = False
            self.save.setEnabled(True)
            if spec is not None:
                self._show_spec(ticket, spec, draft.code)
            text = (f"Motif {draft.code} enregistré : nouvelle version {version} du catalogue. "
                    "Les dossiers déjà déposés gardent leur liste de pièces.")
            self.say(text)
            self.changed.emit(True, text)

        def failed(exc: Exception) -> None:
            self.saving = False
            self.save.setEnabled(True)
            text = f"{_sentence(exc)} Rien n'a été enregistré."
            self.say(text, error=True)
            self.changed.emit(False, text)

        run_in_background(work, done, failed, owner=self)

    def say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)


def _sentence(exc: Exception) -> str:
    return exc.message if isinstance(exc, RdvError) else f"Erreur inattendue : {exc}"
