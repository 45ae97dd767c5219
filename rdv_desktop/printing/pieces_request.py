"""« Demande de pièces complémentaires »: the dossier is registered, some pieces are awaited.

R431-11 (as amended in June 2025) has missing pieces *requested* with a reasonable deadline
rather than the dossier refused. The letter keeps the deposit date and the dossier number in
view (they decide, for a renewal, whether the request was on time), lists what to send, by
when, and the three ways to send it.
"""

from __future__ import annotations

from rdv_desktop.printing import layout as L
from rdv_desktop.printing import notices
from rdv_desktop.printing.data import PiecesRequestData
from rdv_desktop.printing.flow import Flow
from rdv_desktop.printing.fonts import BOLD, REGULAR
from rdv_desktop.printing.french import fr_date, fr_long_date, fr_time

TITLE = "Demande de pièces complémentaires"


def render_pieces_request(data: PiecesRequestData) -> bytes:
    """The request as PDF bytes."""
    flow = Flow(
        title=TITLE,
        footer=f"{TITLE} — dossier n° {data.dossier_number} — {data.site.prefecture}",
        author=data.site.prefecture,
        duplicate_printed_at=data.duplicate_printed_at,
    )
    flow.site_header(data.site)
    flow.space(L.GAP_SECTION_MM)
    flow.text(TITLE, font=BOLD, size=L.SIZE_TITLE)
    flow.text(f"Dossier n° {data.dossier_number}", font=BOLD, size=L.SIZE_NUMBER)
    when = data.deposited_at
    flow.text(f"Déposé le {fr_date(when)} à {fr_time(when)} — agent : {data.agent_id}",
              size=L.SIZE_NOTE)
    flow.space(L.GAP_SECTION_MM)
    flow.boxed([
        (notices.REGISTERED_WITH_PIECES, BOLD, L.SIZE_BODY),
        (f"À envoyer au plus tard le {fr_long_date(data.due_by)}.", BOLD, L.SIZE_BODY + 1.5),
    ])
    flow.space(L.GAP_SECTION_MM)
    flow.applicant(data.applicant)
    flow.space(L.GAP_SECTION_MM)
    flow.heading("Demande")
    flow.field("Motif", data.motif_label)
    flow.space(L.GAP_SECTION_MM)

    keep = L.SIZE_LIST * L.LEADING
    section = f"Pièces à envoyer ({len(data.pieces_to_send)})"
    flow.heading(section, keep_with=keep)
    flow.pieces(data.pieces_to_send, section=section, box=True)
    flow.space(L.GAP_SECTION_MM)

    flow.heading("Comment les transmettre", keep_with=keep * 3)
    for line in _ways(data):
        flow.text(line, size=L.SIZE_BODY)
    flow.text(notices.BRING_HOW, size=L.SIZE_NOTE, grey=0.25)
    flow.space(L.GAP_SMALL_MM)
    flow.text(notices.LATE_PIECES, size=L.SIZE_NOTE, font=REGULAR)
    flow.space(L.GAP_SECTION_MM)
    flow.text(notices.RGPD_TITLE, font=BOLD, size=L.SIZE_NOTE)
    flow.text(notices.rgpd_notice(data.site), size=L.SIZE_NOTICE, grey=0.2,
              leading_factor=L.LEADING_LIST)
    return flow.finish()


def _ways(data: PiecesRequestData) -> list[str]:
    """Post, e-mail (when the site has one), the desk without appointment."""
    site = data.site
    ref = f"en rappelant le numéro de dossier {data.dossier_number}"
    post = site.pieces_address or f"{site.prefecture}, {site.service}, {site.address}"
    ways = [f"• Par courrier, {ref}, à : {post}."]
    if site.email:
        ways.append(f"• Par courriel à {site.email}, {ref} dans l'objet (pièces scannées "
                    "lisibles, au format PDF).")
    hours = f" ({site.desk_hours})" if site.desk_hours else ""
    ways.append(f"• À l'accueil de la préfecture, sans rendez-vous{hours}, avec cette lettre.")
    return ways
