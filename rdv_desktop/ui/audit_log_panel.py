"""« Journal d'audit »: who did what, when, at which station; filtered by period, user, action
and object. Queries run in a worker: the first page (newest first) with the number of matching
rows, then the following pages as the table is scrolled to its end (Qt's fetchMore), so a year of
events is reachable without loading it all at once.
"""

from __future__ import annotations

import json
from datetime import timedelta
from html import escape
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..errors import RdvError
from ..services.core import (
    ACTION_LABELS,
    ENTITY_LABELS,
    Actor,
    AuditEntry,
    action_label,
    fr_datetime,
    local_today,
)
from ..services.office import AUDIT_PAGE, AuditCursor, AuditFilter, AuditPage
from ..services.setup import Services
from .accessibility import SpokenLabel, caption, leave_on_tab
from .date_fields import day_of, period_fields
from .first_show import LoadsOnFirstShow
from .table_model import ColumnTableModel, Index
from .worker import run_in_background


def entity_label(e: AuditEntry) -> str:
    """An incomplete dossier gets no number: its audit rows name its internal record instead,
    which must not pass for a dossier number."""
    entity = e.entity_id or ""
    if e.entity_type == "dossier" and entity.isdigit():
        return f"sans numéro (incomplet, fiche {entity})"
    return entity


def number(n: int) -> str:
    """1 250: French digit grouping, with a no-break space so the figure never splits."""
    return f"{n:,}".replace(",", "\u00a0")


