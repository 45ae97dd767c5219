"""What the agent sees after a document is produced: print, pick a printer, or save the PDF.

Each print is its own job and only its result is shown here. No button is a default one:
a Return typed into this window (a scanner's, or the clerk's) never prints again. At the
arrival desk the window is *passive*: not modal, shown without taking the focus and never
accepting it, so the scan field keeps the keyboard; it is used with the mouse.

An original leaves the station once: after it has printed (or been saved), « Imprimer » asks the
services for a DUPLICATA (marked, dated, counted and audited) and prints that instead.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..french import typographic
from ..services.papers import RenderedDocument
from .accessibility import SpokenLabel
from .file_picker import file_picker
from .printing import PdfPrinter, PrintJob

# Asks the services for a duplicate of a paper; answers on the UI thread (done or failed).
MakeDuplicate = Callable[[RenderedDocument, Callable[[RenderedDocument], None],
                          Callable[[Exception], None]], None]
NO_DUPLICATE = ("L'original est déjà sorti et ce poste ne peut pas préparer de duplicata ici : "
                "utilisez « Réimprimer le document (duplicata) ».")


class DocumentDialog(QDialog):
    """Non-blocking: printing runs in the printer's worker, results come back as text."""

    def __init__(self, doc: RenderedDocument, printer: PdfPrinter, *, auto_print: bool,
                 passive: bool = False, parent: QWidget | None = None,
                 make_duplicate: MakeDuplicate | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.printer = printer
        self.passive = passive
        self.make_duplicate = make_duplicate
        self.original_out = False  # the original has printed or been saved
        self.job: PrintJob | None = None
        self.setWindowTitle(doc.title)
        self.setAccessibleName("Document à imprimer")
        self.status = SpokenLabel("État de l'impression", "Prêt à imprimer." if not auto_print
                                  else "Impression en cours…", live=True)
        self.status.setWordWrap(True)
        self.status.setMinimumWidth(420)
        self.print_button = QPushButton("&Imprimer")
        self.print_button.setAccessibleName("Imprimer")
        self.choose_button = QPushButton("&Choisir l'imprimante…")
        self.choose_button.setAccessibleName("Choisir l'imprimante")
        self.save_button = QPushButton("&Enregistrer en PDF…")
        self.save_button.setAccessibleName("Enregistrer en PDF")
        close = QPushButton("&Fermer")
        close.setAccessibleName("Fermer")
        self.print_button.clicked.connect(lambda: self._print(None))
        self.choose_button.clicked.connect(self._choose)
        self.save_button.clicked.connect(self._save)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for button in (self.print_button, self.choose_button, self.save_button, close):
            button.setAutoDefault(False)  # Return never prints (a scan ends with Return)
            buttons.addWidget(button)
            if passive:
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        if passive:
            self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
            self.setWindowFlag(Qt.WindowType.WindowDoesNotAcceptFocus)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{escape(doc.title)}</b>"))  # titles carry names
        if doc.kept_at:
            layout.addWidget(QLabel(f"Copie conservée : {doc.kept_at}"))
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        if auto_print:
            self._send(None)

    def present(self) -> None:
        """Window-modal at a counter; at the desk shown beside the window, focus left alone."""
        if self.passive:
            self.show()
        else:
            self.open()

    def _send(self, printer_name: str | None, doc: RenderedDocument | None = None) -> None:
        """An original counts as out from the moment it is sent (a second click meanwhile
        asks for a duplicate); a print that fails gives it back."""
        sent = doc or self.doc
        original = sent is self.doc and sent.has_original and not self.original_out
        if original:
            self._original_left(True)
        self.job = self.printer.print_document(sent, printer_name)
        self.job.printed.connect(self._report_ok)

        def failed(text: str) -> None:
            if original:
                self._original_left(False)
            self._report_error(text)

        self.job.failed.connect(failed)

    def _print(self, printer_name: str | None) -> None:
        self.status.setStyleSheet("")
        if not self.original_out:
            self.status.setText("Impression en cours…")
            self._send(printer_name)
            return
        self._with_duplicate(lambda copy: self._send(printer_name, copy))

    def _with_duplicate(self, use: Callable[[RenderedDocument], None]) -> None:
        """Ask for a duplicate (the services count and audit it), then use it."""
        if self.make_duplicate is None:
            self._report_error(NO_DUPLICATE)
            return
        self.status.setText("Préparation du duplicata…")
        self.print_button.setEnabled(False)
        self.save_button.setEnabled(False)

        def ready(copy: RenderedDocument) -> None:
            self.print_button.setEnabled(True)
            self.save_button.setEnabled(True)
            self.status.setText("Impression du duplicata en cours…")
            use(copy)

        def refused(exc: Exception) -> None:
            self.print_button.setEnabled(True)
            self.save_button.setEnabled(True)
            self._report_error(getattr(exc, "message", str(exc)))

        self.make_duplicate(self.doc, ready, refused)

    def _choose(self) -> None:
        chooser = QPrintDialog(QPrinter(), self)
        chooser.accepted.connect(lambda: self._print(chooser.printer().printerName()))
        chooser.open()  # type: ignore[call-arg]  # PySide6's stub lacks this no-argument overload

    def _save(self) -> None:
        picker = file_picker(self, "Enregistrer en PDF", str(Path.home() / self.doc.filename),
                             "Documents PDF (*.pdf)", save=True)
        picker.fileSelected.connect(self.save_to)
        picker.open()

    def save_to(self, path: str) -> None:
        """The original the first time (it then counts as out), a duplicate afterwards."""
        if self.original_out:
            self._with_duplicate(lambda copy: self._write(path, copy))
        else:
            self._write(path, self.doc)

    def _write(self, path: str, doc: RenderedDocument) -> None:
        try:
            Path(path).write_bytes(doc.pdf)
        except OSError as exc:
            self._report_error(f"Enregistrement impossible dans {path} : {exc.strerror}.")
            return
        if doc is self.doc and doc.has_original:
            self._original_left(True)
        self._report_ok(f"Enregistré dans {path}.")

    def _original_left(self, out: bool) -> None:
        """The buttons say what the next print will be: the original, or a duplicate."""
        self.original_out = out
        if out:
            self.print_button.setText("Imprimer un &duplicata")
            self.save_button.setText("&Enregistrer un duplicata en PDF…")
        else:
            self.print_button.setText("&Imprimer")
            self.save_button.setText("&Enregistrer en PDF…")
        for button in (self.print_button, self.save_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))

    def _report_ok(self, text: str) -> None:
        self.status.setStyleSheet("color: #1b5e20; font-weight: bold")
        if self.original_out and self.doc.has_original:
            text += " L'original est sorti : toute autre impression sera un duplicata."
        self._tell(text)

    def _report_error(self, text: str) -> None:
        self.status.setStyleSheet("color: #b00020; font-weight: bold")
        self._tell(text)

    def _tell(self, text: str) -> None:
        """Show a sentence and grow the window to its wrapped height (never cut, never over
        the line above)."""
        self.status.setText(typographic(text))
        layout = self.layout()
        if layout is not None:
            layout.activate()
        wanted = self.heightForWidth(self.width()) if self.hasHeightForWidth() else -1
        wanted = max(wanted, self.sizeHint().height(), self.minimumSizeHint().height())
        if wanted > self.height():
            self.resize(self.width(), wanted)
