"""QR codes drawn as vector rectangles from the ``qrcode`` matrix.

reportlab's own QR widget is about 4× slower and a PNG would blur when printed; a path of
rectangles is sharp at any resolution. One rectangle per horizontal run of dark modules keeps
the path short (a few hundred rectangles for a version 7 symbol).
"""

from __future__ import annotations

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from qrcode.util import MODE_ALPHA_NUM, RE_ALPHA_NUM, QRData
from reportlab.pdfgen.canvas import Canvas

from rdv_desktop.printing.layout import QR_QUIET_ZONE_MODULES

Matrix = list[list[bool]]


def qr_matrix(payload: str) -> Matrix:
    """Modules of the QR for ``payload``, quiet zone included (True = dark).

    Our payloads stay in the QR alphanumeric set, so they are forced into one alphanumeric
    segment (5.5 bits a character instead of 8). Anything else falls back to qrcode's own
    choice rather than failing at the counter.
    """
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QR_QUIET_ZONE_MODULES)
    raw = payload.encode("utf-8")
    if RE_ALPHA_NUM.match(raw):
        # types-qrcode declares MODE_ALPHA_NUM as int where the overloads want Literal[1, 2, 4].
        code.add_data(QRData(raw, mode=MODE_ALPHA_NUM))  # type: ignore[call-overload]
    else:
        code.add_data(payload)
    code.make(fit=True)
    return code.get_matrix()


def draw_qr(canvas: Canvas, matrix: Matrix, x: float, y: float, size: float) -> None:
    """Draw ``matrix`` as a ``size``-point square whose lower-left corner is (x, y).

    The square is painted white first so that a DUPLICATA watermark underneath cannot grey
    the light modules or the quiet zone.
    """
    count = len(matrix)
    module = size / count
    canvas.saveState()
    canvas.setFillGray(1.0)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillGray(0.0)
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        top = y + size - (row_index + 1) * module
        col = 0
        while col < count:
            if not row[col]:
                col += 1
                continue
            start = col
            while col < count and row[col]:
                col += 1
            path.rect(x + start * module, top, (col - start) * module, module)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
