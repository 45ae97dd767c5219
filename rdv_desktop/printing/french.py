"""French dates, times and amounts, without the OS locale.

A counter PC's locale is whatever IT installed; the printed documents must say « jeudi » and
« 50,00 € » regardless, so the names are spelled here.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
NBSP = "\u00a0"


def _paris() -> tzinfo | None:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Europe/Paris")
    except Exception:  # no tz database (Windows without the tzdata package)
        return None


_PARIS = _paris()


def local(moment: datetime) -> datetime:
    """Wall-clock time in Paris for an aware datetime; a naive one is taken as already local."""
    if moment.tzinfo is None or _PARIS is None:
        return moment
    return moment.astimezone(_PARIS)


def fr_date(day: date) -> str:
    """26/11/2026"""
    if isinstance(day, datetime):
        day = local(day)
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def fr_time(moment: datetime) -> str:
    """14:32"""
    moment = local(moment)
    return f"{moment.hour:02d}:{moment.minute:02d}"


def fr_datetime(moment: datetime) -> str:
    """26/11/2026 14:32"""
    return f"{fr_date(moment)} {fr_time(moment)}"


def fr_long_date(day: date) -> str:
    """jeudi 26 novembre 2026 (« 1er » for the first of the month)."""
    if isinstance(day, datetime):
        day = local(day)
    number = "1er" if day.day == 1 else str(day.day)
    return f"{WEEKDAYS[day.weekday()]} {number} {MONTHS[day.month - 1]} {day.year}"


def fr_euros(cents: int) -> str:
    """1 234,50 € — no-break spaces so the amount never splits across lines."""
    euros, rest = divmod(abs(cents), 100)
    grouped = f"{euros:,}".replace(",", NBSP)
    sign = "-" if cents < 0 else ""
    return f"{sign}{grouped},{rest:02d}{NBSP}€"
