"""Injectable time: services ask the clock for "now", so tests can set the day and the hour."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from ... import french

PARIS = ZoneInfo("Europe/Paris")


class Clock(Protocol):
    def now(self) -> datetime:
        """An aware datetime."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class FixedClock:
    """A clock that stays where a test puts it."""

    current: datetime = field(default_factory=lambda: datetime.now(UTC))

    def now(self) -> datetime:
        return self.current

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            when = when.replace(tzinfo=PARIS)
        self.current = when

    def advance(self, **delta: float) -> None:
        self.current = self.current + timedelta(**delta)


def local(when: datetime) -> datetime:
    return when.astimezone(PARIS)


def local_today(clock: Clock) -> date:
    return local(clock.now()).date()


def at_paris(day: date, hour: time) -> datetime:
    return datetime.combine(day, hour, tzinfo=PARIS)


# How the services' sentences write dates and times: the package-wide French module.
fr_date = french.fr_date
fr_time = french.fr_time
fr_datetime = french.fr_datetime


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the month's end: 31/01 + 1 → 28/02."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")
