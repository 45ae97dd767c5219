"""« Catalogue des motifs »: edit one motif (label, CESEDA reference, its pieces) and save the
whole edit as a new catalogue version. Dossiers already registered keep their own snapshot.

The screen holds a draft; `services.motif_editing.save_motif` checks all of it (conditions,
at least one piece…) before writing anything, so a refusal leaves the catalogue unchanged.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from ..errors import RdvError
from ..services.actor import Actor
from ..services.catalogue_file import CatalogueSpec, PieceSpec
from ..services.clock import fr_date
from ..services.motif_editing import MotifDraft, PieceDraft, editable_catalogue, save_motif
from ..services.setup import Services
from .worker import run_in_background

REQUIREMENT_LABELS = (("required", "obligatoire"), ("conditional", "si condition"),
                      ("optional", "facultative"))
COLUMNS = ("Code", "Libellé", "Exigence", "Condition")
ERROR_STYLE = "color: #b00020; font-weight: bold"
CODE_ROLE = Qt.ItemDataRole.UserRole


class CataloguePanel(QWidget):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = services.office.catalogue_editor
        self.actor = actor
        self.spec: CatalogueSpec | None = None

        self.motif = QComboBox()
        self.motif.setAccessibleName("Motif à modifier")
        self.version = QLabel("")
        self.version.setAccessibleName("Version du catalogue")
        top = QHBoxLayout()
        top.addWidget(QLabel("Motif :"))
        top.addWidget(self.motif, 1)
        top.addWidget(self.version)

        self.label = QLineEdit()
        self.label.setAccessibleName("Libellé du motif")
        self.ceseda = QLineEdit()
        self.ceseda.setAccessibleName("Référence CESEDA")
        self.anef = QLabel("")
        self.anef.setAccessibleName("Orientation ANEF")
        form = QFormLayout()
        form.addRow("&Libellé", self.label)
        form.addRow("Référence &CESEDA", self.ceseda)
        form.addRow("", self.anef)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName("Pièces du motif")
        self.table.setHorizontalHeaderLabels(COLUMNS)
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
        self.situations = QLabel("")
        self.situations.setAccessibleName("Situations utilisables")
        self.situations.setWordWrap(True)
        shared = QLabel("Une pièce peut servir à plusieurs motifs : changer son libellé, son "
                        "exigence ou sa condition la change pour tous ces motifs.")
        shared.setWordWrap(True)

        self.save = QPushButton("Enregistrer (nouvelle version)")
        self.save.setAccessibleName("Enregistrer le motif")
        self.revert = QPushButton("Annuler les modifications")
        self.revert.setAccessibleName("Annuler les modifications")
        self.message = QLabel("")
        self.message.setAccessibleName("Message du catalogue")
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
        self.add_new.clicked.connect(lambda: self._append(None, "", "required", None))
        self.remove.clicked.connect(self._remove)
        self.up.clicked.connect(lambda: self._move(-1))
        self.down.clicked.connect(lambda: self._move(1))
        self.save.clicked.connect(self.save_draft)
        self.revert.clicked.connect(self.show_motif)
        self.reload()

    # -- loading -------------------------------------------------------------------------------

    def reload(self, keep: str | None = None) -> None:
        try:
            self.spec = editable_catalogue(self.editor, self.actor)
        except RdvError as exc:
            self.say(exc.message, error=True)
            return
        spec = self.spec
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
        self.ceseda.setText(motif.ceseda)
        self.anef.setText("Motif déposé sur l'ANEF : le guichet réoriente, aucune pièce."
                          if motif.anef else "")
        for row in reversed(range(self.table.rowCount())):
            self._drop_row(row)
        for code in motif.piece_codes:
            piece = self.spec.piece(code)
            self._append(piece.code, piece.label, piece.requirement, piece.condition)
        self._fill_existing()
        if self.table.rowCount():
            self.table.selectRow(0)
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(2)
        self.say("")

    def _fill_existing(self) -> None:
        if self.spec is None:
            return
        used = set(self._codes())
        self.existing.clear()
        for piece in sorted(self.spec.pieces, key=lambda p: p.label):
            if piece.code not in used:
                self.existing.addItem(f"{piece.label} ({piece.code})", piece.code)
        self.add_existing.setEnabled(self.existing.count() > 0)

    # -- the pieces table ----------------------------------------------------------------------

    def _append(self, code: str | None, label: str, requirement: str,
                condition: str | None) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        code_item = QTableWidgetItem(code or "(nouvelle)")
        code_item.setData(CODE_ROLE, code)
        code_item.setFlags(code_item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.table.setItem(row, 0, code_item)
        self.table.setItem(row, 1, QTableWidgetItem(label))
        combo = QComboBox()
        for value, text in REQUIREMENT_LABELS:
            combo.addItem(text, value)
        combo.setCurrentIndex([v for v, _ in REQUIREMENT_LABELS].index(requirement))
        self.table.setCellWidget(row, 2, combo)
        self.table.setItem(row, 3, QTableWidgetItem(condition or ""))
        self._name_rows()
        self.table.selectRow(row)
        if code is None:
            self.table.editItem(self.table.item(row, 1))

    def _drop_row(self, row: int) -> None:
        """Qt deletes a removed cell widget later: unname it now so no one finds it."""
        combo = self.table.cellWidget(row, 2)
        if combo is not None:
            combo.setAccessibleName("")
        self.table.removeRow(row)

    def _name_rows(self) -> None:
        for row in range(self.table.rowCount()):
            combo = self.table.cellWidget(row, 2)
            if isinstance(combo, QComboBox):
                combo.setAccessibleName(f"Exigence de la pièce {row + 1}")

    def _codes(self) -> list[str]:
        return [c for row in range(self.table.rowCount())
                if (c := self.table.item(row, 0).data(CODE_ROLE))]

    def row_draft(self, row: int) -> PieceDraft:
        combo = self.table.cellWidget(row, 2)
        assert isinstance(combo, QComboBox)
        return PieceDraft(self.table.item(row, 0).data(CODE_ROLE), self.table.item(row, 1).text(),
                          combo.currentData(), self.table.item(row, 3).text() or None)

    def _set_row(self, row: int, piece: PieceDraft) -> None:
        code_item = self.table.item(row, 0)
        code_item.setText(piece.code or "(nouvelle)")
        code_item.setData(CODE_ROLE, piece.code)
        self.table.item(row, 1).setText(piece.label)
        combo = self.table.cellWidget(row, 2)
        assert isinstance(combo, QComboBox)
        combo.setCurrentIndex([v for v, _ in REQUIREMENT_LABELS].index(piece.requirement))
        self.table.item(row, 3).setText(piece.condition or "")

    def _add_existing(self) -> None:
        code = self.existing.currentData()
        if self.spec is None or code is None:
            return
        piece: PieceSpec = self.spec.piece(code)
        self._append(piece.code, piece.label, piece.requirement, piece.condition)
        self._fill_existing()

    def _remove(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        self._drop_row(row)
        self._name_rows()
        self._fill_existing()

    def _move(self, step: int) -> None:
        row = self.table.currentRow()
        other = row + step
        if row < 0 or not 0 <= other < self.table.rowCount():
            return
        first, second = self.row_draft(row), self.row_draft(other)
        self._set_row(row, second)
        self._set_row(other, first)
        self.table.selectRow(other)

    # -- saving --------------------------------------------------------------------------------

    def draft(self) -> MotifDraft:
        return MotifDraft(self.motif.currentData(), self.label.text(), self.ceseda.text(),
                          tuple(self.row_draft(r) for r in range(self.table.rowCount())))

    def save_draft(self) -> None:
        draft = self.draft()
        self.save.setEnabled(False)
        self.say("Enregistrement…")

        def done(version: str) -> None:
            if not isValid(self):  # the window closed while the save ran
                return
            self.save.setEnabled(True)
            self.reload(keep=draft.code)
            self.say(f"Motif {draft.code} enregistré : nouvelle version {version} du catalogue. "
                     "Les dossiers déjà déposés gardent leur liste de pièces.")

        def failed(exc: Exception) -> None:
            if not isValid(self):
                return
            self.save.setEnabled(True)
            text = exc.message if isinstance(exc, RdvError) else f"Erreur inattendue : {exc}"
            self.say(f"{text} Rien n'a été enregistré.", error=True)

        run_in_background(lambda: save_motif(self.editor, self.actor, draft), done, failed)

    def say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)
