"""A small top-down writer on a reportlab canvas, shared by the documents.

Platypus would do, but its paragraph parser costs more than the whole receipt budget; our
documents are short lines, lists and a QR, so a cursor that wraps text and starts a new page
when the next block would not fit is enough. Footers are drawn at save time, once the page
count is known (« page n / N »).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from reportlab.pdfgen.canvas import Canvas

from rdv_desktop.printing import layout as L
from rdv_desktop.printing.data import Applicant, PieceLine, SiteInfo
from rdv_desktop.printing.fonts import BOLD, REGULAR, register_fonts, visual, width, wrap
from rdv_desktop.printing.french import fr_date, fr_datetime, typographic
from rdv_desktop.printing.qr import draw_qr, qr_matrix

MM = L.PT_PER_MM
PAGE_W = L.PAGE_WIDTH_MM * MM
PAGE_H = L.PAGE_HEIGHT_MM * MM


class _FooterCanvas(Canvas):
    """Keeps finished pages until save() so each footer can say how many pages there are."""

    def __init__(self, buffer: io.BytesIO, footer: str) -> None:
        super().__init__(buffer, pagesize=(PAGE_W, PAGE_H))
        self._footer = footer
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # private reportlab method, not stubbed

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._draw_footer(number, total)
            Canvas.showPage(self)
        Canvas.save(self)

    def _draw_footer(self, number: int, total: int) -> None:
        y = L.FOOTER_BASELINE_MM * MM
        self.setFillGray(0.35)
        self.setFont(REGULAR, L.SIZE_FOOTER)
        self.drawString(L.MARGIN_LEFT_MM * MM, y, self._footer)
        self.drawRightString(PAGE_W - L.MARGIN_RIGHT_MM * MM, y, f"page {number} / {total}")


class Flow:
    """Cursor-based writer: ``y`` is the top of the free space on the current page."""

    def __init__(
        self, *, title: str, footer: str, author: str, duplicate_printed_at: datetime | None
    ) -> None:
        register_fonts()
        self._buffer = io.BytesIO()
        self.canvas = _FooterCanvas(self._buffer, footer)
        self.canvas.setTitle(title)
        self.canvas.setAuthor(author)
        self.canvas.setCreator("rdv-desktop")
        self.title = title
        self.duplicate_printed_at = duplicate_printed_at
        self.left = L.MARGIN_LEFT_MM * MM
        self.right = PAGE_W - L.MARGIN_RIGHT_MM * MM
        self.top = PAGE_H - L.MARGIN_TOP_MM * MM
        self.bottom = L.MARGIN_BOTTOM_MM * MM
        self.page = 1
        self.y = self.top
        self._continued: str | None = None  # section title repeated if a list breaks a page
        self._begin_page()

    # -- pages ---------------------------------------------------------------------------
    @property
    def width(self) -> float:
        return self.right - self.left

    def _begin_page(self) -> None:
        self.y = self.top
        if self.duplicate_printed_at is not None:
            self._draw_duplicate()
        if self.page > 1:
            self.text(f"{self.title} (suite)", font=BOLD, size=L.SIZE_BODY, grey=0.35)
            self.space(L.GAP_SECTION_MM)
            if self._continued:
                self.text(f"{self._continued} (suite)", font=BOLD, size=L.SIZE_HEADING)
                self.space(L.GAP_SMALL_MM)

    def _draw_duplicate(self) -> None:
        """Grey diagonal watermark under everything, and a framed band at the top."""
        c = self.canvas
        c.saveState()
        c.setFillGray(L.WATERMARK_GREY)
        c.translate(PAGE_W / 2, PAGE_H / 2)
        c.rotate(L.WATERMARK_ANGLE)
        c.setFont(BOLD, L.SIZE_WATERMARK)
        c.drawCentredString(0, -L.SIZE_WATERMARK / 3, "DUPLICATA")
        c.restoreState()
        assert self.duplicate_printed_at is not None
        band = f"DUPLICATA — Réimprimé le {fr_datetime(self.duplicate_printed_at)}"
        height = L.SIZE_DUPLICATE_BAND * 2.0
        c.setLineWidth(1.2)
        c.rect(self.left, self.y - height, self.width, height, stroke=1, fill=0)
        c.setFont(BOLD, L.SIZE_DUPLICATE_BAND)
        c.drawCentredString(
            (self.left + self.right) / 2, self.y - height * 0.5 - L.SIZE_DUPLICATE_BAND * 0.35, band
        )
        self.y -= height + L.GAP_SECTION_MM * MM

    def new_page(self) -> None:
        self.canvas.showPage()
        self.page += 1
        self._begin_page()

    def ensure(self, height: float) -> None:
        """Start a new page unless ``height`` points still fit above the bottom margin."""
        if self.y - height < self.bottom:
            self.new_page()

    def space(self, mm: float) -> None:
        self.y -= mm * MM

    def finish(self) -> bytes:
        self.canvas.showPage()
        self.canvas.save()
        return self._buffer.getvalue()

    # -- text ----------------------------------------------------------------------------
    def text(
        self,
        text: str,
        *,
        font: str = REGULAR,
        size: float = L.SIZE_BODY,
        indent: float = 0.0,
        max_width: float | None = None,
        grey: float = 0.0,
        centre: bool = False,
        leading_factor: float = L.LEADING,
        wrapped: list[str] | None = None,
    ) -> None:
        """Wrapped text (or the already ``wrapped`` lines); may break pages between lines."""
        leading = size * leading_factor
        x = self.left + indent
        room = max_width if max_width is not None else self.right - x
        if wrapped is None:
            wrapped = wrap(visual(typographic(text)), font, size, room)
        c = self.canvas
        page = 0
        for line in wrapped:
            self.ensure(leading)
            if page != self.page:  # a new page starts with a fresh graphics state
                page = self.page
                c.setFillGray(grey)
                c.setFont(font, size)
            baseline = self.y - leading * 0.8
            if centre:
                c.drawCentredString(x + room / 2, baseline, line)
            else:
                c.drawString(x, baseline, line)
            self.y -= leading
        c.setFillGray(0.0)

    def heading(self, text: str, keep_with: float = 0.0, max_width: float | None = None) -> None:
        """Section title with a thin rule; kept on the same page as what follows it."""
        leading = L.SIZE_HEADING * L.LEADING
        self.ensure(leading + L.HEADING_RULE_GAP_MM * MM + keep_with)
        self.text(text, font=BOLD, size=L.SIZE_HEADING, max_width=max_width)
        c = self.canvas
        c.setLineWidth(L.RULE_WIDTH_PT)
        c.setStrokeGray(0.55)
        end = self.left + max_width if max_width is not None else self.right
        c.line(self.left, self.y + 1, end, self.y + 1)
        c.setStrokeGray(0.0)
        self.y -= L.HEADING_RULE_GAP_MM * MM

    def field(self, label: str, value: str, *, max_width: float | None = None) -> None:
        """« Label   value » with the value wrapped in its own column."""
        size = L.SIZE_BODY
        leading = size * L.LEADING
        label_w = L.LABEL_WIDTH_MM * MM
        self.ensure(leading)
        self.canvas.setFillGray(0.35)
        self.canvas.setFont(REGULAR, size - 0.5)
        self.canvas.drawString(self.left, self.y - leading * 0.8, label)
        room = (max_width if max_width is not None else self.width) - label_w
        self.text(value or "—", indent=label_w, max_width=room)

    def site_header(self, site: SiteInfo, *, max_width: float | None = None) -> None:
        self.text(site.prefecture, font=BOLD, size=L.SIZE_SITE, max_width=max_width)
        self.text(site.service, max_width=max_width)
        self.text(site.address, size=L.SIZE_NOTE, grey=0.3, max_width=max_width)
        if site.contact:
            self.text(site.contact, size=L.SIZE_NOTE, grey=0.3, max_width=max_width)

    def applicant(
        self, person: Applicant, *, max_width: float | None = None, full: bool = True
    ) -> None:
        """The identity block; ``full`` adds the numéro étranger and address when known."""
        self.heading("Demandeur", max_width=max_width)
        self.field("Nom", person.family_name.upper(), max_width=max_width)
        self.field("Prénoms", person.given_names, max_width=max_width)
        born = fr_date(person.birth_date) if person.birth_date else "date inconnue"
        place = f" à {person.birth_place}" if person.birth_place else ""
        self.field("Né(e) le", born + place, max_width=max_width)
        if not full:
            return
        self.field("Nationalité", person.nationality, max_width=max_width)
        if person.foreign_number:
            self.field("Numéro étranger", person.foreign_number, max_width=max_width)
        if person.address:
            self.field("Adresse", person.address, max_width=max_width)

    def pieces(
        self, items: Iterable[PieceLine], *, section: str, marker: str = "•", box: bool = False
    ) -> None:
        """A list of pieces, each with its note in small grey under it.

        ``section`` is repeated at the top of the next page if the list has to break.
        """
        self._continued = section
        size = L.SIZE_LIST
        leading = size * L.LEADING_LIST
        indent = L.BULLET_INDENT_MM * MM + (L.CHECKBOX_MM * MM if box else 0)
        c = self.canvas
        for item in items:
            lines = wrap(visual(item.label), REGULAR, size, self.width - indent)
            self.ensure(leading * min(len(lines), 2))
            if box:
                side = L.CHECKBOX_MM * MM
                c.setLineWidth(0.7)
                c.rect(self.left + 1, self.y - leading * 0.8 - 1, side, side, stroke=1, fill=0)
            else:
                c.setFont(REGULAR, size)
                c.drawString(self.left + 1.5, self.y - leading * 0.8, marker)
            self.text(
                item.label, size=size, indent=indent, leading_factor=L.LEADING_LIST, wrapped=lines
            )
            if item.note:
                self.text(
                    item.note,
                    size=L.SIZE_NOTE,
                    indent=indent + L.NOTE_INDENT_MM * MM,
                    grey=0.3,
                    leading_factor=L.LEADING_LIST,
                )
            self.y -= L.GAP_SMALL_MM * MM * 0.4
        self._continued = None

    def boxed(self, lines: list[tuple[str, str, float]]) -> None:
        """A framed block of (text, font, size) lines; kept whole on one page."""
        pad = L.BOX_PADDING_MM * MM
        inner = self.width - 2 * pad
        wrapped = [wrap(visual(t), f, s, inner) for t, f, s in lines]
        heights = (len(w) * s * L.LEADING for w, (_, _, s) in zip(wrapped, lines, strict=True))
        height = 2 * pad + sum(heights)
        self.ensure(height)
        top = self.y
        self.canvas.setLineWidth(0.9)
        self.canvas.rect(self.left, top - height, self.width, height, stroke=1, fill=0)
        self.y -= pad
        for (text, font_name, size), done in zip(lines, wrapped, strict=True):
            self.text(text, font=font_name, size=size, indent=pad, max_width=inner, wrapped=done)
        self.y = top - height

    def label_width(self, text: str, size: float = L.SIZE_BODY) -> float:
        return width(text, REGULAR, size)

    def qr_column(self, payload: str, human_code: str, help_text: str) -> float:
        """QR at the top right, its code and a help line under it; returns the column's bottom.

        The cursor is left where it was, so the caller writes the left column next to it.
        """
        size = L.QR_SIZE_MM * MM
        x = self.right - size
        top = self.y
        draw_qr(self.canvas, qr_matrix(payload), x, top - size, size)
        self.y = top - size
        self.text(
            human_code,
            font=BOLD,
            size=L.SIZE_QR_CODE,
            indent=x - self.left,
            max_width=size,
            centre=True,
        )
        self.y -= L.GAP_SMALL_MM * MM
        self.text(help_text, size=L.SIZE_QR_HELP, indent=x - self.left, max_width=size, grey=0.3)
        bottom = self.y
        self.y = top
        return bottom
