"""The audit log pages (newest first, by time then id) instead of stopping at a cap: every
matching row is reached exactly once, the count says how many there are, on SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from rdv_desktop.errors import PermissionDenied
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.office.admin import AUDIT_PAGE, AuditFilter, AuditPage
from rdv_desktop.services.setup import Services
from tests.audit_rows import matching_ids, seed_audit

from .conftest import TODAY

FIRST_DAY = date(2026, 11, 1)


def every_page(services: Services, actor: Actor, flt: AuditFilter, size: int = AUDIT_PAGE,
               start: AuditPage | None = None) -> list[AuditPage]:
    """`start` (or the first page), then every page after it."""
    pages = [start or services.office.admin.audit_page(actor, flt, size=size)]
    while pages[-1].has_more:
        pages.append(services.office.admin.audit_page(actor, flt, pages[-1].next, size))
        assert len(pages) < 100, "paging does not end"
    return pages


def test_pages_reach_every_row_once_newest_first(services: Services, manager: Actor) -> None:
    seed_audit(services, 1_234, FIRST_DAY, 26)
    flt = AuditFilter(FIRST_DAY, TODAY)
    expected = matching_ids(services, flt)
    assert len(expected) > 2 * AUDIT_PAGE

    pages = every_page(services, manager, flt)
    assert [len(p.entries) for p in pages[:-1]] == [AUDIT_PAGE] * (len(pages) - 1)
    assert 0 < len(pages[-1].entries) <= AUDIT_PAGE and pages[-1].next is None
    assert [e.id for p in pages for e in p.entries] == expected
    assert services.office.admin.audit_count(manager, flt) == len(expected)
    assert [e.id for e in services.office.admin.audit_log(manager, flt)] == expected


def test_filters_hold_on_every_page(services: Services, manager: Actor) -> None:
    seed_audit(services, 600, FIRST_DAY, 20)
    flt = AuditFilter(date(2026, 11, 4), date(2026, 11, 15), login=" Bruno ", action="call")
    expected = matching_ids(services, AuditFilter(flt.start, flt.end, "bruno", "call"))
    assert 20 < len(expected) < 600

    pages = every_page(services, manager, flt, size=7)
    entries = [e for p in pages for e in p.entries]
    assert [e.id for e in entries] == expected
    assert {(e.user_login, e.action) for e in entries} == {("bruno", "call")}
    assert services.office.admin.audit_count(manager, flt) == len(expected)
    assert services.office.admin.audit_count(
        manager, AuditFilter(flt.start, flt.end, action="call")) > len(expected)
    nothing = AuditFilter(flt.start, flt.end, login="personne")
    assert services.office.admin.audit_page(manager, nothing) == AuditPage((), False)
    assert services.office.admin.audit_count(manager, nothing) == 0


def test_rows_written_while_reading_do_not_shift_the_pages(services: Services,
                                                           manager: Actor) -> None:
    """An offset would repeat a row for each one written meanwhile; the cursor does not."""
    seed_audit(services, 50, TODAY, 1)
    flt = AuditFilter(TODAY, TODAY + timedelta(days=1))
    expected = matching_ids(services, flt)
    first = services.office.admin.audit_page(manager, flt, size=20)
    seed_audit(services, 30, TODAY + timedelta(days=1), 1)  # newer rows, still in the period
    rest = [e.id for p in every_page(services, manager, flt, size=20, start=first)[1:]
            for e in p.entries]
    assert [e.id for e in first.entries] + rest == expected


def test_rows_of_the_same_instant_split_across_pages(services: Services,
                                                     manager: Actor) -> None:
    """Ties on the time are broken by the id, so a page boundary inside them loses none."""
    seed_audit(services, 25, TODAY, 0)
    flt = AuditFilter(TODAY, TODAY, login="alice")
    expected = matching_ids(services, flt)
    assert len({e.at for e in services.office.admin.audit_log(manager, flt)}) == 1
    pages = every_page(services, manager, flt, size=3)
    assert len(pages) == 3 and [e.id for p in pages for e in p.entries] == expected


def test_page_size_is_capped_and_reading_needs_the_permission(services: Services,
                                                              manager: Actor,
                                                              agent: Actor) -> None:
    seed_audit(services, AUDIT_PAGE + 10, TODAY, 1)
    page = services.office.admin.audit_page(manager, AuditFilter(TODAY, TODAY), size=10**6)
    assert len(page.entries) == AUDIT_PAGE and page.has_more
    for read in (services.office.admin.audit_page, services.office.admin.audit_count):
        with pytest.raises(PermissionDenied):
            read(agent, AuditFilter(TODAY, TODAY))
    refusals = services.office.admin.audit_log(
        manager, AuditFilter(TODAY, TODAY, login="agent1", action="permission_denied"))
    assert len(refusals) == 2
