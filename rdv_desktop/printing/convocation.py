"""« Convocation »: the appointment letter the préfecture prints itself (Hérault-style channel).

The person brings it to the arrival desk, where its signed QR is scanned to check them in;
the human code under the QR lets the desk type it when the scanner fails. The pieces to bring
are tick boxes so the applicant can prepare the dossier in list order.
"""

from __future__ import annotations

from rdv_desktop.printing import layout as L
from rdv_desktop.printing import notices
from rdv_desktop.printing.data import ConvocationData
from rdv_desktop.printing.flow import MM, Flow
from rdv_desktop.printing.fonts import BOLD, REGULAR
from rdv_desktop.printing.french import fr_date, fr_long_date, fr_time

TITLE = "Convocation"
QR_HELP = "Code d'enregistrement à l'accueil. Il ne contient aucune donnée personnelle."


def render_convocation(data: ConvocationData) -> bytes:
    """The convocation as PDF bytes."""
    flow = Flow(
        title=TITLE,
        footer=f"{TITLE} — rendez-vous {data.booking_reference} — {data.site.prefecture}",
        author=data.site.prefecture,
        duplicate_printed_at=data.duplicate_printed_at,
    )
    qr_bottom = flow.qr_column(data.checkin_payload, data.human_code, QR_HELP)
    left_width = flow.width - (L.QR_SIZE_MM + L.QR_COLUMN_GUTTER_MM) * MM
    flow.site_header(data.site, max_width=left_width)
    flow.space(L.GAP_SECTION_MM)
    flow.text(TITLE, font=BOLD, size=L.SIZE_TITLE + 4, max_width=left_width)
    flow.text(
        "à un rendez-vous pour le dépôt d'une demande de titre de séjour", max_width=left_width
    )
    flow.space(L.GAP_SECTION_MM)
    slot = data.slot
    flow.text(f"Le {fr_long_date(slot)}", font=BOLD, size=L.SIZE_WHEN, max_width=left_width)
    flow.text(f"à {fr_time(slot)}", font=BOLD, size=L.SIZE_WHEN + 4, max_width=left_width)
    flow.text(
        f"({fr_date(slot)} {fr_time(slot)})", size=L.SIZE_NOTE, grey=0.35, max_width=left_width
    )
    flow.space(L.GAP_SECTION_MM)
    flow.text("Référence du rendez-vous", size=L.SIZE_NOTE, grey=0.35, max_width=left_width)
    flow.text(data.booking_reference, font=BOLD, size=L.SIZE_SITE + 1, max_width=left_width)
    flow.y = min(flow.y, qr_bottom) - L.GAP_SECTION_MM * MM

    flow.heading("Lieu")
    flow.text(f"{data.site.prefecture} — {data.site.service}")
    flow.text(data.site.address, font=BOLD)
    flow.space(L.GAP_SECTION_MM)
    flow.applicant(data.applicant, full=False)
    flow.field("Objet", data.motif_label)
    if data.request_kind:
        flow.field("Demande", data.request_kind + (
            f" — titre actuel valable jusqu'au {fr_date(data.titre_expires_on)}"
            if data.titre_expires_on else ""))
    flow.space(L.GAP_SECTION_MM)
    flow.boxed(
        [
            (notices.SHOW_AT_DESK + ".", BOLD, L.SIZE_SITE + 1),
            *([(notices.renewal_booked(data.titre_expires_on), REGULAR, L.SIZE_BODY)]
              if data.titre_expires_on else []),
            (notices.IN_PERSON, BOLD, L.SIZE_BODY),
            (notices.BRING_ID, REGULAR, L.SIZE_BODY),
            (notices.late_rule(data.late_after_minutes), REGULAR, L.SIZE_BODY),
        ]
    )
    flow.space(L.GAP_SECTION_MM)

    keep = L.SIZE_LIST * L.LEADING
    section = f"Pièces à apporter ({len(data.pieces_to_bring)})"
    flow.heading(section, keep_with=keep)
    if not data.motif_confirmed:
        flow.text(notices.MOTIF_TO_CONFIRM, font=BOLD, size=L.SIZE_NOTE)
    flow.text(notices.BRING_HOW, size=L.SIZE_NOTE, grey=0.25)
    flow.space(L.GAP_SMALL_MM)
    flow.pieces(data.pieces_to_bring, section=section, box=True)
    flow.space(L.GAP_SECTION_MM)
    if data.fees:
        flow.heading("Timbres fiscaux à apporter", keep_with=keep * 2)
        for line in data.fees:
            flow.text(line, size=L.SIZE_LIST)
        flow.text(notices.TIMBRES_WHERE, size=L.SIZE_NOTE, grey=0.25)
        flow.space(L.GAP_SECTION_MM)
    flow.heading("Annuler ou déplacer le rendez-vous", keep_with=keep)
    flow.text(notices.cancel_rule(data.site), size=L.SIZE_NOTE)
    flow.space(L.GAP_SECTION_MM * 2)
    flow.text(notices.RGPD_TITLE, font=BOLD, size=L.SIZE_NOTE)
    flow.text(
        notices.rgpd_notice(data.site), size=L.SIZE_NOTICE, grey=0.2, leading_factor=L.LEADING_LIST
    )
    return flow.finish()
