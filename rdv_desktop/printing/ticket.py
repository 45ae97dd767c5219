"""The queue ticket: a small slip from the desk's receipt printer (80 mm roll).

Only the ticket number, times and the préfecture: no name, no motif, because the slip is often
left on a chair in the waiting room.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from reportlab.pdfgen.canvas import Canvas

from rdv_desktop.printing import layout as L
from rdv_desktop.printing.fonts import BOLD, REGULAR, fit, register_fonts, visual, width, wrap
from rdv_desktop.printing.french import fr_date, fr_time

MM = L.PT_PER_MM
PLEASE_WAIT = "Veuillez patienter, votre numéro sera affiché à l'écran avec votre guichet."
KEEP_IT = "Gardez ce ticket jusqu'à votre passage au guichet."

# The slip's own sizes (the shared ones in layout.py are for A4); a roll printer cuts the height.
TICKET_WIDTH_MM = 80.0
TICKET_HEIGHT_MM = 76.0
TICKET_MARGIN_MM = 5.0
TICKET_SIZE_SITE = 10.0
TICKET_SIZE_TEXT = 8.5
TICKET_SIZE_NUMBER = 56.0


@dataclass(frozen=True, slots=True)
class TicketData:
    prefecture: str
    service: str
    ticket: str
    arrived_at: datetime
    slot: datetime
    printed_at: datetime


def render_ticket(data: TicketData) -> bytes:
    """The ticket as a one-page PDF, 80 mm wide."""
    register_fonts()
    page_w, page_h = TICKET_WIDTH_MM * MM, TICKET_HEIGHT_MM * MM
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(page_w, page_h))
    canvas.setTitle(f"Ticket {data.ticket}")
    canvas.setAuthor(data.prefecture)
    margin = TICKET_MARGIN_MM * MM
    inner = page_w - 2 * margin
    centre = page_w / 2
    y = page_h - margin

    def line(text: str, font: str, size: float, gap: float = L.LEADING) -> None:
        nonlocal y
        y -= size * gap
        canvas.setFont(font, size)
        canvas.drawCentredString(centre, y, fit(text, font, size, inner))

    line(data.prefecture, BOLD, TICKET_SIZE_SITE)
    if data.service:
        line(data.service, REGULAR, TICKET_SIZE_TEXT)
    y -= L.GAP_SECTION_MM * MM
    line("Votre numéro", REGULAR, TICKET_SIZE_TEXT + 2)
    size = TICKET_SIZE_NUMBER
    while width(data.ticket, BOLD, size) > inner and size > 12:
        size -= 2
    line(data.ticket, BOLD, size, gap=1.0)
    y -= L.GAP_SECTION_MM * MM
    line(f"Arrivée à {fr_time(data.arrived_at)} — rendez-vous à {fr_time(data.slot)}",
         REGULAR, TICKET_SIZE_TEXT)
    y -= L.GAP_SMALL_MM * MM
    canvas.setLineWidth(L.RULE_WIDTH_PT)
    canvas.line(margin, y, page_w - margin, y)
    for text, font in ((PLEASE_WAIT, BOLD), (KEEP_IT, REGULAR)):
        for part in wrap(visual(text), font, TICKET_SIZE_TEXT, inner):
            line(part, font, TICKET_SIZE_TEXT)
    line(f"Imprimé le {fr_date(data.printed_at)} à {fr_time(data.printed_at)}", REGULAR,
         L.SIZE_FOOTER)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
