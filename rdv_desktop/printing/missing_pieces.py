"""« Liste des pièces manquantes »: handed over when the dossier is incomplete.

It must leave no doubt that nothing was registered as deposited (the applicant cannot use it
as proof of a deposit date), and tell precisely what to bring and how to come back.
"""

from __future__ import annotations

from rdv_desktop.printing import layout as L
from rdv_desktop.printing import notices
from rdv_desktop.printing.data import MissingPiecesData
from rdv_desktop.printing.flow import Flow
from rdv_desktop.printing.fonts import BOLD, REGULAR
from rdv_desktop.printing.french import fr_date, fr_long_date, fr_time

TITLE = "Liste des pièces manquantes"


def render_missing_pieces(data: MissingPiecesData) -> bytes:
    """The list of missing pieces as PDF bytes."""
    flow = Flow(
        title=TITLE,
        footer=f"{TITLE} — référence {data.reference} — {data.site.prefecture}",
        author=data.site.prefecture,
        duplicate_printed_at=data.duplicate_printed_at,
    )
    flow.site_header(data.site)
    flow.space(L.GAP_SECTION_MM)
    flow.text(TITLE, font=BOLD, size=L.SIZE_TITLE)
    flow.text(f"Référence : {data.reference}", font=BOLD, size=L.SIZE_BODY)
    when = data.checked_at
    flow.text(
        f"Dossier vérifié le {fr_date(when)} à {fr_time(when)} — agent : {data.agent_id}",
        size=L.SIZE_NOTE,
    )
    flow.space(L.GAP_SECTION_MM)
    flow.boxed(
        [
            (notices.NOT_DEPOSITED, BOLD, L.SIZE_BODY + 1.0),
            (notices.NOT_AN_ATTESTATION, REGULAR, L.SIZE_BODY),
        ]
    )
    flow.space(L.GAP_SECTION_MM)

    flow.applicant(data.applicant)
    flow.space(L.GAP_SECTION_MM)
    flow.heading("Demande")
    flow.field("Motif", data.motif_label)
    flow.field("Référence CESEDA", data.ceseda_ref)
    flow.space(L.GAP_SECTION_MM)

    keep = L.SIZE_LIST * L.LEADING
    if data.pieces_blocking:
        blocking = f"Pièces indispensables manquantes ({len(data.pieces_blocking)})"
        flow.heading(blocking, keep_with=keep * 2)
        flow.text(notices.WHY_BLOCKING, size=L.SIZE_NOTE)
        flow.pieces(data.pieces_blocking, section=blocking, box=True)
        flow.space(L.GAP_SECTION_MM)
    others = tuple(p for p in data.pieces_missing if p not in data.pieces_blocking)
    if others:
        missing = (f"Autres pièces à apporter ({len(others)})" if data.pieces_blocking
                   else f"Pièces manquantes ({len(others)})")
        flow.heading(missing, keep_with=keep)
        flow.pieces(others, section=missing, box=True)
        flow.space(L.GAP_SECTION_MM)
    if data.pieces_received:
        received = f"Pièces déjà présentées ({len(data.pieces_received)})"
        flow.heading(received, keep_with=keep)
        flow.pieces(data.pieces_received, section=received)
        flow.space(L.GAP_SECTION_MM)

    flow.heading("Pour revenir", keep_with=keep * 2)
    if data.next_appointment is not None:
        slot = data.next_appointment
        flow.text(
            f"Prochain rendez-vous : {fr_long_date(slot)} à {fr_time(slot)} ({fr_date(slot)})",
            font=BOLD,
            size=L.SIZE_BODY + 1.0,
        )
    if data.how_to_come_back:
        flow.text(data.how_to_come_back)
    flow.text(notices.BRING_HOW, size=L.SIZE_NOTE, grey=0.25)
    flow.space(L.GAP_SECTION_MM * 2)
    flow.text(notices.RGPD_TITLE, font=BOLD, size=L.SIZE_NOTE)
    flow.text(
        notices.rgpd_notice(data.site), size=L.SIZE_NOTICE, grey=0.2, leading_factor=L.LEADING_LIST
    )
    return flow.finish()
