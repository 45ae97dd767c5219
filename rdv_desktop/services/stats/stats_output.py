"""A statistics report as plain data: a JSON document or `;`-separated rows (CLI, exports)."""

from __future__ import annotations

from typing import Any

from .service import Breakdown, Figures, MinuteBucket, StatsReport

ROW_HEADERS = (
    "Dimension", "Clé", "Libellé", "Rendez-vous", "Annulés", "Absents", "Arrivées", "Déposés",
    "Incomplets", "Réorientés", "En cours", "Taux d'absence (%)", "Taux de complétude (%)",
    "Attente moyenne (min)", "Durée moyenne du service (min)",
    "Attente : 90e centile (min)", "Service : 90e centile (min)",
)
DIMENSION_LABELS = {"all": "Total", "motif": "Motif", "counter": "Guichet", "agent": "Agent",
                    "hour": "Heure"}


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def figures_dict(f: Figures) -> dict[str, Any]:
    return {
        "appointments": f.appointments, "cancelled": f.cancelled, "no_show": f.no_show,
        "arrivals": f.arrivals, "deposits": f.deposits, "deposited": f.deposited,
        "incomplete": f.incomplete, "redirected": f.redirected, "pending": f.pending,
        "no_show_rate": _round(f.no_show_rate, 4),
        "completeness_rate": _round(f.completeness_rate, 4),
        "mean_wait_minutes": _round(f.mean_wait_minutes, 2),
        "mean_service_minutes": _round(f.mean_service_minutes, 2),
    }


def _bucket(bucket: MinuteBucket | None) -> list[int | None] | None:
    return None if bucket is None else [bucket.lower, bucket.upper]


def _breakdown(items: tuple[Breakdown, ...]) -> list[dict[str, Any]]:
    return [{"key": b.key, "label": b.label, **figures_dict(b.figures),
             "wait_p90_bucket_minutes": _bucket(b.wait_p90),
             "service_p90_bucket_minutes": _bucket(b.service_p90)} for b in items]


def report_dict(report: StatsReport) -> dict[str, Any]:
    return {
        "from": report.start.isoformat(),
        "to": report.end.isoformat(),
        "totals": figures_dict(report.totals),
        "wait": {"count": report.wait.count, "median_minutes": report.wait.p50_minutes,
                 "p90_minutes": report.wait.p90_minutes},
        "service": {"count": report.service.count, "median_minutes": report.service.p50_minutes,
                    "p90_minutes": report.service.p90_minutes},
        "percentile_definition": "nearest rank on whole minutes",
        "breakdown_percentile_definition":
            "nearest rank on bucketed minutes: [lower, upper) of the bucket, upper null = open",
        "by_motif": _breakdown(report.by_motif),
        "by_counter": _breakdown(report.by_counter),
        "by_agent": _breakdown(report.by_agent),
        "by_hour": _breakdown(report.by_hour),
    }


def _fr(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:.{digits}f}".replace(".", ",")


def _pct(rate: float | None) -> float | None:
    return None if rate is None else rate * 100


def _minutes_span(bucket: MinuteBucket | None) -> str:
    """A bucket as whole minutes, « 20 à 24 » or « 240 et plus »."""
    if bucket is None:
        return ""
    if bucket.upper is None:
        return f"{bucket.lower} et plus"
    return f"{bucket.lower} à {bucket.upper - 1}"


def _row(dim: str, key: str, label: str, f: Figures, p90: tuple[str, str]) -> list[str]:
    return [DIMENSION_LABELS[dim], key, label, *(str(v) for v in (
        f.appointments, f.cancelled, f.no_show, f.arrivals, f.deposited, f.incomplete,
        f.redirected, f.pending)), _fr(_pct(f.no_show_rate)), _fr(_pct(f.completeness_rate)),
        _fr(f.mean_wait_minutes), _fr(f.mean_service_minutes), *p90]


def report_rows(report: StatsReport) -> list[list[str]]:
    """One row for the totals (exact 90th percentiles), then one per motif, counter, agent and
    hour (the bucket holding their 90th percentile)."""
    wait, service = report.wait.p90_minutes, report.service.p90_minutes
    exact = ("" if wait is None else str(wait), "" if service is None else str(service))
    rows = [_row("all", "", "Total", report.totals, exact)]
    for dim, items in (("motif", report.by_motif), ("counter", report.by_counter),
                       ("agent", report.by_agent), ("hour", report.by_hour)):
        rows.extend(_row(dim, b.key, b.label, b.figures,
                         (_minutes_span(b.wait_p90), _minutes_span(b.service_p90)))
                    for b in items)
    return rows
