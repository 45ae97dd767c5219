"""« Contrôle des dépôts »: filter registered dossiers, read one in detail, mark a selection
« contrôlé » or « à reprendre » (with a comment). Every mark is audited by the service.

The motifs, the list, a dossier's detail and the marks are read and written off the UI thread;
nothing is read before the tab is first opened.
"""

from __future__ import annotations

from datetime import timedelta
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..errors import RdvError
from ..french import fr_euros
from ..services.core import Actor, action_label, fr_datetime, local_today
from ..services.office import ReviewDetail, ReviewFilter, ReviewRow
from ..services.setup import Services
from .accessibility import SpokenLabel, caption, leave_on_tab
from .date_fields import day_of, period_fields
from .first_show import LoadsOnFirstShow
from .reason_dialog import ReasonDialog
from .review_model import SORT_ROLE, ReviewModel
from .worker import LatestOnly, run_in_background

if TYPE_CHECKING:
    from ..services.catalogue import CatalogueInfo

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
            f"<li>{escape(n)} — {fr_euros(a)}</li>" for n, a in d.timbres)
            + "</ul>")
    parts.append(f"<h4>Impressions ({d.reprint_count} réimpression(s))</h4><ul>" + "".join(
        f"<li>{fr_datetime(e.at)} — {escape(action_label(e.action, e.after))} par "
        f"{escape(e.user_login)}</li>"
        for e in d.prints) + "</ul>")
    parts.append("<h4>Journal</h4><ul>" + "".join(
        f"<li>{fr_datetime(e.at)} — {escape(action_label(e.action, e.after))} — "
        f"{escape(e.user_login)} "
        f"({escape(e.station)}){' — ' + escape(e.reason) if e.reason else ''}</li>"
        for e in d.trail) + "</ul>")
    return "".join(parts)


class ReviewPanel(LoadsOnFirstShow, QWidget):
    loaded = Signal()  # a search has answered: its dossiers or the refusal are shown
    detail_loaded = Signal()  # the current dossier's detail (or why not) is shown
    changed = Signal(bool, str)  # a mark has ended: done or refused, and the sentence shown

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalogue = services.catalogue
        self.review = services.office.review
        self.actor = actor
        self.searches = LatestOnly()
        self.details = LatestOnly()
        self.motifs_asked = False
        today = local_today(services.ctx.clock)
        start = today - timedelta(days=7)
        self.start, self.end = period_fields(start, today)
        self.motif = QComboBox()
        self.motif.setAccessibleName("Motif")
        self.motif.addItem("Tous les motifs", None)  # the others come with the first search
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
        self.count = SpokenLabel("Nombre de dossiers")
        bar = QHBoxLayout()
        for w in (caption("Du", self.start), self.start, caption("au", self.end), self.end,
                  self.motif, self.outcome, self.state, self.search, self.count):
            bar.addWidget(w)
        bar.addStretch(1)

        self.model = ReviewModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.view = QTableView()
        leave_on_tab(self.view)
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
        self.message = SpokenLabel("Message du contrôle", live=True)
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
        if not self.motifs_asked:
            self.motifs_asked = True
            run_in_background(self.catalogue.current, self._motifs_loaded,
                              lambda _exc: None, owner=self)  # the list works without them
        try:
            flt = self._filter()
        except RdvError as exc:
            self.message.setText(exc.message)
            return
        self.count.setText("Recherche…")
        ticket = self.searches.ticket()
        run_in_background(lambda: self.review.list(self.actor, flt),
                          lambda rows: self._loaded(ticket, rows), self._failed, owner=self)

    def _motifs_loaded(self, catalogue: CatalogueInfo) -> None:
        for m in catalogue.motifs:
            if not m.anef_redirect:
                self.motif.addItem(m.label, m.code)

    def _loaded(self, ticket: int, rows: list[ReviewRow]) -> None:
        if not self.searches.fresh(ticket):
            return  # a later search is already on screen
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        for column in (2, 3):
            self.view.setColumnWidth(column, min(self.view.columnWidth(column), 240))
        self.count.setText(f"{len(rows)} dossier(s)")
        if rows:
            self.view.selectRow(0)
        else:
            self._show_current()  # nothing selected: the detail empties
        self.loaded.emit()

    def _failed(self, exc: Exception) -> None:
        text = exc.message if isinstance(exc, RdvError) else f"Erreur : {exc}"
        self.count.setText("")
        self.message.setText(text)
        self.loaded.emit()

    def selected_ids(self) -> list[int]:
        """Every row with a selected cell (`selectedRows` needs every column of a row selected,
        which a column sized or hidden meanwhile can break)."""
        indexes = self.view.selectionModel().selectedIndexes()
        rows = sorted({i.row() for i in indexes})
        return [self.proxy.mapToSource(self.proxy.index(r, 0)).data(256)  # Qt.UserRole
                for r in rows]

    def current_id(self) -> int | None:
        index = self.view.currentIndex()
        return self.proxy.mapToSource(index).data(256) if index.isValid() else None

    def _show_current(self) -> None:
        """Read the current dossier's detail in the background; an answer for a dossier that
        is no longer the current one, or older than the one shown, is dropped."""
        dossier_id = self.current_id()
        ticket = self.details.ticket()
        if dossier_id is None:
            self.details.fresh(ticket)
            self.detail.clear()
            self.detail_loaded.emit()
            return
        self.detail.setPlainText("Chargement du dossier…")

        def shown(text: str, html: bool) -> None:
            if self.current_id() != dossier_id or not self.details.fresh(ticket):
                return
            if html:
                self.detail.setHtml(text)
            else:
                self.detail.setPlainText(text)
            self.detail_loaded.emit()

        run_in_background(lambda: detail_html(self.review.detail(self.actor, dossier_id)),
                          lambda html: shown(html, True),
                          lambda exc: shown(exc.message if isinstance(exc, RdvError)
                                            else f"Erreur : {exc}", False), owner=self)

    def _ask_redo(self) -> None:
        self._dialog = ReasonDialog("À reprendre", "Qu'est-ce qui est à reprendre ?", self)
        self._dialog.reason_given.connect(lambda text: self._mark("to_redo", text))
        self._dialog.open()

    def _mark(self, state: str, comment: str) -> None:
        """Both mark buttons stay disabled until the answer: a selection is marked once."""
        if not self.checked.isEnabled():
            return
        ids = self.selected_ids()
        for button in (self.checked, self.redo):
            button.setEnabled(False)

        def done(rows: list[ReviewRow]) -> None:
            self._mark_ended()
            self.model.update_rows(rows)
            text = f"{len(rows)} dossier(s) marqué(s) « {rows[0].review_label} »."
            self.message.setText(text)
            self._show_current()
            self.changed.emit(True, text)

        def failed(exc: Exception) -> None:
            self._mark_ended()
            text = exc.message if isinstance(exc, RdvError) else f"Erreur : {exc}"
            self.message.setText(text)
            self.changed.emit(False, text)

        run_in_background(lambda: self.review.mark(self.actor, ids, state, comment), done,
                          failed, owner=self)

    def _mark_ended(self) -> None:
        for button in (self.checked, self.redo):
            button.setEnabled(True)
