"""A day at the counter driven through the real widgets, checked against the database."""

from __future__ import annotations

from datetime import date, time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox
from sqlalchemy import select

from rdv_desktop.models import AuditEvent, Dossier
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.core.clock import FixedClock
from rdv_desktop.services.counter.booking import NewAppointment
from rdv_desktop.services.setup import Services
from rdv_desktop.ui.checklist_dialog import ChecklistDialog
from rdv_desktop.ui.main_window import MainWindow
from tests.gui.conftest import checklist_setup, settle

DAY = date(2026, 11, 26)


def book(services: Services, accueil: Actor, name: str, motif: str, hour: int) -> int:
    return services.booking.create(accueil, NewAppointment(
        name, "Test", DAY, time(hour, 0), motif, date(1990, 1, 1))).id


def press(window: MainWindow, qtbot, name: str) -> None:
    window.queue.actions_by_name[name].trigger()
    settle(qtbot, window)


def open_dialog(window: MainWindow, qtbot) -> ChecklistDialog:
    press(window, qtbot, "call_next")
    press(window, qtbot, "serve")
    dialogs = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, ChecklistDialog) and w.isVisible()]
    assert len(dialogs) == 1
    return dialogs[0]


def situation(dialog: ChecklistDialog, code: str) -> QCheckBox:
    return dialog.situation_boxes[code]


def actions(services: Services, appointment_id: int) -> list[str]:
    with services.ctx.db.read() as s:
        return list(s.scalars(select(AuditEvent.action).where(
            AuditEvent.appointment_id == appointment_id).order_by(AuditEvent.id)))


def test_a_day_at_the_counter(qtbot, window: MainWindow, services: Services, accueil: Actor,
                              agent: Actor, clock: FixedClock) -> None:
    complete = book(services, accueil, "Complet", "AES_SALARIE", 10)
    partial = book(services, accueil, "Incomplet", "RETRAITE", 10)
    anef = book(services, accueil, "Anef", "AES_VPF", 10)
    absent = book(services, accueil, "Absent", "APATRIDE", 9)
    for aid in (complete, partial, anef):
        services.appointments.check_in(accueil, aid, accept_timing=True)
        clock.advance(minutes=1)
    window.queue.reload()
    settle(qtbot, window)

    # 1. Complete deposit: keyboard marks, a timbre, Ctrl+Return.
    dialog = open_dialog(window, qtbot)
    assert dialog.view.id == complete
    assert not dialog.deposit_button.isEnabled()
    situation(dialog, "entree_irreguliere").setChecked(True)
    dialog.table.setFocus()
    dialog.table.selectRow(0)
    for _ in range(dialog.model.rowCount()):
        qtbot.keyClick(dialog.table, Qt.Key.Key_R)
    assert dialog.model.blocking_missing() == []
    qtbot.keyClicks(dialog.timbres.number, "1111 2222 3333 4444")
    assert dialog.deposit_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert not dialog.isVisible()
    number = services.dossiers.latest_for(complete).number
    assert number == "CANTAL-2026-000001"
    with services.ctx.db.read() as s:
        d = s.scalar(select(Dossier).where(Dossier.number == number))
        assert [t.number for t in d.timbres] == ["1111222233334444"]
        assert all(p.status in ("received", "not_applicable") for p in d.pieces)
    assert actions(services, complete)[-4:] == ["start_service", "dossier_registered",
                                                "outcome", "attestation_printed"]

    # 2. Incomplete: two pieces missing, a new appointment and its convocation.
    dialog = open_dialog(window, qtbot)
    assert dialog.view.id == partial
    dialog.model.mark_all_received()
    dialog.table.selectRow(0)
    qtbot.keyClick(dialog.table, Qt.Key.Key_M)
    qtbot.keyClick(dialog.table, Qt.Key.Key_M)
    assert len(dialog.model.blocking_missing()) == 2
    assert not dialog.deposit_button.isEnabled() and dialog.incomplete_button.isEnabled()
    dialog.rebook.setChecked(True)
    dialog.incomplete_button.click()
    settle(qtbot, window)
    assert services.appointments.get(partial).outcome == "incomplete"
    dossier = services.dossiers.latest_for(partial)
    assert dossier.number is None and len(dossier.missing) == 2
    rebooked = [v for v in services.appointments.day(agent, date(2026, 12, 10))
                if v.family_name == "Incomplet"]
    assert len(rebooked) == 1

    # 3. Wrong motif corrected to an ANEF one, then redirected.
    dialog = open_dialog(window, qtbot)
    assert dialog.view.id == anef
    motif = next(w for w in dialog.findChildren(QComboBox) if w.accessibleName() == "Motif")
    motif.setCurrentIndex(motif.findData("ETRANGER_MALADE"))
    assert dialog.redirect_button.isVisible() and not dialog.deposit_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_A,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    settle(qtbot, window)
    view = services.appointments.get(anef)
    assert view.outcome == "redirected" and view.motif_code == "ETRANGER_MALADE"
    assert "motif_corrected" in actions(services, anef)

    # 4. Undo the deposit: the attestation is revoked, the number is never reused.
    window.queue.select_appointment(complete)
    services.appointments.undo(agent, complete, "pièce d'identité expirée")
    assert services.dossiers.get(number).revoked

    # 5. Close the day: only the one who never came, after the grace period.
    clock.advance(hours=2)
    press(window, qtbot, "close_day")
    assert services.appointments.get(absent).outcome == "no_show"
    assert "Journée clôturée : 1" in window.queue.message.text()


