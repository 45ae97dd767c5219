"""« Liste des rendez-vous du jj/mm/aaaa »: the paper fallback of the day's queue.

Printed in the morning (or when the network is down) so the arrival desk can still work.
A fixed number of rows a page, header repeated, so that « page n / N » is known upfront
and a row never splits. Cells are cut with an ellipsis rather than wrapped.
"""

from __future__ import annotations

import math

from rdv_desktop.printing import layout as L
from rdv_desktop.printing import notices
from rdv_desktop.printing.data import DayListData, DayListRow
from rdv_desktop.printing.flow import MM, Flow
from rdv_desktop.printing.fonts import BOLD, REGULAR, fit
from rdv_desktop.printing.french import fr_date, fr_datetime

HEADERS = ("Heure", "Ticket", "Nom", "Motif", "Étape")
CELL_PAD_MM = 1.2


def render_day_list(data: DayListData) -> bytes:
    """The day's appointments in slot order, as PDF bytes."""
    title = f"Liste des rendez-vous du {fr_date(data.day)}"
    flow = Flow(
        title=title,
        footer=f"{data.site.prefecture} — imprimé le {fr_datetime(data.printed_at)}",
        author=data.site.prefecture,
        duplicate_printed_at=None,
    )
    rows = sorted(data.rows, key=lambda row: row.time)  # stable: same slot keeps its order
    pages = max(1, math.ceil(len(rows) / L.DAY_ROWS_PER_PAGE))
    for page in range(pages):
        if page:
            flow.canvas.showPage()
            flow.y = flow.top
        _page_header(flow, data, title, len(rows))
        chunk = rows[page * L.DAY_ROWS_PER_PAGE : (page + 1) * L.DAY_ROWS_PER_PAGE]
        _table_header(flow)
        for index, row in enumerate(chunk):
            _row(flow, row, zebra=index % 2 == 1)
        if not rows:
            flow.space(L.GAP_SECTION_MM)
            flow.text("Aucun rendez-vous ce jour.")
    return flow.finish()


def _page_header(flow: Flow, data: DayListData, title: str, count: int) -> None:
    flow.text(f"{data.site.prefecture} — {data.site.service}", size=L.SIZE_NOTE, grey=0.3)
    flow.text(title, font=BOLD, size=L.SIZE_TITLE)
    flow.text(f"{count} rendez-vous. {notices.DAY_LIST_INTERNAL}", size=L.SIZE_NOTE, grey=0.3)
    flow.space(L.GAP_SECTION_MM)


def _cells(flow: Flow, values: tuple[str, ...], font_name: str, size: float) -> None:
    c = flow.canvas
    height = L.DAY_ROW_HEIGHT_MM * MM
    baseline = flow.y - height + (height - size) / 2 + size * 0.22
    x = flow.left
    c.setFont(font_name, size)
    for value, column_mm in zip(values, L.DAY_COLUMNS_MM, strict=True):
        room = (column_mm - 2 * CELL_PAD_MM) * MM
        c.drawString(x + CELL_PAD_MM * MM, baseline, fit(value, font_name, size, room))
        x += column_mm * MM
    flow.y -= height


def _table_header(flow: Flow) -> None:
    c = flow.canvas
    height = L.DAY_ROW_HEIGHT_MM * MM
    c.setFillGray(0.82)
    c.rect(flow.left, flow.y - height, sum(L.DAY_COLUMNS_MM) * MM, height, stroke=0, fill=1)
    c.setFillGray(0.0)
    _cells(flow, HEADERS, BOLD, L.DAY_SIZE_ROW)


def _row(flow: Flow, row: DayListRow, *, zebra: bool) -> None:
    c = flow.canvas
    height = L.DAY_ROW_HEIGHT_MM * MM
    if zebra:
        c.setFillGray(L.DAY_ZEBRA_GREY)
        c.rect(flow.left, flow.y - height, sum(L.DAY_COLUMNS_MM) * MM, height, stroke=0, fill=1)
        c.setFillGray(0.0)
    _cells(flow, (row.time, row.ticket, row.name, row.motif, row.stage), REGULAR, L.DAY_SIZE_ROW)
