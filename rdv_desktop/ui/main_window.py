"""The main window: a composition root that builds the panels and wires them; no logic here.

It owns the executor every screen's database work runs in, and broadcasts each change (a
command's result here, an arrival at the desk, what the poll saw from other stations) once, by
`appointments_changed`, to every screen that shows appointments.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..services.core import ROLE_LABELS, Actor
from ..services.counter import AppointmentView
from ..services.setup import Services
from .accessibility import SpokenLabel, announce
from .admin_screen import add_admin_screen
from .executor import DbExecutor
from .office_screens import add_office_screens
from .queue_panel import QueuePanel
from .screen_fit import fitting
from .session_keeper import SessionKeeper

if TYPE_CHECKING:  # dialogs and the arrival desk load when first needed, keeping start-up short
    from ..services.counter import ChecklistSetup, CommandResult
    from ..services.papers import RenderedDocument
    from ..services.recepisse import RecepisseResult
    from .checkin_panel import CheckInPanel
    from .checklist_dialog import ChecklistDialog
    from .counter_dialog import CounterDialog
    from .document_dialog import DocumentDialog
    from .printing import PdfPrinter
    from .recepisse_dialog import HandOverDialog
    from .shortcuts_dialog import ShortcutsDialog
    from .verify_dialog import VerifyDialog
    from .waiting_display import WaitingDisplay

BANNER_STYLE = ("QLabel { background: #b00020; color: white; font-weight: bold;"
                " padding: 8px; }")


STALL_TEXT = ("La base ne répond pas : une opération attend sa réponse. Les actions sont "
              "suspendues ; l'écran reste à jour dès que la base répond.")


class MainWindow(QMainWindow):
    appointments_changed = Signal(object)  # tuple[AppointmentView, ...]
    signed_out = Signal()  # the person left: the application asks for a sign-in again

    def __init__(self, services: Services, actor: Actor, db_label: str,
                 printer_name: str = "", *, sounds: bool = True,
                 display_screen: str = "") -> None:
        super().__init__()
        self.services = services
        self.actor = actor
        self._printer_name = printer_name
        self._sounds = sounds  # the desk's tones (station setting)
        self._display_screen = display_screen  # the waiting-room display's (station setting)
        self._printer: PdfPrinter | None = None
        self.executor = DbExecutor(self)
        self.executor.stalled.connect(self._stalled)
        self._offline_message = ""
        self.setWindowTitle(f"rdv-desktop — {services.ctx.site_code} — {actor.display_name}")
        self.resize(fitting(1280, 780))

        self.banner = SpokenLabel("Bandeau de connexion")
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.queue = QueuePanel(services, actor, self.executor)
        self.queue.connection_changed.connect(self.show_connection)
        self.queue.serve_requested.connect(self.open_checklist)
        self.queue.changed.connect(self.appointments_changed)
        self.queue.act_done.connect(self._act_done)
        self.queue.document_requested.connect(self.show_document)
        self.appointments_changed.connect(self.queue.apply_changes)
        self.waiting_display: WaitingDisplay | None = None
        self._checkin: CheckInPanel | None = None
        self._desk_tab: QWidget | None = None

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Écrans")
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self.pages = QStackedWidget()  # the screens, or the lock screen in front of them
        self.pages.addWidget(central)
        self.setCentralWidget(self.pages)
        self.session = SessionKeeper(self, self.pages, services, actor, self.executor)
        self.session.signed_out.connect(self.signed_out)
        self.session.locked.connect(self._stop_camera)
        self._build_menus()
        self._build_status(db_label)
        desk_first = actor.may("checkin") and "accueil" in actor.roles
        if desk_first and self.checkin is not None:
            self.add_screen(self.checkin, "Accueil")
        if actor.may("queue.view"):
            self.add_screen(self.queue, "File du jour")
        if actor.may("checkin") and not desk_first:
            # Behind the queue the desk is built when its tab is first opened: its modules
            # (scanner, camera, signed codes, cryptography) cost a counter agent's start ~50 ms.
            self._desk_tab = QWidget()
            QVBoxLayout(self._desk_tab).setContentsMargins(0, 0, 0, 0)
            self.add_screen(self._desk_tab, "Accueil")
            self.tabs.currentChanged.connect(self._tab_opened)
        self.office_screens = add_office_screens(self, services, actor, self.executor)
        self._add_office_menu()
        self.admin_screen = add_admin_screen(self, services, actor)
        # The first thing a screen reader says is where one is: the screens' tab (the desk
        # then takes the focus to its scan field), not a control of a hidden screen.
        self.tabs.tabBar().setFocus()

    @property
    def printer(self) -> PdfPrinter:
        """The station's printer, set up on the first print (QtPrintSupport costs ~15 ms)."""
        if self._printer is None:
            from . import printing

            self._printer = printing.PdfPrinter(self._printer_name, self)
        return self._printer

    def add_screen(self, widget: QWidget, title: str) -> None:
        """One tab per screen; each screen module is built here and handed its services."""
        self.tabs.addTab(widget, title)

    @property
    def checkin(self) -> CheckInPanel | None:
        """The arrival desk (None for roles without it), built on first use."""
        if self._checkin is None and self.actor.may("checkin"):
            self._checkin = self._build_desk()
        return self._checkin

    def _build_desk(self) -> CheckInPanel:
        from .checkin_panel import CheckInPanel

        desk = CheckInPanel(self.services, self.actor, self.printer, sounds=self._sounds)
        desk.document_requested.connect(self.show_document)
        desk.checked_in.connect(self._arrived)
        if self._desk_tab is not None:
            layout = self._desk_tab.layout()
            if layout is not None:
                layout.addWidget(desk)
        return desk

    def _tab_opened(self, index: int) -> None:
        if self._checkin is None and self.tabs.widget(index) is self._desk_tab:
            self._checkin = self._build_desk()

    def _stop_camera(self) -> None:
        """Behind the lock a QR held up to the desk's camera checks nobody in."""
        if self._checkin is not None and self._checkin.camera_button.isChecked():
            self._checkin.camera_button.setChecked(False)

    def desk_shown(self) -> CheckInPanel | None:
        """The arrival desk if it is the screen shown."""
        shown = self.tabs.currentWidget()
        if self._checkin is not None and (shown is self._checkin or shown is self._desk_tab):
            return self._checkin
        return None

    def focus_search(self) -> None:
        if (desk := self.desk_shown()) is not None:
            desk.focus_search()
        elif self.tabs.currentWidget() is self.queue:
            self.queue.focus_search()
        else:  # said, so that a key that does nothing is not met with silence
            screen = self.tabs.tabText(self.tabs.currentIndex())
            announce(self.tabs, f"Pas de recherche sur l'écran « {screen} ».")

    def _open_walkin(self) -> None:
        if (desk := self.checkin) is not None:
            desk.open_walkin()

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&Fichier")
        verify = QAction("&Vérifier une attestation…", self)
        verify.setShortcut(QKeySequence("Ctrl+Shift+V"))
        verify.triggered.connect(self.open_verify)
        file_menu.addAction(verify)
        day_list = QAction("Imprimer la &liste du jour", self)
        day_list.setShortcut(QKeySequence("Ctrl+P"))
        day_list.triggered.connect(self.print_day_list)
        file_menu.addAction(day_list)
        if self.actor.may("checkin") and self.actor.may("appointment.create"):
            walkin = QAction("&Nouveau rendez-vous…", self)
            walkin.setShortcut(QKeySequence("Ctrl+N"))
            walkin.triggered.connect(self._open_walkin)
            file_menu.addAction(walkin)
            file_menu.addAction(self.queue.actions_by_name["reprint_convocation"])
            if not self.actor.may("counter.serve"):  # the desk has no « Guichet » menu
                file_menu.addAction(self.queue.actions_by_name["assistance"])
        if self.actor.may("appointment.import"):
            import_action = QAction("&Importer des rendez-vous…", self)
            import_action.setShortcut(QKeySequence("Ctrl+Shift+I"))
            import_action.triggered.connect(self.open_import)
            file_menu.addAction(import_action)
        file_menu.addSeparator()
        lock = QAction("&Verrouiller le poste", self)
        lock.setShortcut(QKeySequence("Ctrl+L"))
        lock.triggered.connect(lambda: self.session.lock())
        file_menu.addAction(lock)
        sign_out = QAction("Se &déconnecter", self)
        sign_out.setShortcut(QKeySequence("Ctrl+Shift+Q"))
        sign_out.triggered.connect(lambda: self.session.sign_out())
        file_menu.addAction(sign_out)
        quit_action = QAction("&Quitter", self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        self.file_menu = file_menu

        if self.actor.may("counter.serve"):  # the arrival desk has no guichet to work
            counter = bar.addMenu("&Guichet")
            names = ("call_next", "call", "recall", "serve", "send_back", "no_show", "undo",
                     "assistance")
            for name in names:
                counter.addAction(self.queue.actions_by_name[name])
            reprint = QAction("Réimprimer le document (duplicata)", self)
            reprint.setShortcut(QKeySequence("Ctrl+Shift+P"))
            reprint.triggered.connect(self.reprint_selected)
            counter.addAction(reprint)
            counter.addSeparator()
            change = QAction("Changer de &guichet…", self)
            change.triggered.connect(self.change_counter)
            counter.addAction(change)
            counter.addAction(self.queue.actions_by_name["close_day"])
        view = bar.addMenu("&Affichage")
        # One Ctrl+F for the window, sent to the search field of the screen shown (two
        # screens each owning Ctrl+F made Qt refuse both as ambiguous).
        search = QAction("&Rechercher", self)
        search.setShortcut(QKeySequence("Ctrl+F"))
        search.triggered.connect(self.focus_search)
        view.addAction(search)
        for name in ("refresh", "today"):
            view.addAction(self.queue.actions_by_name[name])
        display = QAction("Écran de la salle d'&attente", self)
        display.setShortcut(QKeySequence("Ctrl+Shift+E"))
        display.triggered.connect(self.open_waiting_display)
        view.addAction(display)
        self.view_menu = view
        help_menu = bar.addMenu("&Aide")
        keys = QAction("&Raccourcis clavier", self)
        keys.setShortcut(QKeySequence("F1"))
        keys.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)  # in dialogs too
        keys.triggered.connect(self.open_shortcuts)
        help_menu.addAction(keys)
        about = QAction("À &propos", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _build_status(self, db_label: str) -> None:
        roles = ", ".join(ROLE_LABELS[r] for r in sorted(self.actor.roles))
        counter = (f"guichet {self.actor.counter_number}" if self.actor.counter_number
                   else "sans guichet")
        # Each item is read in full: its accessible name is the text it shows.
        self.status_user = SpokenLabel(text=f"{self.actor.display_name} ({roles})")
        self.status_station = SpokenLabel(text=f"Poste {self.actor.station} — {counter}")
        self.status_db = SpokenLabel(text=f"Base : {db_label}")
        self.status_current = SpokenLabel()
        self.status_current.setTextFormat(Qt.TextFormat.PlainText)
        self.status_current.setText(self.queue.current_label.text())
        self.status_current.setVisible(self.actor.counter_number is not None)
        self.queue.current_changed.connect(self.status_current.setText)
        for label in (self.status_user, self.status_station, self.status_current,
                      self.status_db):
            self.statusBar().addPermanentWidget(label)

    def open_import(self) -> QDialog:
        from .import_dialog import ImportDialog

        dialog = ImportDialog(self.services, self.actor, self)
        dialog.imported.connect(lambda _report: self.queue.actions_by_name["refresh"].trigger())
        dialog.open()
        return dialog

    def _add_office_menu(self) -> None:
        """Each manager screen also opens from « Affichage » (its tab comes to the front)."""
        for screen in self.office_screens:
            index = self.tabs.indexOf(screen)
            if index < 0:
                continue
            action = QAction(self.tabs.tabText(index), self)
            action.triggered.connect(lambda _checked=False, w=screen: self.tabs.setCurrentWidget(w))
            self.view_menu.addAction(action)

    def open_checklist(self, view: AppointmentView) -> None:
        """Fetch the catalogue and the fee off the UI thread, then open the checklist; a
        person come to collect a récépissé gets the « récépissé remis » form instead."""
        if view.recepisse_for is not None:
            self.open_hand_over(view)
            return
        self.executor.submit(lambda: self.services.counter.checklist_setup(self.actor),
                             lambda setup: self._show_checklist(view, setup),
                             lambda exc: self.queue.say(getattr(exc, "message", str(exc)),
                                                        error=True), owner=self)

    def _show_checklist(self, view: AppointmentView, setup: ChecklistSetup) -> ChecklistDialog:
        from .checklist_dialog import ChecklistDialog

        dialog = ChecklistDialog(self.services, self.actor, view, self.executor, setup, self)
        dialog.act_done.connect(self.queue.apply_result)
        dialog.act_done.connect(self._act_done)
        # A window-modal dialog blocks the window's F1: the checklist gets its own.
        QShortcut(QKeySequence("F1"), dialog, self.open_shortcuts)
        dialog.open()
        self.checklist = dialog
        return dialog

    def open_hand_over(self, view: AppointmentView) -> HandOverDialog:
        """Record the récépissé for the collection visit at this counter: one act, which also
        ends the visit; its view goes to every screen."""
        from .recepisse_dialog import HandOverDialog

        today = view.slot_date
        dialog = HandOverDialog(view.recepisse_for or "", view.full_name, today, view.id, self)
        rec, actor = self.services.recepisse, self.actor

        def failed(exc: Exception) -> None:
            dialog.refused(getattr(exc, "message", str(exc)))

        def done(result: RecepisseResult) -> None:
            dialog.accept()
            self.appointments_changed.emit(result.views)
            self.queue.say(result.message)

        dialog.submitted.connect(lambda request: self.executor.submit(
            lambda: rec.hand_over(actor, request), done, failed, owner=self))
        dialog.open()
        self.hand_over_dialog = dialog
        return dialog

    def _act_done(self, result: CommandResult) -> None:
        """Each document an act rendered goes to the printer, in its own window."""
        for doc in result.documents:
            self.show_document(doc)

    def _document(self, make: Callable[[], RenderedDocument], auto_print: bool = True) -> None:
        """Render (and audit) a document off the UI thread, then show it."""
        self.executor.submit(make, lambda doc: self.show_document(doc, auto_print),
                             lambda exc: self.queue.say(getattr(exc, "message", str(exc)),
                                                        error=True), owner=self)

    def reprint_selected(self) -> None:
        view = self.queue.selected()
        if view is None:
            self.queue.say("Aucun document à réimprimer pour cette ligne.", error=True)
            return

        appointment_id = view.id
        self._document(lambda: self.services.documents.reprint_latest(self.actor,
                                                                      appointment_id))

    def show_document(self, doc: RenderedDocument, auto_print: bool = True) -> DocumentDialog:
        """A document window; over the arrival desk it never takes the scan field's focus."""
        from .document_dialog import DocumentDialog

        desk = self.desk_shown()
        dialog = DocumentDialog(doc, self.printer, auto_print=auto_print,
                                passive=desk is not None, parent=self,
                                make_duplicate=self._duplicate)
        dialog.present()
        if desk is not None:
            desk.focus_scan()
        return dialog

    def _duplicate(self, doc: RenderedDocument, done: Callable[[RenderedDocument], None],
                   failed: Callable[[Exception], None]) -> None:
        documents, actor = self.services.documents, self.actor
        self.executor.submit(lambda: documents.duplicate_of(actor, doc), done, failed,
                             owner=self)

    def _arrived(self, view: AppointmentView) -> None:
        """An arrival at this desk shows in every screen at once, not at the next poll."""
        self.appointments_changed.emit((view,))

    def open_waiting_display(self) -> WaitingDisplay:
        if self.waiting_display is None:
            from .waiting_display import WaitingDisplay

            self.waiting_display = WaitingDisplay(self.services, self.actor, self.executor,
                                                  screen_name=self._display_screen, parent=self)
            self.appointments_changed.connect(self.waiting_display.apply_changes)
            self.queue.connection_changed.connect(self.waiting_display.connection_changed)
            self.waiting_display.place_on_second_screen()
            # Staff hear where it went, and why when the configured screen is missing.
            placement = self.waiting_display.placement
            self.statusBar().showMessage(f"Écran de la salle d'attente : {placement}.", 10_000)
            announce(self.statusBar(), f"Écran de la salle d'attente : {placement}.")
        self.waiting_display.show()
        self.waiting_display.raise_()
        return self.waiting_display

    def change_counter(self) -> CounterDialog:
        """Another guichet for this session, checked and audited by the service."""
        from .counter_dialog import CounterDialog

        dialog = CounterDialog(self.actor.counter_number, self)
        dialog.chosen.connect(lambda number: self.executor.submit(
            lambda: self.services.counter.change_counter(self.actor, number),
            self._counter_changed, self.queue._failed, owner=self))
        dialog.open()
        return dialog

    def _counter_changed(self, actor: Actor) -> None:
        """Every screen that acts at the guichet gets the new one (the queue, the desk)."""
        self.actor = self.queue.actor = self.session.actor = actor
        if self._checkin is not None:
            self._checkin.actor = actor
        where = f"guichet {actor.counter_number}" if actor.counter_number else "sans guichet"
        self.status_station.setText(f"Poste {actor.station} — {where}")
        self.status_current.setVisible(actor.counter_number is not None)
        self.queue.apply_changes(())  # the current-person line for the new guichet
        self.queue.say(f"Vous travaillez maintenant {'au ' if actor.counter_number else ''}"
                       f"{where}.")

    def open_verify(self) -> VerifyDialog:
        from .verify_dialog import VerifyDialog

        dialog = VerifyDialog(lambda raw: self.services.keys.check(self.actor, raw), self)
        dialog.open()
        return dialog

    def print_day_list(self) -> None:
        day = self.queue.shown_day()
        self._document(lambda: self.services.documents.day_list(self.actor, day),
                       auto_print=False)

    def show_connection(self, online: bool, message: str) -> None:
        self._offline_message = "" if online else message
        self._update_banner()
        if online:
            self.statusBar().showMessage("Connexion à la base rétablie.", 5000)
            announce(self.statusBar(), "Connexion à la base rétablie.")

    def _stalled(self, stalled: bool) -> None:
        self._update_banner()

    def _update_banner(self) -> None:
        """Red while the database is unreachable or a call hangs; the acts wait meanwhile."""
        stalled = self.executor.is_stalled
        if self._offline_message:
            self.banner.setText(f"Connexion à la base perdue — {self._offline_message} Les "
                                "modifications sont refusées tant que la base ne répond pas.")
        elif stalled:
            self.banner.setText(STALL_TEXT)
        shown = bool(self._offline_message) or stalled
        if shown and not self.banner.isVisibleTo(self):
            announce(self.banner, self.banner.text(), assertive=True)
        self.banner.setVisible(shown)
        self.queue.set_writable(not self._offline_message and not stalled)

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt's name
        self.queue.timer.stop()
        self.session.timer.stop()
        self.session.guard.stop()
        self.executor.shutdown()
        super().closeEvent(event)

    def open_shortcuts(self) -> ShortcutsDialog:
        from .shortcuts_dialog import ShortcutsDialog

        # Over the window in front (F1 works in the checklist too), so it gets the focus.
        front = QApplication.activeWindow()
        dialog = ShortcutsDialog(self.menuBar(), front if front is not None else self)
        dialog.open()
        return dialog

    def _about(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, "À propos",
                          f"rdv-desktop {__version__}\nAccueil et guichets des dépôts de "
                          "dossiers de titre de séjour.", parent=self)
        box.open()
