"""The app's date fields: French day/month/year, a calendar to pick from, a name for screen
readers (and for tests, which find widgets by it)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def day_of(field: QDateEdit) -> date:
    """The field's day (its QDate's toPython() is typed as returning object)."""
    d = field.date()
    return date(d.year(), d.month(), d.day())


def date_field(day: date | None, name: str) -> QDateEdit:
    field = QDateEdit(qdate(day)) if day is not None else QDateEdit()
    field.setCalendarPopup(True)
    field.setDisplayFormat("dd/MM/yyyy")
    field.setAccessibleName(name)
    return field


def period_fields(start: date, end: date) -> tuple[QDateEdit, QDateEdit]:
    """« Du » and « Au » fields of a period filter."""
    return date_field(start, "Du"), date_field(end, "Au")
