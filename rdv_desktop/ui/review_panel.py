"""« Contrôle des dépôts »: filter registered dossiers, read one in detail, mark a selection
« contrôlé » or « à reprendre » (with a comment). Every mark is audited by the service."""

from __future__ import annotations

from datetime import timedelta
from html import escape

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..errors import RdvError
from ..services.core import Actor, fr_datetime, local_today
from ..services.office import ReviewDetail, ReviewFilter
from ..services.setup import Services
from .date_fields import day_of, period_fields
from .first_show import LoadsOnFirstShow
from .reason_dialog import ReasonDialog
from .review_model import SORT_ROLE, ReviewModel
from .worker import run_in_background

OUTCOME_CHOICES = (("Toutes les issues", None), ("Complets", True), ("Incomplets", False))
STATE_CHOICES = (("Tous les états", None), ("À contrôler", "none"), ("Contrôlés", "checked"),
                 ("À reprendre", "to_redo"))
PIECE_STATUS = {"received": "reçue", "missing": "MANQUANTE", "not_applicable": "sans objet"}


def detail_html(d: ReviewDetail) -> str:
    r = d.row
    when = [("Arrivée", d.arrived_at), ("Appel", d.called_at),
            ("Début du service", d.service_started_at), ("Fin", d.finished_at)]
    parts = [
        f"<h3>{escape(r.number or 'Dossier incomplet')} — {escape(r.applicant)}</h3>",
        f"<p>{escape(r.motif_label)}<br>{escape(d.request_kind)} · catalogue "
        f"{escape(d.catalogue_version)} · référence {escape(d.reference)}<br>"
        f"Contrôle : <b>{escape(r.review_label)}</b> {escape(r.review_comment or '')}</p>",
        "<p>" + "<br>".join(f"{k} : {fr_datetime(v) if v else '—'}" for k, v in when) + "</p>",
        "<h4>Liste de contrôle</h4><ul>",
        *(f"<li>{escape(p.label)} — <b>{PIECE_STATUS.get(p.status, p.status)}</b></li>"
          for p in d.pieces),
        "</ul>",
    ]
    if d.timbres:
        parts.append("<h4>Timbres</h4><ul>" + "".join(
            f"<li>{escape(n)} — {a / 100:.2f} €</li>".replace(".", ",") for n, a in d.timbres)
            + "</ul>")
    parts.append(f"<h4>Impressions ({d.reprint_count} réimpression(s))</h4><ul>" + "".join(
        f"<li>{fr_datetime(e.at)} — {escape(e.action)} par {escape(e.user_login)}</li>"
        for e in d.prints) + "</ul>")
    parts.append("<h4>Journal</h4><ul>" + "".join(
        f"<li>{fr_datetime(e.at)} — {escape(e.action)} — {escape(e.user_login)} "
        f"({escape(e.station)}){' — ' + escape(e.reason) if e.reason else ''}</li>"
        for e in d.trail) + "</ul>")
    return "".join(parts)


class ReviewPanel(LoadsOnFirstShow, QWidget):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.review = services.office.review
        self.actor = actor
        today = local_today(services.ctx.clock)
        start = today - timedelta(days=7)
        self.start, self.end = period_fields(start, today)
        self.motif = QComboBox()
        self.motif.setAccessibleName("Motif")
        self.motif.addItem("Tous les motifs", None)
        for m in services.catalogue.current().motifs:
            if not m.anef_redirect:
                self.motif.addItem(m.label, m.code)
        self.outcome = QComboBox()
        self.outcome.setAccessibleName("Issue")
        for label, value in OUTCOME_CHOICES:
            self.outcome.addItem(label, value)
        self.state = QComboBox()
        self.state.setAccessibleName("État du contrôle")
        for label, review_state in STATE_CHOICES:
            self.state.addItem(label, review_state)
        self.search = QPushButton("Afficher")
        self.search.setAccessibleName("Afficher les dossiers")
        self.count = QLabel("")
        self.count.setAccessibleName("Nombre de dossiers")
        bar = QHBoxLayout()
        for w in (QLabel("Du"), self.start, QLabel("au"), self.end, self.motif, self.outcome,
                  self.state, self.search, self.count):
            bar.addWidget(w)
        bar.addStretch(1)

        self.model = ReviewModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.view = QTableView()
        self.view.setAccessibleName("Dossiers à contrôler")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.verticalHeader().hide()
        self.detail = QTextBrowser()
        self.detail.setAccessibleName("Détail du dossier")
        self.checked = QPushButton("Marquer « contrôlé »")
        self.checked.setAccessibleName("Marquer contrôlé")
        self.redo = QPushButton("« À reprendre »…")
        self.redo.setAccessibleName("Marquer à reprendre")
        self.message = QLabel("")
        self.message.setAccessibleName("Message du contrôle")
        actions = QHBoxLayout()
        actions.addWidget(self.checked)
        actions.addWidget(self.redo)
        actions.addWidget(self.message, 1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.view, 1)
        left_layout.addLayout(actions)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.detail)
        split.setSizes([800, 450])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split, 1)

        self.search.clicked.connect(self.load)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self.checked.clicked.connect(lambda: self._mark("checked", ""))
        self.redo.clicked.connect(self._ask_redo)
        self._dialog: ReasonDialog | None = None

    def _filter(self) -> ReviewFilter:
        return ReviewFilter(day_of(self.start), day_of(self.end),
                            motif_code=self.motif.currentData(),
                            complete=self.outcome.currentData(),
                            review_state=self.state.currentData())

    def load(self) -> None:
        try:
            flt = self._filter()
        except RdvError as exc:
            self.message.setText(exc.message)
            return
        self.count.setText("Recherche…")
        run_in_background(lambda: self.review.list(self.actor, flt), self._loaded,
                          self._failed)

    def _loaded(self, rows) -> None:
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        for column in (2, 3):
            self.view.setColumnWidth(column, min(self.view.columnWidth(column), 240))
        self.count.setText(f"{len(rows)} dossier(s)")
        if rows:
            self.view.selectRow(0)

    def _failed(self, exc: Exception) -> None:
        text = exc.message if isinstance(exc, RdvError) else f"Erreur : {exc}"
        self.count.setText("")
        self.message.setText(text)

    def selected_ids(self) -> list[int]:
        rows = self.view.selectionModel().selectedRows()
        return [self.proxy.mapToSource(i).data(256) for i in rows]  # Qt.UserRole

    def _show_current(self) -> None:
        index = self.view.currentIndex()
        if not index.isValid():
            self.detail.clear()
            return
        dossier_id = self.proxy.mapToSource(index).data(256)
        try:
            self.detail.setHtml(detail_html(self.review.detail(self.actor, dossier_id)))
        except RdvError as exc:
            self.detail.setPlainText(exc.message)

    def _ask_redo(self) -> None:
        self._dialog = ReasonDialog("À reprendre", "Qu'est-ce qui est à reprendre ?", self)
        self._dialog.reason_given.connect(lambda text: self._mark("to_redo", text))
        self._dialog.open()

    def _mark(self, state: str, comment: str) -> None:
        try:
            changed = self.review.mark(self.actor, self.selected_ids(), state, comment)
        except RdvError as exc:
            self.message.setText(exc.message)
            return
        self.model.update_rows(changed)
        self.message.setText(
            f"{len(changed)} dossier(s) marqué(s) « {changed[0].review_label} ».")
        self._show_current()
