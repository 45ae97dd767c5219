"""What the agent sees after a document is produced: print, pick a printer, or save the PDF."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..services.papers import RenderedDocument
from .accessibility import SpokenLabel
from .printing import PdfPrinter


class DocumentDialog(QDialog):
    """Non-blocking: printing runs in the printer's worker, results come back as text."""

    def __init__(self, doc: RenderedDocument, printer: PdfPrinter, *, auto_print: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.printer = printer
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
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{escape(doc.title)}</b>"))  # titles carry names
        if doc.kept_at:
            layout.addWidget(QLabel(f"Copie conservée : {doc.kept_at}"))
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        printer.printed.connect(self._report_ok)
        printer.failed.connect(self._report_error)
        if auto_print:
            printer.print_document(doc)

    def _print(self, printer_name: str | None) -> None:
        self.status.setStyleSheet("")
        self.status.setText("Impression en cours…")
        self.printer.print_document(self.doc, printer_name)

    def _choose(self) -> None:
        chooser = QPrintDialog(QPrinter(), self)
        chooser.accepted.connect(lambda: self._print(chooser.printer().printerName()))
        chooser.open()  # type: ignore[call-arg]  # PySide6's stub lacks this no-argument overload

    def _save(self) -> None:
        picker = QFileDialog(self, "Enregistrer en PDF", str(Path.home() / self.doc.filename),
                             "Documents PDF (*.pdf)")
        picker.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        picker.fileSelected.connect(self.save_to)
        picker.open()

    def save_to(self, path: str) -> None:
        try:
            Path(path).write_bytes(self.doc.pdf)
        except OSError as exc:
            self._report_error(f"Enregistrement impossible dans {path} : {exc.strerror}.")
            return
        self._report_ok(f"Enregistré dans {path}.")

    def _report_ok(self, text: str) -> None:
        self.status.setStyleSheet("color: #1b5e20; font-weight: bold")
        self.status.setText(text)

    def _report_error(self, text: str) -> None:
        self.status.setStyleSheet("color: #b00020; font-weight: bold")
        self.status.setText(text)