def test_conditional_pieces_follow_situations(qtbot, window: MainWindow, services: Services,
                                              accueil: Actor) -> None:
    cases = {
        "AES_SALARIE": ("hotel", "DOM_HOTEL"),
        "VPF_LIENS_PERSO": ("marie_ou_pacse", "FAMILLE"),
    }
    for motif, (flag, piece) in cases.items():
        aid = book(services, accueil, f"Cas {motif}", motif, 10)
        view = services.appointments.get(aid)
        dialog = ChecklistDialog(services, accueil, view, window.executor,
                                 checklist_setup(services))
        qtbot.addWidget(dialog)

        def applies(code: str, dialog: ChecklistDialog = dialog) -> bool:
            return next(r.line.applies for r in dialog.model.rows
                        if r.line.piece.code == code)

        assert not applies(piece)
        situation(dialog, flag).setChecked(True)
        assert applies(piece)
        situation(dialog, flag).setChecked(False)
        assert not applies(piece)


def test_the_request_type_is_one_input(qtbot, window: MainWindow, services: Services,
                                       accueil: Actor) -> None:
    """« Type de demande » drives the renewal pieces; no situation box repeats it."""
    view = services.appointments.get(book(services, accueil, "Renouvelle", "RETRAITE", 10))
    dialog = ChecklistDialog(services, accueil, view, window.executor,
                             checklist_setup(services))
    qtbot.addWidget(dialog)
    assert not {"renouvellement", "changement_statut"} & set(dialog.situation_boxes)

    def applies(code: str) -> bool:
        return next(r.line.applies for r in dialog.model.rows if r.line.piece.code == code)

    assert not applies("TITRE_PREC")
    dialog.kind.setCurrentText("Renouvellement")
    assert applies("TITRE_PREC")
    dialog.kind.setCurrentText("Première demande")
    assert not applies("TITRE_PREC")


