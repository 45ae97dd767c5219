"""« Rapport mensuel »: the month's figures on two A4 pages, charts next to the numbers.

Data in (plain values, already formatted in French by the service), PDF bytes out. Page 1: key
figures, deposits and absences day by day, arrivals and waiting time by hour. Page 2: motifs,
counters, agents, and the definitions used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rdv_desktop.printing import layout as L
from rdv_desktop.printing.charts import (
    PALETTE,
    Series,
    horizontal_bars,
    legend,
    line,
    stacked_bars,
)
from rdv_desktop.printing.data import SiteInfo
from rdv_desktop.printing.flow import MM, Flow
from rdv_desktop.printing.fonts import BOLD, REGULAR, fit
from rdv_desktop.printing.french import fr_datetime

OUTCOME_SERIES = (("Déposés", "deposited"), ("Incomplets", "incomplete"),
                  ("Réorientés ANEF", "redirected"), ("Absents", "no_show"),
                  ("Autres", "other"))
TABLE_HEADERS = ("", "Rendez-\nvous", "Déposés", "Incom-\nplets", "Complé-\ntude",
                 "Attente\nmoyenne", "Attente\n90 %", "Service\nmoyen", "Service\n90 %")
TABLE_COLUMNS_MM = (38.0, 16.0, 16.0, 16.0, 17.0, 18.0, 17.0, 18.0, 18.0)
TABLE_HEADER_SIZE = 7.5
KPI_COLUMNS = 4
KPI_HEIGHT_MM = 17.5  # room for a two-line note
CHART_HEIGHT_MM = 52.0
ROW_MM = 5.0


@dataclass(frozen=True)
class Kpi:
    label: str
    value: str
    note: str = ""  # at most two lines, separated by "\n"


@dataclass(frozen=True)
class OutcomeBar:
    """One bar: a day or a motif, split by outcome."""

    label: str
    deposited: int
    incomplete: int
    redirected: int
    no_show: int
    other: int


@dataclass(frozen=True)
class HourBar:
    label: str
    appointments: int
    mean_wait_minutes: float | None


@dataclass(frozen=True)
class MonthlyReportData:
    site: SiteInfo
    title: str
    period: str
    generated_at: datetime
    kpis: tuple[Kpi, ...]
    days: tuple[OutcomeBar, ...]
    hours: tuple[HourBar, ...]
    motifs: tuple[OutcomeBar, ...]
    counters: tuple[tuple[str, ...], ...]
    agents: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...]


def _outcome_series(bars: tuple[OutcomeBar, ...]) -> list[Series]:
    return [Series(name, [getattr(b, key) for b in bars], PALETTE[key])
            for name, key in OUTCOME_SERIES]


def _kpis(flow: Flow, kpis: tuple[Kpi, ...]) -> None:
    c = flow.canvas
    gap = 3 * MM
    width = (flow.width - gap * (KPI_COLUMNS - 1)) / KPI_COLUMNS
    height = KPI_HEIGHT_MM * MM
    for row_start in range(0, len(kpis), KPI_COLUMNS):
        flow.ensure(height + gap)
        for i, kpi in enumerate(kpis[row_start:row_start + KPI_COLUMNS]):
            x = flow.left + i * (width + gap)
            c.setFillGray(0.95)
            c.setStrokeGray(0.75)
            c.roundRect(x, flow.y - height, width, height, 4, stroke=1, fill=1)
            c.setFillGray(0.3)
            c.setFont(REGULAR, L.SIZE_NOTE)
            c.drawString(x + 2 * MM, flow.y - 4.5 * MM, fit(kpi.label, REGULAR, L.SIZE_NOTE,
                                                            width - 4 * MM))
            c.setFillGray(0)
            c.setFont(BOLD, 14)
            c.drawString(x + 2 * MM, flow.y - 10.5 * MM, kpi.value)
            c.setFillGray(0.35)
            c.setFont(REGULAR, L.SIZE_NOTE - 1)
            for n, note_line in enumerate(kpi.note.split("\n")[:2] if kpi.note else ()):
                c.drawString(x + 2 * MM, flow.y - (13.6 + 2.6 * n) * MM,
                             fit(note_line, REGULAR, L.SIZE_NOTE - 1, width - 4 * MM))
        c.setStrokeGray(0)
        c.setFillGray(0)
        flow.y -= height + gap


def _chart_block(flow: Flow, title: str, height_mm: float = CHART_HEIGHT_MM) -> tuple[float, float,
                                                                                      float, float]:
    """Reserve room for a titled chart; returns the plot area (x, y, w, h)."""
    flow.heading(title, keep_with=(height_mm + 12) * MM)
    top = flow.y - 8 * MM  # legend line
    x = flow.left + 9 * MM
    w = flow.width - 18 * MM
    h = height_mm * MM
    flow.y = top - h - 6 * MM
    return x, top - h, w, h


def _days_chart(flow: Flow, days: tuple[OutcomeBar, ...]) -> None:
    x, y, w, h = _chart_block(flow, "Rendez-vous par jour, selon l'issue")
    series = _outcome_series(days)
    legend(flow.canvas, flow.left, y + h + 3 * MM, series)
    stacked_bars(flow.canvas, x, y, w, h, [d.label for d in days], series,
                 label_every=1 if len(days) <= 16 else 2)


def _hours_chart(flow: Flow, hours: tuple[HourBar, ...]) -> None:
    x, y, w, h = _chart_block(flow, "Rendez-vous et attente moyenne par heure du créneau", 42)
    bars = Series("Rendez-vous", [b.appointments for b in hours], PALETTE["other"])
    wait = Series("Attente moyenne (min, échelle de droite)", [], PALETTE["wait"])
    legend(flow.canvas, flow.left, y + h + 3 * MM, [bars, wait])
    stacked_bars(flow.canvas, x, y, w, h, [b.label for b in hours], [bars])
    if hours:
        line(flow.canvas, x, y, w, h, [b.mean_wait_minutes for b in hours], PALETTE["wait"])


def _table(flow: Flow, title: str, rows: tuple[tuple[str, ...], ...]) -> None:
    c = flow.canvas
    height = ROW_MM * MM
    header_height = height * max(len(h.split("\n")) for h in TABLE_HEADERS)
    flow.heading(title, keep_with=header_height + height * min(len(rows), 5))
    width = sum(TABLE_COLUMNS_MM) * MM
    for index, cells in enumerate((TABLE_HEADERS, *rows)):
        row_height = header_height if index == 0 else height
        flow.ensure(row_height)
        if index == 0 or index % 2 == 0:
            c.setFillGray(0.85 if index == 0 else 0.95)
            c.rect(flow.left, flow.y - row_height, width, row_height, stroke=0, fill=1)
        c.setFillGray(0)
        font = BOLD if index == 0 else REGULAR
        size = TABLE_HEADER_SIZE if index == 0 else L.SIZE_LIST
        c.setFont(font, size)
        x = flow.left
        for col, (text, width_mm) in enumerate(zip(cells, TABLE_COLUMNS_MM, strict=True)):
            lines = text.split("\n")
            for n, part in enumerate(lines):  # header lines, bottom-aligned
                baseline = flow.y - row_height + 1.5 * MM + (len(lines) - 1 - n) * height * 0.7
                part = fit(part, font, size, (width_mm - 2) * MM)
                if col == 0:
                    c.drawString(x + 1 * MM, baseline, part)
                else:
                    c.drawRightString(x + width_mm * MM - 1 * MM, baseline, part)
            x += width_mm * MM
        flow.y -= row_height
    flow.space(L.GAP_SECTION_MM)


def _motifs(flow: Flow, motifs: tuple[OutcomeBar, ...]) -> None:
    row_h = 5.2 * MM
    flow.heading("Motifs", keep_with=row_h * min(len(motifs), 24) + 8 * MM)
    series = _outcome_series(motifs)
    legend(flow.canvas, flow.left, flow.y - 5 * MM, series)
    flow.y -= 7 * MM
    top = max((m.deposited + m.incomplete + m.redirected + m.no_show + m.other
               for m in motifs), default=1) or 1
    for start in range(0, len(motifs), 24):
        chunk = motifs[start:start + 24]
        flow.ensure(row_h * len(chunk))
        used = horizontal_bars(
            flow.canvas, flow.left, flow.y, flow.width, row_h,
            [(m.label, (m.deposited, m.incomplete, m.redirected, m.no_show, m.other))
             for m in chunk], [s.color for s in series], 70 * MM, top)
        flow.y -= used
    flow.space(L.GAP_SECTION_MM)


def render_monthly_report(data: MonthlyReportData) -> bytes:
    flow = Flow(title=data.title,
                footer=f"{data.site.prefecture} — rapport établi le "
                       f"{fr_datetime(data.generated_at)}",
                author=data.site.prefecture, duplicate_printed_at=None)
    flow.site_header(data.site)
    flow.space(L.GAP_SECTION_MM)
    flow.text(data.title, font=BOLD, size=L.SIZE_TITLE)
    flow.text(data.period, size=L.SIZE_BODY, grey=0.3)
    flow.space(L.GAP_SECTION_MM)
    _kpis(flow, data.kpis)
    _days_chart(flow, data.days)
    _hours_chart(flow, data.hours)
    _motifs(flow, data.motifs)
    _table(flow, "Par guichet", data.counters)
    _table(flow, "Par agent", data.agents)
    flow.heading("Définitions")
    for note in data.notes:
        flow.text(f"• {note}", size=L.SIZE_NOTE, grey=0.25, indent=2 * MM)
    return flow.finish()
