"""The arrival desk screen: a scan field that keeps the focus, the big answer, the fallbacks.

A USB barcode scanner is a keyboard that types the code very fast and presses Enter: the scan
field takes that burst like any typing, and a burst typed into any other field or window of
the desk is recognised by its timing (`ScanWedge`) and scanned all the same. Scans run one
after the other in a single worker thread (a database that does not answer must not freeze
the screen); the answer comes back as the big coloured panel, a line in « Derniers scans » and
a sound, then the field is ready for the next person. Documents never take the focus: tickets
go straight to the printer, other papers open in a passive window (see document_dialog).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from ..errors import RdvError
from ..services.core import SEARCH_MAX, Actor, fr_date, fr_time, local, local_today
from ..services.counter import AppointmentView
from ..services.desk import ScanResult, arrived
from ..services.papers import DocumentKind, RenderedDocument
from ..services.setup import Services
from .accessibility import SpokenLabel, announce, caption, name_clear_button
from .camera_scanner import CameraScanner
from .chime import Chime, sound_path
from .convocation_reprint import convocation_job
from .feedback_panel import FeedbackPanel, tone
from .media_quiet import media_installed
from .plain_text import shown_name
from .printing import PdfPrinter
from .recent_scans import RecentScans
from .scan_wedge import ScanWedge
from .walkin_dialog import WalkInDialog
from .worker import run_in_background

if TYPE_CHECKING:
    from ..services.counter import CommandResult

SCAN_MAX_CHARS = 1024


class CheckInPanel(QWidget):
    checked_in = Signal(object)  # AppointmentView that has just arrived (queue row update)
    scan_finished = Signal(object)  # every ScanResult, once shown
    document_requested = Signal(object)  # RenderedDocument for the main window to show/print
    search_done = Signal(int)  # how many people the manual search found

    def __init__(self, services: Services, actor: Actor, printer: PdfPrinter | None = None,
                 parent: QWidget | None = None, *, sounds: bool = True) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.printer = printer
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # scans in arrival order, never two at once
        self.orange: ScanResult | None = None
        self.last_arrival: AppointmentView | None = None
        self.camera: CameraScanner | None = None

        self.scan = QLineEdit()
        self.scan.setAccessibleName("Code scanné")
        self.scan.setPlaceholderText("Scannez la convocation (ou tapez la référence) puis Entrée")
        self.scan.setMaxLength(SCAN_MAX_CHARS)
        big = QFont()
        big.setPointSize(16)
        self.scan.setFont(big)
        self.scan.returnPressed.connect(self._scan_entered)
        self.wedge = ScanWedge(self, self.scan)
        self.wedge.scanned.connect(self._burst_elsewhere)
        self.feedback = FeedbackPanel()
        self.feedback.reset_done.connect(self._after_reset)
        self.recent = RecentScans()
        self.sounds = QCheckBox("Sons (accepté / refusé)" if media_installed() else
                                "Sons (accepté / refusé) : bip du système seulement")
        self.sounds.setAccessibleName("Sons à chaque scan")
        self.sounds.setChecked(sounds)  # on by default; `[station] sounds = false` turns off
        self.ok_sound = Chime(self, sound_path("scan_ok.wav"))
        self.refused_sound = Chime(self, sound_path("scan_refused.wav"))
        self.last_sound = ""

        self.accept_button = QPushButton("Accepter l'arrivée (F9)")
        self.accept_button.setAccessibleName("Accepter l'arrivée")
        self.accept_button.setEnabled(False)
        self.accept_button.clicked.connect(self.accept_orange)
        self.ticket_button = QPushButton("Imprimer le ticket (F10)")
        self.ticket_button.setAccessibleName("Imprimer le ticket")
        self.ticket_button.setEnabled(False)
        self.ticket_button.clicked.connect(self.print_ticket)
        self.auto_ticket = QCheckBox("Imprimer un ticket à chaque arrivée")
        self.auto_ticket.setAccessibleName("Imprimer un ticket à chaque arrivée")
        self.walkin_button = QPushButton("Nouveau rendez-vous / personne sans rendez-vous… (F7)")
        self.walkin_button.setAccessibleName("Nouveau rendez-vous / personne sans rendez-vous")
        self.walkin_button.clicked.connect(self.open_walkin)
        self.camera_button = QPushButton("Caméra")
        self.camera_button.setAccessibleName("Scanner avec la caméra")
        self.camera_button.setCheckable(True)
        self.camera_button.toggled.connect(self.toggle_camera)
        self.status = SpokenLabel("Message de l'accueil")
        self.status.setWordWrap(True)

        self.search = QLineEdit()
        self.search.setMaxLength(SEARCH_MAX)
        self.search.setAccessibleName("Recherche d'une personne")
        self.search.setPlaceholderText("Nom, naissance jj/mm/aaaa ou référence, puis Entrée")
        name_clear_button(self.search)
        self.search.returnPressed.connect(self.run_search)
        self.results = QListWidget()
        self.results.setAccessibleName("Personnes trouvées")
        self.results.itemActivated.connect(lambda _item: self.check_in_selected())
        self.search_note = SpokenLabel("Résultat de la recherche",
                                       "Sans code ? Cherchez la personne du jour.")
        self.search_note.setWordWrap(True)
        self.manual_button = QPushButton("Enregistrer l'arrivée de la personne choisie")
        self.manual_button.setAccessibleName("Enregistrer l'arrivée de la personne choisie")
        self.manual_button.clicked.connect(self.check_in_selected)
        self.reprint_button = QPushButton("Réimprimer sa convocation (duplicata)")
        self.reprint_button.setAccessibleName("Réimprimer la convocation de la personne choisie")
        self.reprint_button.clicked.connect(self.reprint_convocation)

        left = QVBoxLayout()
        scan_row = QHBoxLayout()
        scan_row.addWidget(self.scan, 1)
        scan_row.addWidget(self.camera_button)
        left.addLayout(scan_row)
        left.addWidget(self.feedback, 1)
        buttons = QHBoxLayout()
        for button in (self.accept_button, self.ticket_button, self.walkin_button):
            buttons.addWidget(button)
        left.addLayout(buttons)
        options = QHBoxLayout()
        options.addWidget(self.auto_ticket)
        options.addWidget(self.sounds)
        options.addWidget(self.status, 1)
        left.addLayout(options)
        self.camera_box = QVBoxLayout()
        left.addLayout(self.camera_box)
        right = QVBoxLayout()
        right.addWidget(caption("<b>Recherche manuelle</b>", self.search))
        right.addWidget(self.search)
        right.addWidget(self.search_note)
        right.addWidget(self.results, 1)
        right.addWidget(self.manual_button)
        right.addWidget(self.reprint_button)
        right.addWidget(QLabel("<b>Derniers scans</b>"))
        right.addWidget(self.recent, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)

        for keys, slot in (("F9", self.accept_orange), ("F10", self.print_ticket),
                           ("F7", self.open_walkin), ("Escape", self.escape)):
            action = QAction(self)
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(slot)
            self.addAction(action)

    # -- focus -------------------------------------------------------------------------------

    def focus_search(self) -> None:
        """Ctrl+F on this tab (routed by the main window, which owns the one Ctrl+F)."""
        self.search.setFocus()
        self.search.selectAll()

    def focus_scan(self) -> None:
        self.scan.setFocus()

    def escape(self) -> None:
        """Échap: the clerk has seen the red answer; back to the scan field anyway."""
        self.feedback.acknowledge()
        self.focus_scan()

    def showEvent(self, event: Any) -> None:  # Qt's name
        super().showEvent(event)
        QTimer.singleShot(0, self._take_focus)

    def _take_focus(self) -> None:
        """The desk's window must be the active one, or the scanner and F9/F10 go nowhere."""
        if self.isVisible() and not self.window().isActiveWindow():
            self.window().activateWindow()
        self.focus_scan()

    def _after_reset(self) -> None:
        self.orange = None
        self.accept_button.setEnabled(False)
        if not self.search.hasFocus() and not self.results.hasFocus():
            self.focus_scan()

    # -- scanning ----------------------------------------------------------------------------

    def _scan_entered(self) -> None:
        raw = self.scan.text()
        self.scan.clear()
        self.submit_scan(raw)

    def _burst_elsewhere(self, raw: str) -> None:
        """A scanner typed into another field or window of the desk: a scan all the same."""
        self.submit_scan(raw)
        self.focus_scan()

    def submit_scan(self, raw: str) -> None:
        """Scan `raw` in the worker; the answer shows in the feedback panel."""
        self._in_worker(lambda: self.services.checkin.scan(self.actor, raw))

    def _in_worker(self, fn: Callable[[], ScanResult]) -> None:
        run_in_background(fn, self._show, self._crashed, self.pool)

    def _crashed(self, exc: Exception) -> None:
        """The service answers every input; this is a bug, still shown in French."""
        self._show(ScanResult("red", "error", "Erreur inattendue : rien n'a été enregistré",
                          (str(exc) or type(exc).__name__,)))

    def _show(self, result: ScanResult) -> None:
        if not isValid(self.feedback):  # the window closed while the scan was running
            return
        self.feedback.show_result(result)
        self.recent.add(result, local(self.services.ctx.clock.now()))
        self._sound(tone(result))
        self.orange = result if result.kind == "orange" else None
        self.accept_button.setEnabled(self.orange is not None)
        if result.view is not None and result.view.ticket:
            self.last_arrival = result.view
        self.ticket_button.setEnabled(self.last_arrival is not None)
        if result.kind == "green" and result.view is not None:
            self.checked_in.emit(result.view)
            self._refresh_result(result.view)
            if self.auto_ticket.isChecked():
                self.print_ticket()
        self.scan_finished.emit(result)
        if not self.search.hasFocus() and not self.results.hasFocus():
            self.focus_scan()

    def _sound(self, kind: str) -> None:
        """Green and red are heard as well as seen (the clerk looks at the person)."""
        if not self.sounds.isChecked() or kind not in ("green", "red"):
            self.last_sound = ""
            return
        self.last_sound = (self.ok_sound if kind == "green" else self.refused_sound).play()

    def accept_orange(self) -> None:
        """The clerk accepts an early or late arrival: checked in with its ticket."""
        if self.orange is None or self.orange.view is None:
            return
        appointment_id = self.orange.view.id
        self.orange = None
        self.accept_button.setEnabled(False)
        self._in_worker(lambda: self.services.checkin.check_in_id(self.actor, appointment_id,
                                                                   accept_timing=True))
        self.focus_scan()

    # -- tickets and documents ---------------------------------------------------------------

    def print_ticket(self) -> None:
        view = self.selected() if self.results.hasFocus() else None
        view = view if view is not None and view.ticket else self.last_arrival
        if view is None:
            self.say("Aucun ticket à imprimer : enregistrez d'abord une arrivée.", error=True)
            return
        appointment_id = view.id
        run_in_background(lambda: self.services.checkin.ticket(self.actor, appointment_id),
                          self.send, self._document_failed, self.pool, owner=self)
        self.focus_scan()

    def _document_failed(self, exc: Exception) -> None:
        self.say(exc.message if isinstance(exc, RdvError) else f"Erreur inattendue : {exc}",
                 error=True)

    def send(self, doc: RenderedDocument) -> None:
        """Tickets go straight to the desk printer (no dialog stealing the scan focus)."""
        if self.printer is None or doc.kind is not DocumentKind.TICKET:
            self.document_requested.emit(doc)
            return
        self.say(f"{doc.title} : impression…")
        job = self.printer.print_document(doc)
        job.printed.connect(self.say)
        job.failed.connect(lambda text: self._print_failed(doc.title, text))

    def _print_failed(self, title: str, text: str) -> None:
        """A ticket that did not print: said on the big panel, red until acknowledged."""
        self.say(text, error=True)
        self.feedback.show_result(ScanResult("red", "print_failed", f"{title} non imprimé",
                                             (text,)))
        self._sound("red")

    def say(self, text: str, error: bool = False) -> None:
        self.status.setStyleSheet("color: #b00020; font-weight: bold" if error else "")
        self.status.setText(text)
        announce(self.status, text, assertive=error)

    # -- walk-ins ----------------------------------------------------------------------------

    def open_walkin(self) -> WalkInDialog:
        dialog = WalkInDialog(self.services, self.actor, self)
        dialog.created.connect(self._created)
        dialog.finished.connect(lambda _code: self.focus_scan())
        dialog.open()
        return dialog

    def _created(self, result: CommandResult) -> None:
        """A walk-in checked in, or a later appointment with its convocation: one act."""
        self.say(result.message)
        view = result.view
        if view is not None and view.arrived_at is not None:
            self._show(arrived(view))
        for doc in result.documents:
            self.document_requested.emit(doc)

    # -- manual search -----------------------------------------------------------------------

    def run_search(self) -> None:
        text = self.search.text()
        today = local_today(self.services.ctx.clock)
        self.results.clear()
        self.search_note.setText("Recherche…")
        run_in_background(lambda: self.services.checkin.search(self.actor, text, today),
                          self._found, self._search_failed, self.pool, owner=self)

    def _search_failed(self, exc: Exception) -> None:
        message = exc.message if isinstance(exc, RdvError) else str(exc)
        self.search_note.setText(message)
        announce(self.search_note, message, assertive=True)

    def _found(self, views: list[AppointmentView]) -> None:
        self.results.clear()
        for view in views:
            self.results.addItem(self._item(view))
        self.search_note.setText(f"{len(views)} personne(s) trouvée(s)." if views
                                 else "Personne ne correspond aujourd'hui.")
        announce(self.search_note, self.search_note.text())
        if views:
            self.results.setCurrentRow(0)
        self.search_done.emit(len(views))

    @staticmethod
    def _item(view: AppointmentView) -> QListWidgetItem:
        birth = f"né(e) le {fr_date(view.birth_date)}" if view.birth_date else "date inconnue"
        when = f"{fr_date(view.slot_date)} {fr_time(view.slot_time)}"
        state = view.stage.value + (f", ticket {view.ticket}" if view.ticket else "")
        item = QListWidgetItem(f"{when} — {shown_name(view.full_name)} — {birth} — {state}")
        item.setData(256, view)
        return item

    def selected(self) -> AppointmentView | None:
        item = self.results.currentItem()
        return item.data(256) if item is not None else None

    def reprint_convocation(self) -> None:
        """The chosen person lost their convocation: a DUPLICATA, same signed code."""
        view = self.selected()
        if view is None:
            self.say("Choisissez d'abord une personne dans la liste.", error=True)
            return
        job = convocation_job(self.services, self.actor, view)
        if isinstance(job, str):
            self.say(job, error=True)
            return
        run_in_background(job, self.send, self._document_failed, self.pool, owner=self)

    def check_in_selected(self) -> None:
        view = self.selected()
        if view is None:
            self.say("Choisissez d'abord une personne dans la liste.", error=True)
            return
        self._in_worker(lambda: self.services.checkin.check_in_id(self.actor, view.id))
        self.focus_scan()

    def _refresh_result(self, view: AppointmentView) -> None:
        """Keep a visible search line in step with the arrival just registered."""
        for row in range(self.results.count()):
            item = self.results.item(row)
            if item.data(256).id == view.id:
                fresh = self._item(view)
                item.setText(fresh.text())
                item.setData(256, view)

    # -- camera ------------------------------------------------------------------------------

    def toggle_camera(self, on: bool) -> None:
        if self.camera is None:
            self.camera = CameraScanner(self)
            self.camera.decoded.connect(self.submit_scan)
            self.camera_box.addWidget(self.camera)
        self.camera.setVisible(on)
        if on and not self.camera.start():
            self.camera_button.blockSignals(True)
            self.camera_button.setChecked(False)  # the note below says why
            self.camera_button.blockSignals(False)
        elif not on:
            self.camera.stop()
        self.focus_scan()