def test_pieces_to_complete_register_the_deposit(qtbot, window: MainWindow, services: Services,
                                                 accueil: Actor, agent: Actor) -> None:
    aid = book(services, accueil, "Acompleter", "AES_SALARIE", 10)
    services.appointments.check_in(accueil, aid, accept_timing=True)
    window.queue.reload()
    settle(qtbot, window)
    dialog = open_dialog(window, qtbot)
    dialog.model.mark_all_received()
    domicile = next(i for i, r in enumerate(dialog.model.rows)
                    if r.line.piece.code == "DOMICILE")
    dialog.table.selectRow(domicile)
    qtbot.keyClick(dialog.table, Qt.Key.Key_M)
    assert dialog.model.blocking_missing() == [] and len(dialog.model.to_complete()) == 1
    assert "À compléter" in dialog.missing.text() and "Bloquantes" not in dialog.missing.text()
    assert dialog.deposit_button.isEnabled() and not dialog.incomplete_button.isEnabled()
    assert "pièces à compléter" in dialog.deposit_button.text()
    identity = next(i for i, r in enumerate(dialog.model.rows)
                    if r.line.piece.code == "IDENTITE")
    dialog.table.selectRow(identity)
    qtbot.keyClick(dialog.table, Qt.Key.Key_M)
    assert "Bloquantes" in dialog.missing.text()
    assert not dialog.deposit_button.isEnabled() and dialog.incomplete_button.isEnabled()
    dialog.table.selectRow(identity)
    qtbot.keyClick(dialog.table, Qt.Key.Key_R)
    dialog.deposit_button.click()
    settle(qtbot, window)
    assert not dialog.isVisible()
    dossier = services.dossiers.latest_for(aid)
    assert dossier.number == "CANTAL-2026-000001" and len(dossier.missing) == 1
    assert actions(services, aid)[-2:] == ["attestation_printed", "pieces_request_printed"]


def test_the_motif_limits_show_in_red(qtbot, window: MainWindow, services: Services,
                                      accueil: Actor) -> None:
    aid = services.booking.create(accueil, NewAppointment(
        "Tardif", "Test", DAY, time(10, 0), "VPF_ENTRE_AVANT_13", date(2000, 5, 1))).id
    dialog = ChecklistDialog(services, accueil, services.appointments.get(aid),
                             window.executor, checklist_setup(services))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.limits.isVisible()
    assert "Demande hors délai : né(e) le 01/05/2000, 26 ans" in dialog.limits.text()
    dialog.motif.setCurrentIndex(dialog.motif.findData("AES_SALARIE"))
    assert not dialog.limits.isVisible()


def test_undo_through_the_reason_dialog(qtbot, window: MainWindow, services: Services,
                                        accueil: Actor) -> None:
    from rdv_desktop.ui.reason_dialog import ReasonDialog

    aid = book(services, accueil, "Erreur", "RETRAITE", 10)
    services.appointments.check_in(accueil, aid)
    window.queue.reload()
    settle(qtbot, window)
    press(window, qtbot, "call_next")
    window.queue.select_appointment(aid)
    press(window, qtbot, "undo")
    dialog = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, ReasonDialog) and w.isVisible())
    assert not any(b.isEnabled() for b in dialog.buttons.buttons() if b.text() == "Valider")
    qtbot.keyClicks(dialog.edit, "mauvais guichet")
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert services.appointments.get(aid).stage.value == "en attente"
    assert "Étape annulée" in window.queue.message.text()


def test_day_list_prints_every_row(services: Services, accueil: Actor, agent: Actor) -> None:
    import io

    from pypdf import PdfReader

    for i in range(45):
        book(services, accueil, f"Liste{i:02d}", "RETRAITE", 8 + i % 9)
    doc = services.documents.day_list(agent, DAY)
    reader = PdfReader(io.BytesIO(doc.pdf))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert len(reader.pages) == 2
    assert all(f"LISTE{i:02d}" in text for i in range(45))


def test_a_late_renewal_shows_and_the_booked_kind_is_chosen(qtbot, window: MainWindow,
                                                            services: Services,
                                                            accueil: Actor) -> None:
    aid = services.booking.create(accueil, NewAppointment(
        "Tardif", "Test", DAY, time(10, 0), "SALARIE_TT", request_kind="Renouvellement",
        titre_expires_on=date(2026, 11, 2))).id
    dialog = ChecklistDialog(services, accueil, services.appointments.get(aid),
                             window.executor, checklist_setup(services))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.kind.currentText() == "Renouvellement"
    assert "Renouvellement tardif : titre expiré le 02/11/2026" in dialog.limits.text()
    dialog.kind.setCurrentText("Changement de statut")
    assert not dialog.limits.isVisible()
