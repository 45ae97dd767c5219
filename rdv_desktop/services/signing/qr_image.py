"""Read QR codes from an image or PDF file (a photographed or scanned attestation).

Images go through Pillow, PDFs are rendered page by page with pypdfium2 at 200 dpi (enough for
a QR printed at the usual 3-4 cm), and zxing-cpp finds the codes. The file type is sniffed from
its first bytes, not from its name.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import zxingcpp
from PIL import Image, UnidentifiedImageError

__all__ = ["PDF_DPI", "QrImageError", "decode_image"]

PDF_DPI = 200


class QrImageError(Exception):
    """The file could not be read as an image or a PDF; the message is French."""


def _flatten(image: Image.Image) -> Image.Image:
    """Greyscale on white: transparent PNGs would otherwise decode as black on black."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    return image.convert("L")


def _decode(image: Image.Image) -> list[str]:
    """QR codes only: our codes are QR, and a linear-barcode reader sometimes "finds" one in a
    line of printed text."""
    return [barcode.text for barcode in zxingcpp.read_barcodes(
        _flatten(image), formats=zxingcpp.BarcodeFormat.QRCode)]


def _decode_pdf(path: Path) -> list[str]:
    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        message = f"Le fichier PDF {path.name} est illisible ou protégé ({exc})."
        raise QrImageError(message) from None
    texts: list[str] = []
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                bitmap = page.render(scale=PDF_DPI / 72)
                texts.extend(_decode(bitmap.to_pil()))
            finally:
                page.close()
    except pdfium.PdfiumError as exc:
        raise QrImageError(f"Impossible d'afficher une page du PDF {path.name} ({exc}).") from None
    finally:
        pdf.close()
    return texts


def _decode_picture(path: Path) -> list[str]:
    try:
        with Image.open(path) as image:
            image.load()
            return _decode(image)
    except UnidentifiedImageError:
        raise QrImageError(
            f"Le fichier {path.name} n'est ni une image (PNG, JPEG…) ni un PDF."
        ) from None
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise QrImageError(f"L'image {path.name} est illisible ou endommagée ({exc}).") from None


def decode_image(path: Path) -> list[str]:
    """Texts of every barcode found in the file, in reading order, without duplicates.

    An empty list means the file was read but no code was found. Raises QrImageError when the
    file is missing or not a readable image/PDF.
    """
    path = Path(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(5)
    except OSError as exc:
        raise QrImageError(f"Impossible d'ouvrir le fichier {path} ({exc.strerror}).") from None
    texts = _decode_pdf(path) if head == b"%PDF-" else _decode_picture(path)
    return list(dict.fromkeys(texts))
