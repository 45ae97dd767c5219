"""Every typed text is capped in the services: a 10,000-character reason, note, comment, label
or search gets a French sentence naming the field, and nothing is written (both databases)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import func, select

from rdv_desktop.errors import ValidationError
from rdv_desktop.models import AuditEvent
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.counter.dossiers import DepositRequest
from rdv_desktop.services.counter.piece_checks import PieceCheck
from rdv_desktop.services.setup import Services
from tests.flows import TODAY, at_counter, deposit

HUGE = "=HYPERLINK(\"http://x\")" + "é" * 10_000


def audit_rows(services: Services) -> int:
    with services.ctx.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def test_ten_thousand_characters_are_refused_everywhere(
        services: Services, admin: Actor, manager: Actor, agent: Actor,
        accueil: Actor) -> None:
    other = at_counter(services, accueil, agent, name="Ahmadi", given="Nasrin")
    done = deposit(services, agent, other)
    appointment = at_counter(services, accueil, agent)
    assert done.number is not None
    office = services.office
    attempts: dict[str, Callable[[], object]] = {
        "Raison de l'annulation": lambda: services.appointments.undo(agent, other, HUGE),
        "Motif de l'annulation": lambda: services.appointments.cancel(admin, appointment, HUGE),
        "Motif de la révocation": lambda: services.dossiers.revoke(admin, done.number or "",
                                                                   HUGE),
        "Note de la pièce": lambda: services.dossiers.register(agent, DepositRequest(
            appointment, "AES_SALARIE", "Première demande", frozenset(),
            (PieceCheck("FORMULAIRE", "received", HUGE),), ())),
        "Commentaire": lambda: office.review.mark(manager, [done.id], "to_redo", HUGE),
        "Nom du site": lambda: office.admin.update_site(admin, HUGE, "", ""),
        "Libellé du guichet": lambda: office.admin.add_counter(admin, HUGE),
        "Libellé du tarif": lambda: office.admin.add_fee(admin, "X", HUGE, 100,
                                                         date(2027, 1, 1)),
        "Libellé du motif": lambda: office.catalogue_editor.edit_motif(
            manager, "AES_SALARIE", label=HUGE),
        "Libellé de la pièce": lambda: office.catalogue_editor.edit_piece(
            manager, "FORMULAIRE", label=HUGE),
        "Nom affiché": lambda: services.users.create_user(
            admin, "nouvel.agent", HUGE, {"agent"}, "Un-mot-de-passe-2026"),
        "Recherche": lambda: services.checkin.search(accueil, HUGE, TODAY),
    }
    before = audit_rows(services)
    for label, attempt in attempts.items():
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert refused.value.message.startswith(label), refused.value.message
        assert "caractères au plus" in refused.value.message
    assert audit_rows(services) == before  # nothing written, not even half


@pytest.mark.parametrize("text", ["ligne\x00nulle", "bip\x07", "retour\u2028ligne"])
def test_control_characters_are_refused_in_a_reason(services: Services, agent: Actor,
                                                    accueil: Actor, text: str) -> None:
    other = at_counter(services, accueil, agent)
    deposit(services, agent, other)
    with pytest.raises(ValidationError, match="caractère de contrôle"):
        services.appointments.undo(agent, other, text)
