"""The day's queue: table, filters, search, figures, and the counter's keyboard actions.

Every database call goes through the window's executor: an action submits one command and its
result comes back by signal (`changed`, which the main window broadcasts to every screen). The
counter's actions apply to the counter's current person, shown above the table; the table's
selection only says whom « Appeler la personne choisie », « Marquer absent » and undo concern.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..errors import DatabaseBusy, DatabaseUnavailable, RdvError
from ..services.core import Actor, local_today
from ..services.counter import AppointmentView, QueueChanges, QueueFeed, Stage
from ..services.setup import Services
from .accessibility import SpokenLabel, announce, caption, leave_on_tab, name_clear_button
from .convocation_reprint import convocation_job
from .date_fields import date_field, qdate
from .executor import DbExecutor
from .plain_text import shown_name
from .queue_counts import QueueCounts
from .queue_filter import QueueFilter
from .queue_model import QueueModel
from .reason_dialog import ReasonDialog

if TYPE_CHECKING:  # commands load with the first act, not at start-up
    from ..services.counter import CommandResult, UndoPreview
    from .assistance_dialog import AssistanceDialog

POLL_MS = 1000


class QueuePanel(QWidget):
    serve_requested = Signal(object)  # AppointmentView now at this counter's desk
    connection_changed = Signal(bool, str)  # reachable, message
    changed = Signal(object)  # tuple[AppointmentView, ...] changed here or seen by the poll
    act_done = Signal(object)  # CommandResult of an act started here
    current_changed = Signal(str)  # the counter's current person, in words
    document_requested = Signal(object)  # RenderedDocument for the main window to show/print

    def __init__(self, services: Services, actor: Actor, executor: DbExecutor,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.executor = executor
        self.feed = QueueFeed(services.appointments)
        self.cursors: dict[date, Any] = {}  # the feed's position per day polled
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
        leave_on_tab(self.table)
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
        name_clear_button(self.search)
        self.counts = QueueCounts()
        self.current_label = SpokenLabel("Personne au guichet")
        self.current_label.setStyleSheet("font-weight: bold; padding: 2px")
        # Names come from public online booking: never let Qt read them as markup.
        self.current_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message = SpokenLabel("Message de la file")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)

        bar = QHBoxLayout()
        bar.addWidget(caption("Jour :", self.day))
        bar.addWidget(self.day)
        bar.addWidget(self.stage_filter)
        bar.addWidget(self.motif_filter)
        bar.addWidget(self.search, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.counts)
        layout.addWidget(self.current_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)

        self.actions_by_name = self._make_actions()
        self.stage_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_stage(self.stage_filter.currentData()))
        self.motif_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_motif(self.motif_filter.currentData()))
        self.search.textChanged.connect(self.proxy.set_search)
        self.table.doubleClicked.connect(lambda _i: self.receive())

        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self._ticks = 0
        today = local_today(services.ctx.clock)
        self.day.setDate(qdate(today))
        self._show_current()
        self._load_motifs()
        self.reload()
        self.day.dateChanged.connect(lambda _d: self.reload())  # after the first load: once
        self.timer.start()

    # -- actions -----------------------------------------------------------------------------

    def _make_actions(self) -> dict[str, QAction]:
        specs: list[tuple[str, str, str, Callable[[], object]]] = [
            ("call_next", "Appeler le suivant", "F2", self.call_next),
            ("call", "Appeler la personne choisie", "Shift+F2", self.call_selected),
            ("recall", "Rappeler", "F3", self.recall),
            ("serve", "Recevoir au guichet", "F4", self.receive),
            ("send_back", "Renvoyer en attente", "F6", self.send_back),
            ("no_show", "Marquer absent", "F8", self.mark_no_show),
            ("undo", "Annuler la dernière étape…", "Ctrl+Z", self.undo_selected),
            ("assistance", "Priorité et accompagnants…", "Ctrl+Shift+A",
             self.edit_assistance),
            ("reprint_convocation", "Réimprimer la convocation (duplicata)", "Ctrl+Shift+C",
             self.reprint_convocation),
            ("close_day", "Clôturer la journée", "Ctrl+Shift+F8", self.close_day),
            ("refresh", "Actualiser", "F5", self.reload),
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

    WRITES = ("call_next", "call", "recall", "serve", "send_back", "no_show", "undo",
              "close_day", "assistance", "reprint_convocation")

    def set_writable(self, writable: bool) -> None:
        """While the database does not answer, the acts are refused before they are tried."""
        for name in self.WRITES:
            self.actions_by_name[name].setEnabled(writable)

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

    def current(self) -> AppointmentView | None:
        """This counter's current person as the queue knows it (called or at the desk)."""
        if self.actor.counter_number is None:
            return None
        today = local_today(self.services.ctx.clock)
        for view in self.model.views():
            if (view.counter_number == self.actor.counter_number and view.outcome == "pending"
                    and view.called_at is not None and view.slot_date == today):
                return view
        return None

    def _show_current(self) -> None:
        if self.actor.counter_number is None:
            self.current_label.hide()
            return
        view = self.current()
        if view is None:
            text = f"Guichet {self.actor.counter_number} : libre — F2 appelle la personne suivante"
        else:
            where = "au guichet" if view.stage is Stage.AT_COUNTER else "appelé(e)"
            text = (f"Guichet {self.actor.counter_number} : ticket {view.ticket} — "
                    f"{shown_name(view.full_name)} — {where}")
            if view.assistance:
                text += f" — {view.assistance}"
        if text != self.current_label.text():
            self.current_label.setText(text)
            self.current_changed.emit(text)

    def act(self, command: Callable[[], CommandResult],
            then: Callable[[CommandResult], None] | None = None) -> None:
        """Run one command in the executor; its result is shown and broadcast."""
        if not self.online:
            self.say("La base de données ne répond pas : action refusée, rien n'a été "
                     "enregistré.", error=True)
            return

        def done(result: CommandResult) -> None:
            self.apply_result(result)
            self.act_done.emit(result)
            if then is not None:
                then(result)

        self.executor.submit(command, done, self._failed, owner=self)

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, DatabaseUnavailable | DatabaseBusy):
            if isinstance(exc, DatabaseUnavailable):
                self._set_online(False, exc.message)
            self.say(exc.message, error=True)
        elif isinstance(exc, RdvError):
            self.say(exc.message, error=True)
        else:
            self.say(f"Erreur inattendue, rien n'a été enregistré : {exc}", error=True)

    def apply_result(self, result: CommandResult) -> None:
        self.say(result.message)
        if result.views:
            self.changed.emit(result.views)
            self.select_appointment(result.views[0].id)

    def apply_changes(self, views: tuple[AppointmentView, ...]) -> None:
        """Every screen's changes (this panel's acts, the desk's, other stations') land here."""
        shown = tuple(v for v in views if v.slot_date == self.shown_day())
        if shown:
            self.model.upsert(list(shown))
            self.counts.update_from(self.model.views())
        self._show_current()

    def say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b00020; font-weight: bold" if error else "")
        self.message.setText(text)
        # Call results and refusals are said where the agent's focus stays (the queue).
        announce(self.message, text, assertive=error)

    def _need_selection(self) -> AppointmentView | None:
        view = self.selected()
        if view is None:
            self.say("Sélectionnez d'abord une ligne de la file.", error=True)
        return view

    def call_next(self) -> None:
        self.act(lambda: self.services.counter.call_next(self.actor))

    def call_selected(self) -> None:
        if view := self._need_selection():
            self.act(lambda: self.services.counter.call_person(self.actor, view.id))

    def recall(self) -> None:
        self.act(lambda: self.services.counter.recall(self.actor))

    def receive(self) -> None:
        """F4: the counter's current person comes to the desk, and the checklist opens."""

        def opened(result: CommandResult) -> None:
            if result.view is not None and result.view.stage is Stage.AT_COUNTER:
                self.serve_requested.emit(result.view)

        self.act(lambda: self.services.counter.receive(self.actor), opened)

    def send_back(self) -> None:
        self.act(lambda: self.services.counter.send_back(self.actor))

    def mark_no_show(self) -> None:
        if view := self._need_selection():
            self.act(lambda: self.services.counter.mark_no_show(self.actor, view.id))

    def undo_selected(self) -> None:
        """Ask the service what the undo would take back, then ask the agent for a reason."""
        view = self._need_selection()
        if view is None:
            return
        self.executor.submit(
            lambda: self.services.counter.undo_preview(self.actor, view.id),
            lambda preview: self._ask_undo_reason(view, preview), self._failed, owner=self)

    def edit_assistance(self) -> AssistanceDialog | None:
        """Priority and companions of the selected person: one audited command."""
        view = self._need_selection()
        if view is None:
            return None
        from .assistance_dialog import AssistanceDialog

        dialog = AssistanceDialog(view, self)
        dialog.chosen.connect(lambda priority, companions: self.act(
            lambda: self.services.desk.set_assistance(self.actor, view.id, priority,
                                                      companions)))
        dialog.open()
        self.assistance_dialog = dialog
        return dialog

    def reprint_convocation(self) -> None:
        """The selected person's convocation again (DUPLICATA, audited)."""
        view = self._need_selection()
        if view is None:
            return
        job = convocation_job(self.services, self.actor, view)
        if isinstance(job, str):
            self.say(job, error=True)
            return
        self.executor.submit(job, self.document_requested.emit, self._failed, owner=self)

    def _ask_undo_reason(self, view: AppointmentView, preview: UndoPreview) -> ReasonDialog:
        lines = [f"Annuler {preview.step_label} pour {shown_name(view.full_name)} ?",
                 *preview.takes_back,
                 "Indiquez la raison :"]
        dialog = ReasonDialog("Annuler une étape", "\n".join(lines), self)
        dialog.setAccessibleName("Raison de l'annulation")
        dialog.reason_given.connect(lambda reason: self.act(
            lambda: self.services.counter.undo(self.actor, view.id, reason)))
        dialog.open()
        self.undo_dialog = dialog
        return dialog

    def close_day(self) -> None:
        day = self.shown_day()
        self.act(lambda: self.services.counter.close_day(self.actor, day),
                 lambda _result: self.reload())

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def go_today(self) -> None:
        today = local_today(self.services.ctx.clock)
        self.day.setDate(qdate(today))

    # -- loading and live updates ------------------------------------------------------------

    def shown_day(self) -> date:
        d = self.day.date()
        return date(d.year(), d.month(), d.day())

    def _load_motifs(self) -> None:
        self.executor.submit(self.services.catalogue.current, self._motifs_loaded,
                             lambda _exc: None, owner=self)

    def _motifs_loaded(self, catalogue: Any) -> None:
        for motif in catalogue.motifs:
            self.motif_filter.addItem(motif.label, motif.code)

    def reload(self) -> None:
        day = self.shown_day()

        def load() -> tuple[Any, list[AppointmentView]]:
            return (self.feed.latest_event_id(),
                    self.services.appointments.day(self.actor, day))

        self.executor.submit(load, lambda loaded: self._loaded(day, *loaded), self._load_failed,
                             owner=self, key="reload")

    def _loaded(self, day: date, cursor: Any, views: list[AppointmentView]) -> None:
        if day != self.shown_day():
            return  # the day changed while loading: its own load follows
        selected = self.selected()
        self.cursors[day] = cursor
        self._set_online(True, "")
        self.model.reset_rows(views)
        self.counts.update_from(views)
        self._show_current()
        if selected is not None:
            self.select_appointment(selected.id)

    def _load_failed(self, exc: Exception) -> None:
        if isinstance(exc, DatabaseUnavailable | DatabaseBusy):
            self._set_online(False, exc.message)
        elif isinstance(exc, RdvError):
            self.say(exc.message, error=True)

    def poll(self) -> None:
        """Cheap check for other stations' changes; only changed rows are touched.

        Today is always followed (the waiting-room display and the counter's person live
        there), and the day shown when it is another one.
        """
        self._ticks += 1
        today = local_today(self.services.ctx.clock)
        days = list(dict.fromkeys((self.shown_day(), today)))
        since = {day: self.cursors.get(day) for day in days}

        def changes() -> list[tuple[date, QueueChanges | Any]]:
            found: list[tuple[date, QueueChanges | Any]] = []
            for day in days:
                cursor = since[day]
                if cursor is None:  # first look at this day: from now on
                    found.append((day, self.feed.latest_event_id()))
                else:
                    found.append((day, self.feed.changes(self.actor, day, cursor)))
            return found

        self.executor.submit(changes, self._polled, self._load_failed, owner=self, key="poll")

    def _polled(self, found: list[tuple[date, QueueChanges | Any]]) -> None:
        if not self.online:
            self._set_online(True, "")
            self.reload()
            return
        seen: list[AppointmentView] = []
        for day, changes in found:
            if not isinstance(changes, QueueChanges):
                self.cursors.setdefault(day, changes)
                continue
            self.cursors[day] = changes.last_event_id
            seen.extend(changes.changed)
        if seen:
            self.changed.emit(tuple(seen))
        if self._ticks % 30 == 0:
            self.model.refresh_times()

    def _set_online(self, online: bool, message: str) -> None:
        if online != self.online:
            self.online = online
            self.connection_changed.emit(online, message)
