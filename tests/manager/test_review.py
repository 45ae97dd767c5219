"""Review list filters, detail with checklist and trail, audited « contrôlé » / « à reprendre »."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from rdv_desktop.errors import ValidationError
from rdv_desktop.models import AuditEvent
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.office.review import ReviewFilter
from rdv_desktop.services.setup import Services

from .conftest import TODAY

START = TODAY - timedelta(days=14)


def test_list_filters(history: Services, manager: Actor) -> None:
    review = history.office.review
    rows = review.list(manager, ReviewFilter(START, TODAY))
    assert rows and all(r.review_state is None for r in rows)
    complete = review.list(manager, ReviewFilter(START, TODAY, complete=True))
    incomplete = review.list(manager, ReviewFilter(START, TODAY, complete=False))
    assert len(complete) + len(incomplete) == len(rows)
    assert all(r.number for r in complete) and all(r.missing_count for r in incomplete)
    motif = rows[0].motif_code
    assert {r.motif_code for r in review.list(manager, ReviewFilter(START, TODAY,
                                                                   motif_code=motif))} == {motif}
    counter = next(r.counter_number for r in rows if r.counter_number)
    by_counter = review.list(manager, ReviewFilter(START, TODAY, counter_number=counter))
    assert by_counter and {r.counter_number for r in by_counter} == {counter}


def test_mark_selection_and_detail(history: Services, manager: Actor) -> None:
    review = history.office.review
    rows = review.list(manager, ReviewFilter(START, TODAY))
    ids = [r.dossier_id for r in rows[:3]]
    with pytest.raises(ValidationError, match="à reprendre"):
        review.mark(manager, ids, "to_redo", "  ")
    assert all(r.review_state is None for r in review.list(manager, ReviewFilter(START, TODAY)))
    marked = review.mark(manager, ids, "checked")
    assert [r.review_label for r in marked] == ["contrôlé"] * 3
    review.mark(manager, ids[:1], "to_redo", "Photo non conforme")
    redo = review.list(manager, ReviewFilter(START, TODAY, review_state="to_redo"))
    assert [r.dossier_id for r in redo] == ids[:1]
    assert redo[0].review_comment == "Photo non conforme"
    todo = review.list(manager, ReviewFilter(START, TODAY, review_state="none"))
    assert len(todo) == len(rows) - 3
    detail = review.detail(manager, ids[0])
    assert detail.pieces and detail.finished_at is not None
    actions = [e.action for e in detail.trail]
    assert actions.count("dossier_reviewed") == 2 and "dossier_registered" in actions
    with history.ctx.db.read() as s:
        audited = s.scalars(select(AuditEvent).where(AuditEvent.action == "dossier_reviewed")
                            ).all()
    assert len(audited) == 4
    assert audited[-1].reason == "Photo non conforme"
    assert audited[-1].before["review_state"] == "checked"
