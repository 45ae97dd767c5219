"""Sending rendered PDFs to a printer through QtPrintSupport, off the UI thread.

The PDF is rasterised page by page (pypdfium2) and painted on a QPrinter in a single dedicated
worker thread (pdfium is not thread-safe; QPainter on a QPrinter is allowed outside the GUI
thread). A missing or failing printer never loses the document: its copy is already kept on
disk by the document service, and the message says where.

Each request is a `PrintJob` with its own number and its own signals: the window that asked
hears its own result, never another window's (two document windows used to share one signal).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from .worker import run_in_background

if TYPE_CHECKING:  # the document service (cryptography, layouts) loads at the first print
    from ..services.papers import RenderedDocument

MAX_DPI = 300


class PrintError(Exception):
    pass


def paint_pdf(pdf: bytes, printer_name: str, output_file: str | None = None,
              title: str = "rdv-desktop") -> int:
    """Print every page of `pdf`; returns the page count. Raises PrintError in French."""
    import pypdfium2

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    if output_file:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(output_file)
    else:
        name = printer_name or QPrinterInfo.defaultPrinterName()
        if not name:
            raise PrintError("Aucune imprimante n'est configurée sur ce poste.")
        if name not in QPrinterInfo.availablePrinterNames():
            raise PrintError(f"L'imprimante « {name} » est introuvable.")
        printer.setPrinterName(name)
    document = pypdfium2.PdfDocument(pdf)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError("L'imprimante refuse le document (hors ligne ou sans papier ?).")
    try:
        dpi = min(printer.resolution(), MAX_DPI)
        for number in range(len(document)):
            if number:
                printer.newPage()
            bitmap = document[number].render(scale=dpi / 72).to_pil().convert("RGB")
            raw = bitmap.tobytes("raw", "RGB")  # must outlive the QImage that views it
            image = QImage(raw, bitmap.width, bitmap.height, 3 * bitmap.width,
                           QImage.Format.Format_RGB888)
            target = painter.viewport()
            scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.setViewport(target.x(), target.y(), scaled.width(), scaled.height())
            painter.setWindow(image.rect())
            painter.drawImage(0, 0, image)
            painter.setViewport(target)
    finally:
        painter.end()
    return len(document)


class PrintJob(QObject):
    """One document sent to the printer; reports once, to whoever asked for it."""

    printed = Signal(str)
    failed = Signal(str)

    def __init__(self, number: int, title: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.number = number
        self.title = title
        self.outcome: str | None = None  # the sentence, once known


class PdfPrinter(QObject):
    """Prints documents one at a time; each job reports in a French sentence."""

    def __init__(self, printer_name: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.printer_name = printer_name
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._jobs = 0

    def print_document(self, doc: RenderedDocument, printer_name: str | None = None,
                       output_file: str | None = None) -> PrintJob:
        name = self.printer_name if printer_name is None else printer_name
        kept = f" Le document est conservé dans {doc.kept_at}." if doc.kept_at else ""
        self._jobs += 1
        job = PrintJob(self._jobs, doc.title, self)

        def done(pages: int) -> None:
            job.outcome = f"{doc.title} : imprimé ({pages} page{'s' if pages > 1 else ''})."
            job.printed.emit(job.outcome)
            job.deleteLater()

        def failed(exc: Exception) -> None:
            reason = str(exc) if isinstance(exc, PrintError) else f"erreur d'impression ({exc})"
            job.outcome = (f"{doc.title} non imprimé : {reason}{kept} "
                           "Utilisez « Enregistrer en PDF » pour ne rien perdre.")
            job.failed.emit(job.outcome)
            job.deleteLater()

        run_in_background(lambda: paint_pdf(doc.pdf, name, output_file, doc.print_name), done,
                          failed, self.pool, owner=job)
        return job
