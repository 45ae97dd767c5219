"""The monthly PDF report renders a full month and an empty one."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from rdv_desktop.errors import ValidationError
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.office.monthly_report import parse_month
from rdv_desktop.services.setup import Services


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "".join(p.extract_text() for p in reader.pages)


def test_month_with_history(history: Services, manager: Actor) -> None:
    pages, text = pdf_text(history.office.monthly_report(manager, 2026, 11))
    assert pages == 2
    report = history.office.stats.report(manager, *_november())
    assert str(report.totals.appointments) in text
    assert "Rendez-vous par jour" in text and "Motifs" in text and "Définitions" in text


def _november():
    from datetime import date

    return date(2026, 11, 1), date(2026, 11, 30)


def test_empty_month(services: Services, manager: Actor) -> None:
    pages, text = pdf_text(services.office.monthly_report(manager, 2020, 2))
    assert pages >= 1 and "février 2020" in text and "—" in text


def test_parse_month() -> None:
    assert parse_month("2026-02") == (2026, 2)
    for bad in ("2026-13", "02/2026", "2026-2"):
        with pytest.raises(ValidationError, match="AAAA-MM"):
            parse_month(bad)
