"""An original leaves the station once; every later print or save from its window is a counted,
audited DUPLICATA."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import func, select

from rdv_desktop.models import AuditEvent, Dossier
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.core.clock import PARIS
from rdv_desktop.services.counter.dossiers import DepositRequest
from rdv_desktop.services.counter.piece_checks import PieceCheck, checklist
from rdv_desktop.services.setup import Services
from rdv_desktop.ui.main_window import MainWindow
from tests.flows import at_counter, deposit
from tests.gui.conftest import settle


def text_of(path: Path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(path).pages)


def reprints(services: Services, number: str) -> tuple[int, int]:
    with services.ctx.db.read() as s:
        count = s.scalar(select(Dossier.reprint_count).where(Dossier.number == number))
        audited = s.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "attestation_reprinted", AuditEvent.entity_id == number))
    return int(count or 0), int(audited or 0)


def test_the_original_once_then_duplicates(qtbot, tmp_path: Path, window: MainWindow,
                                           services: Services, agent: Actor,
                                           accueil: Actor) -> None:
    number = deposit(services, agent, at_counter(services, accueil, agent)).number
    assert number is not None
    original = services.documents.attestation(agent, number, reprint=False)
    dialog = window.show_document(original, auto_print=False)
    assert dialog.print_button.text() == "&Imprimer"

    dialog.save_to(str(tmp_path / "original.pdf"))
    assert (tmp_path / "original.pdf").read_bytes() == original.pdf
    assert "DUPLICATA" not in text_of(tmp_path / "original.pdf")
    assert dialog.print_button.text() == "Imprimer un &duplicata"
    assert "toute autre impression sera un duplicata" in dialog.status.text()
    assert reprints(services, number) == (0, 0)

    dialog.save_to(str(tmp_path / "copie.pdf"))
    settle(qtbot, window)
    assert "DUPLICATA" in text_of(tmp_path / "copie.pdf")
    assert reprints(services, number) == (1, 1)

    dialog.print_button.click()  # no printer here: the duplicate is made, counted, refused
    settle(qtbot, window)
    qtbot.waitUntil(lambda: "non imprimé" in dialog.status.text(), timeout=10_000)
    assert reprints(services, number) == (2, 2)


def test_an_original_that_did_not_print_is_still_the_original(
        qtbot, window: MainWindow, services: Services, agent: Actor, accueil: Actor) -> None:
    number = deposit(services, agent, at_counter(services, accueil, agent)).number
    assert number is not None
    original = services.documents.attestation(agent, number, reprint=False)
    dialog = window.show_document(original, auto_print=True)  # no printer: it fails
    # While it is on its way, a second click would ask for a duplicate, never a second original.
    assert dialog.original_out and dialog.print_button.text() == "Imprimer un &duplicata"
    qtbot.waitUntil(lambda: "non imprimé" in dialog.status.text(), timeout=10_000)
    assert not dialog.original_out and dialog.print_button.text() == "&Imprimer"
    assert reprints(services, number) == (0, 0)


def test_a_duplicate_of_a_missing_pieces_list_names_the_new_appointment(
        services: Services, agent: Actor, accueil: Actor) -> None:
    appointment = at_counter(services, accueil, agent)
    info = services.catalogue.current().motif("AES_SALARIE")
    checks = tuple(PieceCheck(line.piece.code, "missing" if line.piece.blocking else
                              "received" if line.applies else "not_applicable")
                   for line in checklist(info, frozenset({"entree_irreguliere"})))
    result = services.counter.register_incomplete(
        agent, DepositRequest(appointment, "AES_SALARIE", "Première demande",
                              frozenset({"entree_irreguliere"}), checks, ()),
        rebook_at=datetime(2026, 12, 10, 9, 30, tzinfo=PARIS))
    listing = next(d for d in result.documents if d.kind == "missing_pieces")
    copy = services.documents.duplicate_of(agent, listing)
    assert copy.duplicate and copy.subject == listing.subject
    text = PdfReader(BytesIO(copy.pdf)).pages[0].extract_text()
    assert "10/12/2026" in text and "DUPLICATA" in text
