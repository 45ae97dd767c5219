"""The monthly report: the month's statistics turned into the printed report's plain data."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select

from ...errors import ValidationError
from ...models import Site
from ...printing.data import SiteInfo
from ...printing.french import MONTHS
from ...printing.monthly_report import (
    HourBar,
    Kpi,
    MonthlyReportData,
    OutcomeBar,
    render_monthly_report,
)
from ..core.actor import Actor
from ..stats.service import Breakdown, Figures, StatsReport, StatsService, month_bounds
from ..stats.stats_format import bucket, minutes, percent

NOTES = (
    "Jour d'un rendez-vous : la date du créneau. Heure : l'heure du créneau.",
    "Taux d'absence : absents / (arrivés + absents). Complétude : déposés / (déposés + "
    "incomplets).",
    "Attente : de l'arrivée à l'appel ; service : du début à la fin du passage au guichet.",
    "Médiane et 90ᵉ centile : rang le plus proche, sur les durées arrondies à la minute "
    "inférieure.",
    "Par guichet et par agent, « 90 % » donne la tranche du 90ᵉ centile : « < 25 min » veut "
    "dire que 90 % des personnes ont attendu (ou été servies) moins de 25 minutes.",
    "Motifs abrégés : AES admission exceptionnelle au séjour, APS autorisation provisoire de "
    "séjour, ASE aide sociale à l'enfance, CS carte de séjour, CST carte de séjour temporaire, "
    "OACAS organisme d'accueil communautaire et d'activités solidaires, TT travailleur "
    "temporaire, VPF vie privée et familiale.",
)


def parse_month(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise ValidationError(f"Mois invalide « {text} » : format AAAA-MM attendu.")
    return int(match[1]), int(match[2])


def _bar(label: str, f: Figures) -> OutcomeBar:
    other = f.cancelled + f.pending
    return OutcomeBar(label, f.deposited, f.incomplete, f.redirected, f.no_show, other)


def _table(items: tuple[Breakdown, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(
        (b.label, str(b.figures.appointments), str(b.figures.deposited),
         str(b.figures.incomplete), percent(b.figures.completeness_rate),
         minutes(b.figures.mean_wait_minutes), bucket(b.wait_p90),
         minutes(b.figures.mean_service_minutes), bucket(b.service_p90))
        for b in items if b.key)


def report_data(report: StatsReport, site: SiteInfo, year: int, month: int,
                generated_at: datetime) -> MonthlyReportData:
    t = report.totals
    kpis = (
        Kpi("Rendez-vous", str(t.appointments), f"dont {t.cancelled} annulés"),
        Kpi("Arrivées", str(t.arrivals)),
        Kpi("Taux d'absence", percent(t.no_show_rate), f"{t.no_show} absents"),
        Kpi("Dossiers déposés", str(t.deposited), f"+ {t.incomplete} incomplets"),
        Kpi("Taux de complétude", percent(t.completeness_rate)),
        Kpi("Réorientations ANEF", str(t.redirected)),
        Kpi("Attente moyenne", minutes(t.mean_wait_minutes),
            f"90ᵉ centile {minutes(report.wait.p90_minutes)}\n"
            f"médiane {minutes(report.wait.p50_minutes)}"),
        Kpi("Service moyen", minutes(t.mean_service_minutes),
            f"90ᵉ centile {minutes(report.service.p90_minutes)}\n"
            f"médiane {minutes(report.service.p50_minutes)}"),
    )
    by_day = dict(report.series)
    start, end = report.start, report.end
    days = tuple(_bar(f"{d:%d}", by_day.get(d, Figures()))
                 for d in (start.fromordinal(o) for o in range(start.toordinal(),
                                                                end.toordinal() + 1))
                 if d.weekday() < 5 or d in by_day)
    hours = tuple(HourBar(b.label, b.figures.appointments, b.figures.mean_wait_minutes)
                  for b in report.by_hour)
    return MonthlyReportData(
        site=site, title=f"Rapport mensuel — {MONTHS[month - 1]} {year}",
        period=f"Du {start:%d/%m/%Y} au {end:%d/%m/%Y}", generated_at=generated_at,
        kpis=kpis, days=days, hours=hours,
        motifs=tuple(_bar(b.short_label, b.figures) for b in report.by_motif),  # « AES – VPF »
        counters=_table(report.by_counter), agents=_table(report.by_agent), notes=NOTES)


def monthly_report(stats: StatsService, actor: Actor, year: int, month: int) -> bytes:
    """The month's report as PDF bytes (manager permission « stats »)."""
    start, end = month_bounds(year, month)
    report = stats.report(actor, start, end)
    ctx = stats.ctx
    with ctx.db.read(long=True) as s:
        site = s.scalar(select(Site).where(Site.code == ctx.site_code))
        info = SiteInfo(site.name, site.service, site.address, site.code) if site else \
            SiteInfo(ctx.site_code, "", "", ctx.site_code)
    return render_monthly_report(report_data(report, info, year, month, ctx.clock.now()))
