"""« Tableau de bord »: the figures of a day, week, month, year or any range, with charts.

The report is computed in a worker (services.stats reads pre-built rollups; typically tens of
milliseconds, more when many days changed since the last look) and shown when it comes back.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..errors import RdvError
from ..french import ordinal
from ..printing.chart_style import OUTCOME_COLORS as COLORS
from ..services.core import Actor, local_today
from ..services.recepisse import RecepisseCounts
from ..services.setup import Services
from ..services.stats import Breakdown, StatsReport, bucket, minutes
from ..services.stats import percent as pct
from .accessibility import SpokenLabel, announce, caption, leave_on_tab
from .bar_chart import BarChart
from .date_fields import day_of, period_fields, qdate
from .first_show import LoadsOnFirstShow
from .table_model import TextRowsModel
from .worker import run_in_background

PRESETS = ("Jour", "Semaine", "Mois", "Année", "Période libre")
OUTCOMES = (("Déposés", "deposited"), ("Incomplets", "incomplete"),
            ("Réorientés ANEF", "redirected"), ("Absents", "no_show"))
TABLE_HEADERS = ("Détail", "Rendez-vous", "Déposés", "Complétude", "Attente moy.", "Attente 90 %",
                 "Service moy.", "Service 90 %", "Absence", "Incomplets", "Réorientés")
LABEL_COLUMN_MAX_PX = 230
PER_COUNTER_OR_AGENT = ("by_counter", "by_agent")
# The table's « Détail par » choices: (label, StatsReport attribute).
BREAKDOWNS = (("Guichet", "by_counter"), ("Agent", "by_agent"), ("Motif", "by_motif"),
              ("Heure du créneau", "by_hour"))
MONTHS_SHORT = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.",
                "oct.", "nov.", "déc.")


def preset_range(preset: str, today: date) -> tuple[date, date]:
    if preset == "Jour":
        return today, today
    if preset == "Semaine":
        monday = today - timedelta(days=today.weekday())
        return monday, monday + timedelta(days=6)
    if preset == "Mois":
        first = today.replace(day=1)
        return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    if preset == "Année":
        return today.replace(month=1, day=1), today.replace(month=12, day=31)
    raise ValueError(preset)


class Kpi(QFrame):
    def __init__(self, title: str) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("Kpi { background: #f4f6f8; border-radius: 6px; }")
        self.title = QLabel(title)
        self.title.setStyleSheet("color: #555;")
        self.value = SpokenLabel(title, "—")  # read with its caption: « Rendez-vous 556 »
        self.value.setStyleSheet("font-size: 20pt; font-weight: bold;")
        self.note = QLabel("")
        self.note.setStyleSheet("color: #666; font-size: 8pt;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        for w in (self.title, self.value, self.note):
            layout.addWidget(w)

    def show_value(self, value: str, note: str = "") -> None:
        self.value.setText(value)
        self.note.setText(note)


class DashboardPanel(LoadsOnFirstShow, QWidget):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.report: StatsReport | None = None
        today = local_today(services.ctx.clock)

        self.preset = QComboBox()
        self.preset.addItems(PRESETS)
        self.preset.setAccessibleName("Période")
        self.start, self.end = period_fields(today.replace(day=1), today)
        self.refresh_button = QPushButton("Actualiser")
        self.refresh_button.setAccessibleName("Actualiser le tableau de bord")
        self.status = SpokenLabel("État du tableau de bord")
        bar = QHBoxLayout()
        bar.addWidget(caption("Période :", self.preset))
        bar.addWidget(self.preset)
        bar.addWidget(caption("du", self.start))
        bar.addWidget(self.start)
        bar.addWidget(caption("au", self.end))
        bar.addWidget(self.end)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.status, 1)

        self.kpis = {key: Kpi(title) for key, title in (
            ("appointments", "Rendez-vous"), ("arrivals", "Arrivées"),
            ("no_show", "Taux d'absence"), ("deposits", "Dossiers déposés"),
            ("complete", "Taux de complétude"), ("redirected", "Réorientations ANEF"),
            ("wait", "Attente"), ("service", "Durée du service"),
            ("recepisses", "Récépissés à remettre"))}
        grid = QGridLayout()
        for i, kpi in enumerate(self.kpis.values()):
            grid.addWidget(kpi, i // 5, i % 5)

        self.days_chart = BarChart("Rendez-vous par jour, selon l'issue")
        self.hours_chart = BarChart("Rendez-vous par heure du créneau")
        self.motifs_chart = BarChart("Motifs", horizontal=True)
        self.breakdown = QComboBox()
        for label, attribute in BREAKDOWNS:
            self.breakdown.addItem(label, attribute)
        self.breakdown.setAccessibleName("Détail par")
        self.breakdown.setToolTip("« 90 % » : 90 % des personnes ont attendu (ou été servies) "
                                  "moins que cette durée.")
        self.table_model = TextRowsModel(tuple(TABLE_HEADERS), self)
        self.table = QTableView()
        self.table.setModel(self.table_model)
        self.table.setAccessibleName("Chiffres détaillés")
        leave_on_tab(self.table)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        detail_box = QWidget()
        detail = QVBoxLayout(detail_box)
        detail.setContentsMargins(0, 0, 0, 0)
        detail_bar = QHBoxLayout()
        detail_bar.addWidget(caption("Détail par :", self.breakdown))
        detail_bar.addWidget(self.breakdown)
        detail_bar.addStretch(1)
        detail.addLayout(detail_bar)
        detail.addWidget(self.table, 1)

        # The detail table has many columns: the manager can widen it over the motifs chart.
        self.bottom = QSplitter(Qt.Orientation.Horizontal)
        motifs = QScrollArea()  # many motifs: rows stay readable and scroll
        motifs.setWidgetResizable(True)
        motifs.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        motifs.setWidget(self.motifs_chart)
        # The chart itself takes the focus (Entrée opens its table): the frame around it is
        # not a stop of its own, nameless for a screen reader.
        motifs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        motifs.setAccessibleName("Graphique des motifs")
        self.bottom.addWidget(motifs)
        self.bottom.addWidget(detail_box)
        self.bottom.setChildrenCollapsible(False)
        self.bottom.setStretchFactor(0, 2)
        self.bottom.setStretchFactor(1, 3)
        self.bottom.setSizes([400, 600])
        charts = QGridLayout()
        charts.addWidget(self.days_chart, 0, 0)
        charts.addWidget(self.hours_chart, 0, 1)
        charts.addWidget(self.bottom, 1, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(grid)
        layout.addLayout(charts, 1)

        self.preset.setCurrentText("Mois")
        self.preset.currentTextChanged.connect(self._preset_changed)
        self.refresh_button.clicked.connect(self.load)
        self.breakdown.currentIndexChanged.connect(self._refill_table)
        self._preset_changed("Mois")

    def _preset_changed(self, preset: str) -> None:
        if preset == "Période libre":
            return
        start, end = preset_range(preset, local_today(self.services.ctx.clock))
        self.start.setDate(qdate(start))
        self.end.setDate(qdate(end))
        if self.shown_once:  # before that, the first show loads the current month
            self.load()

    def load(self) -> None:
        start, end = day_of(self.start), day_of(self.end)
        stats, actor = self.services.office.stats, self.actor
        self.status.setText("Calcul en cours…")
        self.refresh_button.setEnabled(False)
        run_in_background(lambda: stats.report(actor, start, end), self.show_report,
                          self._failed)
        if actor.may("recepisse.follow"):  # today's state, whatever the period shown
            recepisse = self.services.recepisse
            run_in_background(lambda: recepisse.counts(actor), self.show_recepisses,
                              lambda exc: self.kpis["recepisses"].show_value(
                                  "—", exc.message if isinstance(exc, RdvError) else str(exc)),
                              owner=self)

    def show_recepisses(self, counts: RecepisseCounts) -> None:
        """Complete dossiers whose récépissé is still to hand over (R431-12), today."""
        self.kpis["recepisses"].show_value(str(counts.pending),
                                           f"dont {counts.overdue} en retard")

    def _failed(self, exc: Exception) -> None:
        self.refresh_button.setEnabled(True)
        self.status.setText(exc.message if isinstance(exc, RdvError) else f"Erreur : {exc}")
        announce(self.status, self.status.text(), assertive=True)

    def show_report(self, report: StatsReport) -> None:
        self.report = report
        self.refresh_button.setEnabled(True)
        self.status.setText(f"Du {report.start:%d/%m/%Y} au {report.end:%d/%m/%Y}")
        t = report.totals
        k = self.kpis
        k["appointments"].show_value(str(t.appointments), f"dont {t.cancelled} annulés")
        k["arrivals"].show_value(str(t.arrivals), f"{t.pending} en cours")
        k["no_show"].show_value(pct(t.no_show_rate), f"{t.no_show} absents")
        k["deposits"].show_value(str(t.deposited), f"+ {t.incomplete} incomplets")
        k["complete"].show_value(pct(t.completeness_rate))
        k["redirected"].show_value(str(t.redirected))
        k["wait"].show_value(minutes(t.mean_wait_minutes),
                             f"{ordinal(90)} centile {minutes(report.wait.p90_minutes)} · médiane "
                             f"{minutes(report.wait.p50_minutes)}")
        k["service"].show_value(minutes(t.mean_service_minutes),
                                f"{ordinal(90)} centile {minutes(report.service.p90_minutes)} · "
                                f"médiane {minutes(report.service.p50_minutes)}")
        self._charts(report)
        self._table(report)

    def _charts(self, report: StatsReport) -> None:
        def label(day: date) -> str:
            return f"{MONTHS_SHORT[day.month - 1]} {day:%y}" if report.series_by_month \
                else f"{day:%d/%m}"

        series = [(name, COLORS[key], [getattr(f, key) for _, f in report.series])
                  for name, key in OUTCOMES]
        self.days_chart.title = ("Rendez-vous par mois, selon l'issue" if report.series_by_month
                                 else "Rendez-vous par jour, selon l'issue")
        self.days_chart.set_data([label(d) for d, _ in report.series], series)
        self.hours_chart.set_data([b.label for b in report.by_hour], [
            ("Rendez-vous", COLORS["other"], [b.figures.appointments for b in report.by_hour])])
        motifs = list(report.by_motif)
        self.motifs_chart.set_data([b.short_label for b in motifs], [
            (name, COLORS[key], [getattr(b.figures, key) for b in motifs])
            for name, key in OUTCOMES], full_labels=[b.label for b in motifs])

    def _refill_table(self) -> None:
        if self.report is not None:
            self._table(self.report)

    def _table(self, report: StatsReport) -> None:
        attribute = self.breakdown.currentData()
        rows: list[Breakdown] = list(getattr(report, attribute))
        per_person = attribute in PER_COUNTER_OR_AGENT
        if per_person:  # « Sans guichet / agent » are the never-called: no one's figures
            rows = [b for b in rows if b.key]
        # Absent people never reach a counter or an agent: the column only speaks for motifs
        # and slot hours.
        self.table.setColumnHidden(TABLE_HEADERS.index("Absence"), per_person)
        # The first column is named after what its rows are (« Guichet », « Motif »…).
        self.table_model.columns = (self.breakdown.currentText(), *TABLE_HEADERS[1:])
        self.table_model.set_rows([
            (b.label, str(b.figures.appointments), str(b.figures.deposited),
             pct(b.figures.completeness_rate),
             minutes(b.figures.mean_wait_minutes), bucket(b.wait_p90),
             minutes(b.figures.mean_service_minutes), bucket(b.service_p90),
             pct(b.figures.no_show_rate), str(b.figures.incomplete),
             str(b.figures.redirected))
            for b in rows])
        self.table.resizeColumnsToContents()
        # Long motif labels would push the figures out of sight; the rest is elided.
        self.table.setColumnWidth(0, min(self.table.columnWidth(0), LABEL_COLUMN_MAX_PX))