class AuditModel(ColumnTableModel):
    """The rows loaded so far. When the view reaches the last one, `more_wanted` asks the panel
    for the next page; no second request goes out while one is on its way."""

    columns = ("Date et heure", "Utilisateur", "Poste", "Action", "Objet", "Identifiant",
               "Raison")
    more_wanted = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[AuditEntry] = []
        self.next: AuditCursor | None = None  # where the following page starts, if any
        self.fetching = False

    @property
    def has_more(self) -> bool:
        return self.next is not None

    def row_total(self) -> int:
        return len(self.entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        e = self.entries[index.row()]
        return (fr_datetime(e.at), e.user_login, e.station, action_label(e.action, e.after),
                ENTITY_LABELS.get(e.entity_type, e.entity_type), entity_label(e),
                e.reason or "")[index.column()]

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self.has_more and not self.fetching

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self.fetching = True
            self.more_wanted.emit()

    def set_entries(self, page: AuditPage) -> None:
        """A new search: the first page replaces everything."""
        self.beginResetModel()
        self.entries = list(page.entries)
        self.next = page.next
        self.fetching = False
        self.endResetModel()

    def append_page(self, page: AuditPage) -> None:
        first = len(self.entries)
        if page.entries:
            self.beginInsertRows(QModelIndex(), first, first + len(page.entries) - 1)
        self.entries.extend(page.entries)
        self.next = page.next
        self.fetching = False
        if page.entries:
            self.endInsertRows()

    def stop_fetching(self) -> None:
        """A page failed: stop asking (the view would retry at once, forever)."""
        self.next = None
        self.fetching = False


def entry_html(e: AuditEntry) -> str:
    def block(title: str, value: dict | None) -> str:
        if not value:
            return ""
        text = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
        return f"<h4>{title}</h4><pre>{escape(text)}</pre>"

    return (f"<h3>{escape(action_label(e.action, e.after))}</h3>"
            f"<p>{fr_datetime(e.at)} — {escape(e.user_login)} (poste {escape(e.station)})<br>"
            f"{escape(ENTITY_LABELS.get(e.entity_type, e.entity_type))} {escape(entity_label(e))}"
            f"<br>Code de l'action : {escape(e.action)} · n° {e.id}</p>"
            + (f"<p>Raison : {escape(e.reason)}</p>" if e.reason else "")
            + block("Avant", e.before) + block("Après", e.after))


def _combo(name: str, everything: str, choices: dict[str, str]) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.addItem(everything, None)
    for code, label in sorted(choices.items(), key=lambda kv: kv[1]):
        combo.addItem(label, code)
    return combo


class AuditLogPanel(LoadsOnFirstShow, QWidget):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.admin = services.office.admin
        self.actor = actor
        self.page_size = AUDIT_PAGE  # the service's ceiling; lower it to page sooner
        self.generation = 0  # bumped by each search: late answers to older ones are dropped
        self.shown_filter: AuditFilter | None = None  # the search whose rows are shown
        self.total = 0
        today = local_today(services.ctx.clock)
        start = today - timedelta(days=7)
        self.start, self.end = period_fields(start, today)
        self.login = QLineEdit()
        self.login.setAccessibleName("Utilisateur")
        self.login.setPlaceholderText("identifiant (tous)")
        self.action = _combo("Action", "Toutes les actions", ACTION_LABELS)
        self.entity = _combo("Objet", "Tous les objets", ENTITY_LABELS)
        self.search = QPushButton("Afficher")
        self.search.setAccessibleName("Afficher le journal")
        self.count = SpokenLabel("Nombre de lignes du journal")
        bar = QHBoxLayout()
        for w in (caption("Du", self.start), self.start, caption("au", self.end), self.end,
                  self.login, self.action, self.entity, self.search):
            bar.addWidget(w)
        bar.addStretch(1)

        self.model = AuditModel()
        self.view = QTableView()
        leave_on_tab(self.view)
        self.view.setAccessibleName("Journal d'audit")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        self.detail = QTextBrowser()
        self.detail.setAccessibleName("Détail de l'événement")
        split = QSplitter()
        split.addWidget(self.view)
        split.addWidget(self.detail)
        split.setSizes([850, 350])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.count)
        layout.addWidget(split, 1)

        self.search.clicked.connect(self.load)
        self.model.more_wanted.connect(self._fetch_next)
        self.login.returnPressed.connect(self.load)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())

    def current_filter(self) -> AuditFilter:
        return AuditFilter(day_of(self.start), day_of(self.end),
                           login=self.login.text().strip() or None,
                           action=self.action.currentData(),
                           entity_type=self.entity.currentData())

    def load(self) -> None:
        """A new search restarts from the first page; the old rows go at once, so no page of
        the old search can be appended to the new one."""
        self.generation += 1
        generation, flt, size = self.generation, self.current_filter(), self.page_size
        self.shown_filter = None
        self.model.set_entries(AuditPage((), False))
        self.detail.clear()
        self.search.setEnabled(False)
        self._say("Recherche…")

        def first_page() -> tuple[int, AuditPage]:
            return (self.admin.audit_count(self.actor, flt),
                    self.admin.audit_page(self.actor, flt, size=size))

        run_in_background(first_page, lambda result: self._loaded(generation, flt, *result),
                          lambda exc: self._failed(generation, exc), owner=self)

    def _loaded(self, generation: int, flt: AuditFilter, total: int, page: AuditPage) -> None:
        if generation != self.generation:
            return
        self.search.setEnabled(True)
        self.shown_filter = flt
        self.total = total
        self.model.set_entries(page)
        self.view.resizeColumnsToContents()
        self._say_count()
        if page.entries:
            self.view.selectRow(0)

    def _fetch_next(self) -> None:
        """The view reached the last row: read the page after it, with the same filters."""
        flt, generation = self.shown_filter, self.generation
        cursor, size = self.model.next, self.page_size
        if flt is None or cursor is None:
            self.model.stop_fetching()
            return
        self._say_count(" Chargement des suivants…")
        run_in_background(lambda: self.admin.audit_page(self.actor, flt, cursor, size),
                          lambda page: self._appended(generation, page),
                          lambda exc: self._failed(generation, exc), owner=self)

    def _appended(self, generation: int, page: AuditPage) -> None:
        if generation != self.generation:
            return
        self.model.append_page(page)
        self._say_count()

    def _failed(self, generation: int, exc: Exception) -> None:
        if generation != self.generation:
            return
        self.search.setEnabled(True)
        self.model.stop_fetching()
        message = exc.message if isinstance(exc, RdvError) else f"Erreur inattendue : {exc}"
        if self.model.entries:
            message += " Les lignes affichées restent ; « Afficher » recommence la recherche."
        self._say(message, error=True)

    def _say_count(self, tail: str = "") -> None:
        """« 1 250 événements, 500 affichés » while pages remain, « 1 250 événements. » at the
        end. Rows written after the count may make more rows than counted: never show less."""
        shown = len(self.model.entries)
        self.total = max(self.total, shown) if self.model.has_more else shown
        if self.total == 0:
            self._say("Aucun événement.")
            return
        plural = "s" if self.total > 1 else ""
        text = f"{number(self.total)} événement{plural}"
        if self.model.has_more:
            text += (f", {number(shown)} affiché{'s' if shown > 1 else ''} (les plus récents) :"
                     " faites défiler pour voir les suivants.")
        else:
            text += "."
        self._say(text + tail)

    def _say(self, text: str, error: bool = False) -> None:
        self.count.setStyleSheet("color: #b00020; font-weight: bold" if error else "")
        self.count.setText(text)

    def _show_current(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.detail.setHtml(entry_html(self.model.entries[index.row()]))
