"""Shared test steps: bring an appointment to the counter and register a dossier, the real way."""

from __future__ import annotations

from datetime import date, time

from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.counter.booking import NewAppointment
from rdv_desktop.services.counter.dossiers import DepositRequest, DossierView, TimbreEntry
from rdv_desktop.services.counter.piece_checks import PieceCheck, checklist
from rdv_desktop.services.setup import Services

TODAY = date(2026, 11, 26)


def at_counter(services: Services, accueil: Actor, agent: Actor, *, name: str = "Nguyễn",
               given: str = "Thị Ánh", motif: str = "AES_SALARIE", hour: time = time(10, 0)
               ) -> int:
    view = services.booking.create(accueil, NewAppointment(
        name, given, TODAY, hour, motif, date(1991, 3, 14), "Hà Nội", "vietnamienne"))
    services.appointments.check_in(accueil, view.id, accept_timing=True)
    services.appointments.call(agent, view.id)
    services.appointments.start_service(agent, view.id)
    return view.id


def deposit(services: Services, agent: Actor, appointment_id: int, *, motif: str = "AES_SALARIE",
            situations: frozenset[str] = frozenset({"entree_irreguliere"}),
            missing: frozenset[str] = frozenset()) -> DossierView:
    info = services.catalogue.current().motif(motif)
    checks = tuple(
        PieceCheck(line.piece.code,
                   "missing" if line.piece.code in missing
                   else "received" if line.applies else "not_applicable")
        for line in checklist(info, situations))
    timbres = (TimbreEntry("1234567890123456", 10000),) if not missing else ()
    return services.dossiers.register(agent, DepositRequest(
        appointment_id, motif, "Première demande", situations, checks, timbres))
