"""Shipped fonts, registered once per process, and text preparation for any script.

The PDF base-14 fonts only cover Latin-1: « Nguyễn » or « Иванов » would print as black boxes.
DejaVu Sans (resources/fonts, Bitstream Vera licence) covers Latin, Vietnamese, Cyrillic, Greek
and Arabic presentation forms. reportlab draws glyphs left to right without shaping, so Arabic
text is shaped (arabic-reshaper) and put in visual order (python-bidi) before drawing.
Codes are set in DejaVu Sans too (base32 codes have no 0/O or 1/I pairs to confuse): a third
embedded font (Mono) would cost ~1.7 ms a document.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from typing import cast

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from rdv_desktop.french import ISOLATES
from rdv_desktop.paths import resource

REGULAR = "RdvSans"
BOLD = "RdvSans-Bold"

FONT_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
}

_lock = threading.Lock()
_registered = False

# Hebrew, Arabic, Syriac, Thaana, N'Ko... and the Arabic presentation forms.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def register_fonts() -> None:
    """Register the shipped TTFs with reportlab; cheap and safe to call from any thread."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        # ASCII85 on top of zlib only helps 7-bit mail transports; it costs ~1 ms a page in
        # pure Python and makes the files 25 % larger. Printing is reportlab's only user.
        rl_config.useA85 = 0
        for name, filename in FONT_FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(resource("fonts", filename))))
        _registered = True


def font(name: str) -> TTFont:
    """The registered TTFont (its ``face.charToGlyph`` tells which characters it can draw)."""
    register_fonts()
    # types-reportlab types getFont as the base Font; every font registered here is a TTFont.
    return cast(TTFont, pdfmetrics.getFont(name))


def visual(text: str) -> str:
    """Text ready to draw left to right: NFC (precomposed accents), RTL runs shaped and ordered.

    Decomposed input (« e » + combining accent) would print the accent misplaced, hence NFC.
    """
    text = unicodedata.normalize("NFC", text)
    if not _RTL.search(text):
        return text.translate(ISOLATES)
    import arabic_reshaper  # only needed for right-to-left scripts
    from bidi import get_display

    shaped: str = get_display(arabic_reshaper.reshape(text))  # both libraries are untyped
    return shaped.translate(ISOLATES)  # the isolates have ordered the runs; no glyph for them


def width(text: str, font_name: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font_name, size)


def wrap(text: str, font_name: str, size: float, max_width: float) -> list[str]:
    """Greedy word wrap at ordinary spaces (never at a no-break one: « 100,00 € », « : »);
    a word longer than the line is cut between characters.

    reportlab does not kern TTF text, so a line's width is the sum of its words' and spaces'
    widths: each word is measured once (wrapping is most of the layout time otherwise).
    """
    if "\n" not in text and width(text, font_name, size) <= max_width:
        return [text]
    space = width(" ", font_name, size)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current: list[str] = []
        used = 0.0
        for word in paragraph.split(" "):
            if not word:
                continue
            word_width = width(word, font_name, size)
            if current and used + space + word_width <= max_width:
                current.append(word)
                used += space + word_width
                continue
            if current:
                lines.append(" ".join(current))
            while word_width > max_width and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and width(word[:cut], font_name, size) > max_width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
                word_width = width(word, font_name, size)
            current, used = [word], word_width
        lines.append(" ".join(current))
    return lines


def fit(text: str, font_name: str, size: float, max_width: float) -> str:
    """``text`` ready to draw in one table cell, cut with an ellipsis if too wide.

    Cut in logical order (so an Arabic name loses its end, not its start), measured as drawn.
    """
    shown = visual(text)
    if width(shown, font_name, size) <= max_width:
        return shown
    while text:
        text = text[:-1]
        shown = visual(text.rstrip() + "…")
        if width(shown, font_name, size) <= max_width:
            return shown
    return "…"
