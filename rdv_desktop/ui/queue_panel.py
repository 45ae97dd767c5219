"""The day's queue: table, filters, search, figures, and the counter's keyboard actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..errors import DatabaseBusy, DatabaseUnavailable, RdvError
from ..services.actor import Actor
from ..services.appointment_views import AppointmentView
from ..services.clock import local_today
from ..services.queue_feed import QueueFeed
from ..services.setup import Services
from ..services.stage import Stage
from .date_fields import date_field, qdate
from .queue_counts import QueueCounts
from .queue_filter import QueueFilter
from .queue_model import QueueModel
from .reason_dialog import ReasonDialog

POLL_MS = 1000


class QueuePanel(QWidget):
    serve_requested = Signal(object)  # AppointmentView now at the counter
    connection_changed = Signal(bool, str)  # reachable, message
    called = Signal(object)  # AppointmentView called at any counter (for the display)

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.feed = QueueFeed(services.appointments)
        self.last_event = 0
        self.online = True

        self.model = QueueModel(services.ctx.clock.now, self)
        self.proxy = QueueFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setAccessibleName("File du jour")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((60, 60, 230, 330, 120, 70, 60)):
            self.table.setColumnWidth(col, width)

        self.day = date_field(None, "Jour affiché")
        self.stage_filter = QComboBox()
        self.stage_filter.setAccessibleName("Filtre par étape")
        self.stage_filter.addItem("Toutes les étapes", "")
        for stage in Stage:
            self.stage_filter.addItem(stage.value, stage.value)
        self.motif_filter = QComboBox()
        self.motif_filter.setAccessibleName("Filtre par motif")
        self.motif_filter.addItem("Tous les motifs", "")
        self.motif_filter.setMinimumWidth(220)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Rechercher : nom, date de naissance, référence, ticket")
        self.search.setAccessibleName("Recherche dans la file")
        self.search.setClearButtonEnabled(True)
        self.counts = QueueCounts()
        self.message = QLabel()
        self.message.setAccessibleName("Message de la file")
        self.message.setWordWrap(True)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("Jour :"))
        bar.addWidget(self.day)
        bar.addWidget(self.stage_filter)
        bar.addWidget(self.motif_filter)
        bar.addWidget(self.search, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.counts)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)

        self.actions_by_name = self._make_actions()
        self.stage_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_stage(self.stage_filter.currentData()))
        self.motif_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_motif(self.motif_filter.currentData()))
        self.search.textChanged.connect(self.proxy.set_search)
        self.table.doubleClicked.connect(lambda _i: self._serve_selected())

        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self._ticks = 0
        self._load_motifs()
        today = local_today(services.ctx.clock)
        self.day.setDate(qdate(today))
        self.reload()
        self.day.dateChanged.connect(lambda _d: self.reload())  # after the first load: once
        self.timer.start()

    # -- actions -----------------------------------------------------------------------------

    def _make_actions(self) -> dict[str, QAction]:
        specs: list[tuple[str, str, str, Callable[[], None]]] = [
            ("call_next", "Appeler le suivant", "F2", self.call_next),
            ("call", "Appeler la personne choisie", "Shift+F2", self.call_selected),
            ("recall", "Rappeler", "F3", self.call_selected),
            ("serve", "Recevoir au guichet", "F4", self._serve_selected),
            ("send_back", "Renvoyer en attente", "F6", self.send_back),
            ("no_show", "Marquer absent", "F8", self.mark_no_show),
            ("undo", "Annuler la dernière étape…", "Ctrl+Z", self.undo_selected),
            ("close_day", "Clôturer la journée", "Ctrl+Shift+F8", self.close_day),
            ("refresh", "Actualiser", "F5", self.reload),
            ("search", "Rechercher", "Ctrl+F", self.search.setFocus),
            ("today", "Aujourd'hui", "Ctrl+T", self.go_today),
        ]
        actions = {}
        for name, text, keys, slot in specs:
            action = QAction(text, self)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            actions[name] = action
        return actions

    def selected(self) -> AppointmentView | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.view_at(self.proxy.mapToSource(rows[0]).row())

    def select_appointment(self, appointment_id: int) -> None:
        row = self.model.row_of(appointment_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
            self.table.scrollTo(index)

    def _run(self, fn: Callable[[], AppointmentView | None], done: str = "") -> None:
        try:
            view = fn()
        except (DatabaseUnavailable, DatabaseBusy) as exc:
            self._set_online(False, exc.message)
            self.say(exc.message, error=True)
            return
        except RdvError as exc:
            self.say(exc.message, error=True)
            return
        if view is None:
            return
        self.model.upsert([view])
        self.counts.update_from(self.model.views())
        self.select_appointment(view.id)
        self.say(done.format(v=view))

    def say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b00020; font-weight: bold" if error else "")
        self.message.setText(text)

    def _need_selection(self) -> AppointmentView | None:
        view = self.selected()
        if view is None:
            self.say("Sélectionnez d'abord une ligne de la file.", error=True)
        return view

    def call_next(self) -> None:
        def act() -> AppointmentView | None:
            view = self.services.appointments.call_next(self.actor)
            if view is None:
                self.say("Personne n'attend pour le moment.")
            return view

        self._run(act, "Appelé : ticket {v.ticket} — {v.full_name}")

    def call_selected(self) -> None:
        if view := self._need_selection():
            self._run(lambda: self.services.appointments.call(self.actor, view.id),
                      "Appelé : ticket {v.ticket} — {v.full_name}")

    def _serve_selected(self) -> None:
        view = self._need_selection()
        if view is None:
            return
        if view.stage is Stage.AT_COUNTER:
            self.serve_requested.emit(view)
            return
        if view.stage is Stage.WAITING:
            self._run(lambda: self.services.appointments.call(self.actor, view.id))
        current = self.selected()
        if current is not None and current.stage is Stage.CALLED:
            self._run(lambda: self.services.appointments.start_service(self.actor, current.id),
                      "Au guichet : {v.full_name}")
            served = self.selected()
            if served is not None and served.stage is Stage.AT_COUNTER:
                self.serve_requested.emit(served)

    def send_back(self) -> None:
        if view := self._need_selection():
            self._run(lambda: self.services.appointments.send_back(self.actor, view.id),
                      "Renvoyé en attente : {v.full_name}")

    def mark_no_show(self) -> None:
        if view := self._need_selection():
            self._run(lambda: self.services.appointments.mark_no_show(self.actor, view.id),
                      "Marqué absent : {v.full_name}")

    def undo_selected(self) -> None:
        view = self._need_selection()
        if view is None:
            return
        dialog = ReasonDialog("Annuler une étape",
                              f"Pourquoi annuler la dernière étape de {view.full_name} ?", self)
        dialog.setAccessibleName("Raison de l'annulation")
        dialog.reason_given.connect(lambda reason: self._run(
            lambda: self.services.appointments.undo(self.actor, view.id, reason),
            "Étape annulée pour {v.full_name}"))
        dialog.open()

    def close_day(self) -> None:
        try:
            marked = self.services.appointments.close_day(self.actor, self.shown_day())
        except RdvError as exc:
            self.say(exc.message, error=True)
            return
        self.reload()
        self.say(f"Journée clôturée : {marked} personne(s) marquée(s) absente(s).")

    def go_today(self) -> None:
        today = local_today(self.services.ctx.clock)
        self.day.setDate(qdate(today))

    # -- loading and live updates ------------------------------------------------------------

    def shown_day(self) -> date:
        d = self.day.date()
        return date(d.year(), d.month(), d.day())

    def _load_motifs(self) -> None:
        try:
            catalogue = self.services.catalogue.current()
        except RdvError:
            return
        for motif in catalogue.motifs:
            self.motif_filter.addItem(motif.label, motif.code)

    def reload(self) -> None:
        selected = self.selected()
        try:
            self.last_event = self.feed.latest_event_id()
            views = self.services.appointments.day(self.actor, self.shown_day())
        except (DatabaseUnavailable, DatabaseBusy) as exc:
            self._set_online(False, exc.message)
            return
        except RdvError as exc:
            self.say(exc.message, error=True)
            return
        self._set_online(True, "")
        self.model.reset_rows(views)
        self.counts.update_from(views)
        if selected is not None:
            self.select_appointment(selected.id)

    def poll(self) -> None:
        """Cheap check for other stations' changes; only changed rows are touched."""
        self._ticks += 1
        try:
            changes = self.feed.changes(self.actor, self.shown_day(), self.last_event)
        except (DatabaseUnavailable, DatabaseBusy) as exc:
            self._set_online(False, exc.message)
            return
        except RdvError:
            return
        if not self.online:
            self._set_online(True, "")
            self.reload()
            return
        self.last_event = changes.last_event_id
        if changes.changed:
            self.model.upsert(changes.changed)
            self.counts.update_from(self.model.views())
        for view in changes.calls:
            self.called.emit(view)
        if self._ticks % 30 == 0:
            self.model.refresh_times()

    def _set_online(self, online: bool, message: str) -> None:
        if online != self.online:
            self.online = online
            self.connection_changed.emit(online, message)
