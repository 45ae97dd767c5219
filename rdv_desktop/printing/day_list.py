"""« Liste des rendez-vous du jj/mm/aaaa »: the paper fallback of the day's queue.

Printed in the morning (or when the network is down) so the arrival desk can still work.
Names and motifs wrap (up to three lines, the rest cut with an ellipsis): the AES motifs differ
only at their end. Rows are measured first and the pages cut between rows, header repeated,
so « page n / N » is known upfront and a row never splits. A name is « NOM Prénom » whatever
its script: the family name is an isolated run, so an Arabic name is not reordered after the
given names.
"""

from __future__ import annotations

from rdv_desktop.printing import layout as L
from rdv_desktop.printing import notices
from rdv_desktop.printing.data import DayListData, DayListRow
from rdv_desktop.printing.flow import MM, Flow
from rdv_desktop.printing.fonts import BOLD, REGULAR, fit, visual, wrap
from rdv_desktop.printing.french import fr_date, fr_datetime

HEADERS = ("Heure", "Ticket", "Nom", "Motif", "Étape")
CELL_PAD_MM = 1.2
MAX_LINES = 3
LINE = L.DAY_SIZE_ROW * 1.18  # points between two lines of one cell


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
    cells = [_lines(row) for row in rows]
    for page, chunk in enumerate(_pages(cells)):
        if page:
            flow.canvas.showPage()
            flow.y = flow.top
        _page_header(flow, data, title, len(rows))
        _table_header(flow)
        for index, lines in enumerate(chunk):
            _row(flow, lines, zebra=index % 2 == 1)
        if not rows:
            flow.space(L.GAP_SECTION_MM)
            flow.text("Aucun rendez-vous ce jour.")
    return flow.finish()


def _page_header(flow: Flow, data: DayListData, title: str, count: int) -> None:
    flow.text(f"{data.site.prefecture} — {data.site.service}", size=L.SIZE_NOTE, grey=0.3)
    flow.text(title, font=BOLD, size=L.SIZE_TITLE)
    flow.text(f"{count} rendez-vous. {notices.DAY_LIST_INTERNAL}", size=L.SIZE_NOTE, grey=0.3)
    flow.space(L.GAP_SECTION_MM)


Lines = tuple[list[str], ...]  # one cell's lines, ready to draw, for each column


def _lines(row: DayListRow) -> Lines:
    """Each cell of a row as the lines it prints on."""
    out: list[list[str]] = []
    for value, column_mm in zip((row.time, row.ticket, row.name, row.motif, row.stage),
                                L.DAY_COLUMNS_MM, strict=True):
        room = (column_mm - 2 * CELL_PAD_MM) * MM
        lines = wrap(visual(value), REGULAR, L.DAY_SIZE_ROW, room)
        if len(lines) > MAX_LINES:
            lines = [*lines[:MAX_LINES - 1],
                     fit(" ".join(lines[MAX_LINES - 1:]) + "…", REGULAR, L.DAY_SIZE_ROW, room)]
        out.append(lines)
    return tuple(out)


def _height(lines: Lines) -> float:
    """A row's height: one line as before, each further line of its tallest cell added."""
    return L.DAY_ROW_HEIGHT_MM * MM + (max(len(c) for c in lines) - 1) * LINE


def _pages(cells: list[Lines]) -> list[list[Lines]]:
    """Rows cut into pages by height (what 40 one-line rows used to fill)."""
    room = L.DAY_ROWS_PER_PAGE * L.DAY_ROW_HEIGHT_MM * MM
    pages: list[list[Lines]] = [[]]
    used = 0.0
    for lines in cells:
        height = _height(lines)
        if pages[-1] and used + height > room:
            pages.append([])
            used = 0.0
        pages[-1].append(lines)
        used += height
    return pages


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


def _row(flow: Flow, lines: Lines, *, zebra: bool) -> None:
    c = flow.canvas
    height = _height(lines)
    if zebra:
        c.setFillGray(L.DAY_ZEBRA_GREY)
        c.rect(flow.left, flow.y - height, sum(L.DAY_COLUMNS_MM) * MM, height, stroke=0, fill=1)
        c.setFillGray(0.0)
    one = L.DAY_ROW_HEIGHT_MM * MM
    first = flow.y - one + (one - L.DAY_SIZE_ROW) / 2 + L.DAY_SIZE_ROW * 0.22
    c.setFont(REGULAR, L.DAY_SIZE_ROW)
    x = flow.left
    for cell, column_mm in zip(lines, L.DAY_COLUMNS_MM, strict=True):
        for number, line in enumerate(cell):
            c.drawString(x + CELL_PAD_MM * MM, first - number * LINE, line)
        x += column_mm * MM
    flow.y -= height
