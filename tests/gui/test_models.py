"""Every table model of the UI under Qt's model testers, on real data, through the changes the
screens make: resets, row inserts and removals, in-place updates, edits, filters and paging.

Each model gets both of pytest-qt's testers: Qt's own C++ QAbstractItemModelTester (which fails
the test through a Qt warning) and pytest-qt's Python port (which also checks the Python types
returned for the standard roles). Both stay attached, so every later change is checked too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, time

import pytest
from PySide6.QtCore import QAbstractItemModel, QSortFilterProxyModel, Qt
from pytestqt.modeltest import ModelTester

from rdv_desktop.services.catalogue.motif_editing import PieceDraft
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.counter.booking import NewAppointment
from rdv_desktop.services.office.admin import AuditFilter
from rdv_desktop.services.office.review import ReviewFilter
from rdv_desktop.services.setup import Services
from rdv_desktop.ui.admin_users import UserModel
from rdv_desktop.ui.audit_log_panel import AuditModel
from rdv_desktop.ui.checklist_model import ChecklistModel
from rdv_desktop.ui.piece_draft_model import LABEL, REQUIREMENT, PieceDraftModel
from rdv_desktop.ui.queue_filter import QueueFilter
from rdv_desktop.ui.queue_model import QueueModel
from rdv_desktop.ui.review_model import SORT_ROLE, ReviewModel
from rdv_desktop.ui.table_model import TextRowsModel
from tests.conftest import make_actor
from tests.flows import TODAY, at_counter, deposit

pytestmark = pytest.mark.gui

Check = Callable[[QAbstractItemModel], None]


@pytest.fixture
def check(qtmodeltester: ModelTester, request: pytest.FixtureRequest) -> Iterator[Check]:
    """Attach Qt's tester and the Python one to a model; they stay attached to the end.

    The `qtmodeltester` fixture holds one tester, which a second check() would replace: the
    first model gets it, later models get testers of the same class, cleaned up the same way.
    """
    testers: list[ModelTester] = []

    def attach(model: QAbstractItemModel) -> None:
        qt = qtmodeltester if not testers else ModelTester(request.config)
        qt.check(model)  # Qt's C++ QAbstractItemModelTester
        python = ModelTester(request.config)
        python.check(model, force_py=True)
        testers.extend((qt, python))

    yield attach
    for tester in testers:
        if tester is not qtmodeltester:
            tester._cleanup()  # as the qtmodeltester fixture does for its own tester


def book(services: Services, accueil: Actor, name: str, hour: int, motif: str | None,
         day: date = TODAY) -> int:
    return services.booking.create(accueil, NewAppointment(
        name, "Awa", day, time(hour, 0), motif, date(1990, 1, 2), "Dakar", "sénégalaise")).id


def test_queue_model_and_its_filter(check: Check, services: Services, accueil: Actor,
                                    agent: Actor) -> None:
    deposited = at_counter(services, accueil, agent, name="Çelik", hour=time(9, 0))
    deposit(services, agent, deposited)
    serving = at_counter(services, accueil, agent, name="Diallo", motif="RETRAITE",
                         hour=time(9, 30))
    waiting = book(services, accueil, "Nguyen", 10, "AES_SALARIE")
    services.appointments.check_in(accueil, waiting, accept_timing=True)
    unsure = book(services, accueil, "Sans Motif", 11, None)
    cancelled = book(services, accueil, "Martin", 12, "RETRAITE")
    services.appointments.cancel(accueil, cancelled, "demande de la personne")
    views = services.appointments.day(agent, TODAY)
    assert len(views) == 5

    model = QueueModel(services.ctx.clock.now)
    proxy = QueueFilter()
    proxy.setSourceModel(model)
    check(model)
    check(proxy)

    model.reset_rows([v for v in views if v.id in (deposited, cancelled)])
    assert proxy.rowCount() == 2
    by_id = {v.id: v for v in views}
    assert model.upsert([by_id[waiting], by_id[serving], by_id[unsure]]) == [1, 1, 3]
    assert [model.view_at(r).id for r in range(model.rowCount())] == [
        deposited, serving, waiting, unsure, cancelled]

    proxy.set_stage("en attente")
    assert proxy.rowCount() == 1
    services.appointments.call(agent, waiting, 2)  # guichet 1 is busy with Diallo
    assert model.upsert([services.appointments.get(waiting)]) == [2]
    assert proxy.rowCount() == 0  # called: no longer waiting, the filter drops the row
    proxy.set_stage("")
    proxy.set_motif("RETRAITE")
    assert proxy.rowCount() == 2
    proxy.set_motif("")
    proxy.set_search("celik")
    assert proxy.rowCount() == 1
    model.upsert([services.appointments.get(deposited)])  # unchanged: no signal, same row
    proxy.set_search("")
    assert proxy.rowCount() == 5

    services.ctx.clock.advance(minutes=20)  # type: ignore[attr-defined]
    model.refresh_times()
    assert model.index(model.row_of(waiting), 5).data() != ""
    assert model.index(model.row_of(unsure), 3).data(Qt.ItemDataRole.ToolTipRole)
    model.reset_rows([])
    assert proxy.rowCount() == 0
    model.refresh_times()  # an empty queue: nothing to repaint


def test_checklist_model_through_marks_and_situations(check: Check, services: Services) -> None:
    catalogue = services.catalogue.current()
    motif = catalogue.motif("AES_SALARIE")
    model = ChecklistModel()
    check(model)
    model.set_situations(frozenset({"hotel"}))  # nothing loaded yet: ignored

    model.load(motif, frozenset())
    assert model.rowCount() == len(motif.pieces)
    hotel = next(i for i, r in enumerate(model.rows) if r.line.piece.condition == "hotel")
    assert model.rows[hotel].status == "not_applicable"

    model.mark(0, "received")
    model.mark(1, "missing")
    assert model.setData(model.index(1, 2), "  copie illisible ")
    assert not model.setData(model.index(1, 1), "reçu")  # the status is not typed in
    assert model.index(1, 2).data() == "copie illisible"

    model.set_situations(frozenset({"hotel", "entree_irreguliere"}))
    assert model.rows[hotel].status is None and model.rows[hotel].line.applies
    model.mark(hotel, "received")
    model.set_situations(frozenset())
    assert model.rows[hotel].status == "received"  # the agent's mark is kept
    assert not model.rows[hotel].line.applies
    assert model.index(hotel, 0).data(Qt.ItemDataRole.ForegroundRole) is not None

    model.mark_all_received()
    received, counted = model.progress()
    assert received == counted and not model.blocking_missing()
    assert model.rows[1].note == "copie illisible"

    other = catalogue.motif("RETRAITE")
    model.load(other, frozenset({"renouvellement"}))
    assert model.rowCount() == len(other.pieces)


def test_piece_draft_model_edited_in_place(check: Check, services: Services) -> None:
    motif = services.catalogue.current().motif("AES_SALARIE")
    drafts = [PieceDraft(p.code, p.label, p.requirement, p.condition) for p in motif.pieces]
    model = PieceDraftModel()
    check(model)
    model.set_drafts(drafts)
    assert model.rowCount() == len(drafts)
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(model.index(0, LABEL)) & Qt.ItemFlag.ItemIsEditable

    assert model.setData(model.index(0, LABEL), "Formulaire signé")
    assert model.setData(model.index(0, REQUIREMENT), "optional")
    assert not model.setData(model.index(0, REQUIREMENT), "souhaitée")
    assert not model.setData(model.index(0, 0), "AUTRE_CODE")
    assert model.setData(model.index(0, 3), "  hotel ")
    assert model.drafts[0] == PieceDraft(drafts[0].code, "Formulaire signé", "optional", "hotel")
    assert model.index(0, REQUIREMENT).data() == "facultative"
    assert model.index(0, REQUIREMENT).data(Qt.ItemDataRole.EditRole) == "optional"

    row = model.append(PieceDraft(None, "Nouvelle pièce", "required"))
    assert model.index(row, 0).data() == "(nouvelle)"
    model.swap(0, row)
    model.remove(row)
    model.remove(0)
    assert model.rowCount() == len(drafts) - 1
    assert model.codes() == [d.code for d in drafts[1:]]
    model.set_drafts([])
    assert model.rowCount() == 0


def test_review_model_and_its_sorted_view(check: Check, services: Services, accueil: Actor,
                                          agent: Actor, manager: Actor) -> None:
    deposit(services, agent, at_counter(services, accueil, agent, name="Çelik"))
    deposit(services, agent, at_counter(services, accueil, agent, name="Diallo",
                                        hour=time(10, 30)),
            missing=frozenset({"AES_SALARIE_CERFA_15186"}))
    rows = services.office.review.list(manager, ReviewFilter(TODAY, TODAY))
    assert len(rows) == 2

    model = ReviewModel()
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.sort(5, Qt.SortOrder.DescendingOrder)
    check(model)
    check(proxy)
    model.set_rows(rows[:1])
    model.set_rows(rows)
    assert model.rowCount() == 2

    marked = services.office.review.mark(manager, [rows[1].dossier_id], "to_redo", "Timbre")
    model.update_rows(marked)
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    states = [proxy.index(r, 7).data() for r in range(proxy.rowCount())]
    assert states[1] == marked[0].review_label
    assert model.index(1, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    model.set_rows([])


def test_audit_model_pages(check: Check, services: Services, manager: Actor,
                           accueil: Actor) -> None:
    for hour in range(9, 15):  # a few more audited actions than one page holds
        book(services, accueil, f"Personne {hour}", hour, "RETRAITE")
    flt = AuditFilter(TODAY, TODAY)
    total = services.office.admin.audit_count(manager, flt)
    admin = services.office.admin

    model = AuditModel()
    check(model)
    requests: list[bool] = []
    model.more_wanted.connect(lambda: requests.append(True))
    model.set_entries(admin.audit_page(manager, flt, size=4))
    pages = 1
    while True:
        if model.canFetchMore():  # as a view does at the end of the rows (the testers too)
            model.fetchMore()
        if not model.fetching:
            break
        assert not model.canFetchMore()  # one request on its way at a time
        model.append_page(admin.audit_page(manager, flt, model.next, size=4))
        pages += 1
    assert model.rowCount() == total > 8
    assert len(requests) == pages - 1 == -(-total // 4) - 1
    model.set_entries(admin.audit_page(manager, flt, size=4))
    model.stop_fetching()
    assert not model.canFetchMore() and model.rowCount() == 4


def test_user_model(check: Check, services: Services, agent: Actor) -> None:
    adm = make_actor(services, "adm", {"admin"})
    model = UserModel()
    check(model)
    model.set_users(services.users.list_users(adm))
    assert model.rowCount() == 2
    model.replace(services.users.set_active(adm, "agent1", False))
    row = [u.login for u in model.users].index("agent1")
    assert model.index(row, 3).data() == "non — désactivé"
    assert model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole) is not None
    model.set_users([])


def test_text_rows_model(check: Check, services: Services) -> None:
    site = services.office.admin.site(make_actor(services, "adm", {"admin"}))
    rows = [(str(n), label, "oui" if active else "non — fermé")
            for n, label, active in site.counters]
    model = TextRowsModel(("Numéro", "Libellé", "Ouvert"))
    check(model)
    model.set_rows(rows)
    assert model.rowCount() == len(rows) > 1
    assert model.text(1, 1) == rows[1][1]
    assert model.index(0, 2).data(Qt.ItemDataRole.AccessibleTextRole) == "oui"
    model.set_rows(rows[:1])
    model.set_rows([])
