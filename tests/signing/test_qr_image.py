"""QR decoding from PNG, JPEG and PDF files, and clear errors for anything else."""

from __future__ import annotations

from pathlib import Path

import pytest
import qrcode
from PIL import Image
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas

from rdv_desktop.services.signing.qr_image import QrImageError, decode_image
from rdv_desktop.services.signing.signer import KeyRing
from rdv_desktop.services.signing.verifier import VerificationStatus, verify


def _qr(payload: str) -> Image.Image:
    return qrcode.make(payload, box_size=6, border=4).get_image().convert("RGB")


@pytest.mark.parametrize(("suffix", "fmt"), [(".png", "PNG"), (".jpg", "JPEG")])
def test_image_decodes_and_verifies(
    tmp_path: Path, payload: str, ring: KeyRing, suffix: str, fmt: str
) -> None:
    path = tmp_path / f"attestation{suffix}"
    _qr(payload).save(path, fmt)
    assert decode_image(path) == [payload]
    assert verify(decode_image(path)[0], ring).status is VerificationStatus.AUTHENTIC


def test_transparent_png(tmp_path: Path, payload: str) -> None:
    qr = _qr(payload).convert("L")
    rgba = Image.new("RGBA", qr.size, (0, 0, 0, 0))
    rgba.putalpha(Image.eval(qr, lambda v: 255 - v))  # black modules, transparent background
    path = tmp_path / "transparent.png"
    rgba.save(path)
    assert decode_image(path) == [payload]


def test_pdf_pages(tmp_path: Path, payload: str, ring: KeyRing) -> None:
    png = tmp_path / "qr.png"
    _qr(payload).save(png)
    pdf = tmp_path / "scan.pdf"
    doc = canvas.Canvas(str(pdf))
    doc.drawString(2 * cm, 27 * cm, "Page sans code")
    doc.showPage()
    doc.drawImage(str(png), 3 * cm, 10 * cm, width=4 * cm, height=4 * cm)
    doc.showPage()
    doc.save()
    assert decode_image(pdf) == [payload]
    assert verify(decode_image(pdf)[0], ring).ok


def test_image_without_code(tmp_path: Path) -> None:
    path = tmp_path / "blank.png"
    Image.new("L", (200, 200), 255).save(path)
    assert decode_image(path) == []


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("notes.png", b"ceci n'est pas une image", "ni une image"),
        ("broken.pdf", b"%PDF-1.7 garbage", "PDF"),
        ("truncated.png", b"\x89PNG\r\n\x1a\n\x00\x00", "image"),
    ],
)
def test_unreadable_files(tmp_path: Path, name: str, content: bytes, fragment: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(QrImageError) as excinfo:
        decode_image(path)
    assert fragment in str(excinfo.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(QrImageError, match="Impossible d'ouvrir"):
        decode_image(tmp_path / "absent.png")
