"""Short motif labels are the catalogue's: written in the file, kept in the database (and given
to older databases by migration 0009), edited on the catalogue screen, shown in tight tables and
charts with the full label on hover."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import text

from rdv_desktop.models.db import Database
from rdv_desktop.models.migrate import upgrade
from rdv_desktop.services.catalogue import MotifDraft, PieceDraft, save_motif
from rdv_desktop.services.catalogue.catalogue_file import (
    CatalogueError,
    load_catalogue_file,
    parse_catalogue,
)
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.counter.booking import NewAppointment
from rdv_desktop.services.setup import Services
from rdv_desktop.ui.queue_model import QueueModel
from tests.catalogue.test_catalogue_corrections import HEAD, MOTIF, SHIPPED
from tests.flows import TODAY


def test_every_shipped_motif_has_its_own_short_label() -> None:
    spec = load_catalogue_file(SHIPPED)
    shorts = [m.rules.short for m in spec.motifs]
    assert all(0 < len(s) <= 40 for s in shorts)
    assert len(set(shorts)) == len(shorts)  # two motifs never read alike in a chart
    assert spec.motif("AES_VPF").rules.short == "AES – VPF"


def test_a_long_short_label_is_named() -> None:
    with pytest.raises(CatalogueError, match=r"motifs\[0\]\.short: 40 caractères au plus"):
        parse_catalogue(HEAD + MOTIF + f'short = "{"x" * 41}"\n', "t.toml")


def test_migration_0009_gives_older_databases_the_shipped_short_labels(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    upgrade(db, "0008")
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO catalogue_version (id, version, valid_from, source, loaded_at, "
            "loaded_by, current) VALUES (1, '2026.12-1', '2026-11-30', 'x', "
            "'2026-11-30 08:00:00', 'system', 1)"))
        for i, code in ((1, "AES_VPF"), (2, "MOTIF_LOCAL")):
            conn.execute(text(
                "INSERT INTO motif (id, catalogue_version_id, code, label, ceseda_ref, "
                "anef_redirect, redirect_note, note, active) VALUES (:i, 1, :c, 'Libellé', "
                "'L1', 0, '', '', 1)"), {"i": i, "c": code})
    upgrade(db)
    with db.engine.connect() as conn:
        shorts = dict(conn.execute(text("SELECT code, short_label FROM motif")).tuples().all())
    assert shorts == {"AES_VPF": "AES – VPF", "MOTIF_LOCAL": ""}
    db.dispose()


def test_the_short_label_is_edited_and_shown_in_the_queue(qapp, services: Services,
                                                          manager: Actor,
                                                          accueil: Actor) -> None:
    view = services.booking.create(accueil, NewAppointment(
        "Diallo", "Aïssatou", TODAY, time(10, 0), "AES_VPF"))
    assert view.motif_shown == "AES – VPF"
    assert view.motif_label.startswith("Admission exceptionnelle au séjour")
    model = QueueModel(services.ctx.clock.now)
    model.reset_rows([view])
    cell = model.index(0, 3)
    assert model.data(cell) == "AES – VPF"
    assert model.data(cell, Qt.ItemDataRole.ToolTipRole) == view.motif_label

    spec = services.office.catalogue_editor.current(manager)
    motif = spec.motif("AES_VPF")
    pieces = tuple(PieceDraft(code, spec.piece(code).label, spec.piece(code).requirement,
                              spec.piece(code).condition) for code in motif.piece_codes)
    save_motif(services.office.catalogue_editor, manager, MotifDraft(
        "AES_VPF", motif.label, motif.ceseda, pieces, short="AES – vie privée"))
    assert services.catalogue.current().motif("AES_VPF").short_label == "AES – vie privée"
    again = services.appointments.get(view.id)
    assert again.motif_shown == "AES – vie privée"
