"""A lost convocation is reprinted as a DUPLICATA with the same signed code, audited as such:
from the queue (selected row), the arrival desk (person found) and `rdv-admin`."""

from __future__ import annotations

import io
from datetime import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from rdv_desktop.cli import main
from rdv_desktop.models import AuditEvent
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.setup import Services
from rdv_desktop.ui.document_dialog import DocumentDialog
from rdv_desktop.ui.main_window import MainWindow
from tests.arrival.conftest import Book, shown_window
from tests.conftest import make_actor, password_of

LONG_ARABIC = "عبد الرحمن بن عبد العزيز الهاشمي القرشي"
LONG_LATIN = "Mbappé-Ndiaye-Rakotomalala-Ørsted-Ali de la Fontaine-Lefèvre-Diop"


def reprints(services: Services) -> list[tuple[str, int | None, str]]:
    with services.ctx.db.read() as s:
        return [(e.action, e.user_id, e.entity_id) for e in s.scalars(
            select(AuditEvent).where(AuditEvent.action.like("convocation_%"))
            .order_by(AuditEvent.id))]


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def shown_document(qtbot, window: MainWindow) -> DocumentDialog:
    qtbot.waitUntil(lambda: bool(window.findChildren(DocumentDialog)), timeout=10000)
    return window.findChildren(DocumentDialog)[-1]


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_desk_reprints_the_convocation_of_the_person_found(
        qtbot, services: Services, accueil: Actor, book: Book) -> None:
    view = book(LONG_ARABIC, LONG_LATIN)
    window = shown_window(qtbot, services, accueil)
    desk = window.checkin
    assert desk is not None
    desk.search.setText(view.reference)
    with qtbot.waitSignal(desk.search_done, timeout=10000):
        desk.run_search()
    desk.results.setCurrentRow(0)
    desk.reprint_button.click()
    document = shown_document(qtbot, window)
    assert document.doc.title == f"Convocation {view.reference}"
    assert "duplicata" in document.doc.filename
    text = pdf_text(document.doc.pdf)
    assert "DUPLICATA" in text and "Réimprimé le" in text
    assert LONG_LATIN in text  # on one line, whole
    original = pdf_text(services.documents.convocation(accueil, view.id).pdf)
    code = next(line for line in original.splitlines() if line.startswith(view.reference))
    assert code in text  # the same signed check-in code as on the lost paper
    assert reprints(services) == [("convocation_reprinted", accueil.user_id, str(view.id)),
                                  ("convocation_printed", accueil.user_id, str(view.id))]


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_queue_reprints_a_booked_row_and_refuses_a_closed_one(
        qtbot, services: Services, agent: Actor, accueil: Actor, book: Book) -> None:
    booked, gone = book(), book("Petrov", "Ivan", hour=time(11, 0))
    services.appointments.cancel(accueil, gone.id, "annulé par téléphone")
    window = shown_window(qtbot, services, agent)
    queue = window.queue
    file_menu = [a.text() for a in window.file_menu.actions()]
    assert "Réimprimer la convocation (duplicata)" in file_menu
    queue.select_appointment(gone.id)
    queue.actions_by_name["reprint_convocation"].trigger()
    assert "clôturé" in queue.message.text() and reprints(services) == []
    queue.select_appointment(booked.id)
    queue.actions_by_name["reprint_convocation"].trigger()
    document = shown_document(qtbot, window)
    assert document.doc.title == f"Convocation {booked.reference}"
    assert reprints(services) == [("convocation_reprinted", agent.user_id, str(booked.id))]


def test_rdv_admin_reprint_convocation(services: Services, book: Book, db_url: str,
                                       tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    view = book(LONG_ARABIC, "Nour")
    chief = make_actor(services, "alice", {"admin", "manager"})
    services.keys.generate(chief)  # in tmp_path/keys, where the command's station looks
    conf = tmp_path / "config.toml"
    conf.write_text(f'[keys]\ndir = "{tmp_path / "keys"}"\n[station]\npdf_dir = '
                    f'"{tmp_path / "pdf"}"\n', encoding="utf-8")
    monkeypatch.setenv("RDV_CONFIG", str(conf))
    monkeypatch.delenv("RDV_DB_URL", raising=False)
    out = tmp_path / "duplicata.pdf"

    def run(*args: str, admin: bool = True) -> int:
        monkeypatch.setattr("sys.stdin", io.StringIO(password_of("alice") + "\n"))
        who = ["--admin", "alice", "--admin-password-stdin"] if admin else []
        return main(["--db", db_url, *who, "reprint-convocation", *args])

    assert run(view.reference, "--out", str(out), admin=False) == 2
    assert "au nom d'un administrateur" in capsys.readouterr().err and not out.exists()
    assert run("RDV-000000-NOPE42", "--out", str(out)) == 2
    assert capsys.readouterr().err == ("rdv-admin : Aucun rendez-vous de référence "
                                       "« RDV-000000-NOPE42 ».\n")
    assert run(view.reference.lower(), "--out", str(out)) == 0  # typed in lower case
    assert f"convocation {view.reference}" in capsys.readouterr().out
    assert "DUPLICATA" in pdf_text(out.read_bytes())
    assert reprints(services) == [("convocation_reprinted", chief.user_id, str(view.id))]
    services.appointments.cancel(chief, view.id, "annulé par téléphone")
    assert run(view.reference, "--out", str(out)) == 2
    assert "clôturé" in capsys.readouterr().err
