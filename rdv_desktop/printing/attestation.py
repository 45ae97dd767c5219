"""« Attestation de dépôt de dossier »: what the applicant takes home after a complete deposit.

A sober A4 page, deliberately unlike the state récépissé (no Marianne, no tricolour, no
« récépissé » title): it proves the date of the deposit, says what it is not, and carries a
signed QR that anyone can verify offline. Identity fields are the ones associations ask for so
that social rights continue while the request is examined.
"""

from __future__ import annotations

from rdv_desktop.printing import layout as L
from rdv_desktop.printing import notices
from rdv_desktop.printing.data import AttestationData, PieceLine, Timbre
from rdv_desktop.printing.flow import MM, Flow
from rdv_desktop.printing.fonts import BOLD, REGULAR
from rdv_desktop.printing.french import fr_date, fr_euros, fr_time

TITLE = "Attestation de dépôt de dossier"


def render_attestation(data: AttestationData) -> bytes:
    """The attestation as PDF bytes (one page for a usual dossier, more for long lists)."""
    flow = Flow(
        title=TITLE,
        footer=f"{TITLE} n° {data.dossier_number} — {data.site.prefecture}",
        author=data.site.prefecture,
        duplicate_printed_at=data.duplicate_printed_at,
    )
    qr_bottom = flow.qr_column(data.qr_payload, data.human_code, notices.VERIFY_HELP)
    left_width = flow.width - (L.QR_SIZE_MM + L.QR_COLUMN_GUTTER_MM) * MM
    _top_block(flow, data, left_width)
    flow.y = min(flow.y, qr_bottom) - L.GAP_SECTION_MM * MM

    flow.heading("Demande")
    flow.field("Motif", data.motif_label)
    if data.ceseda_ref:  # left out when the site prints the card category only
        flow.field("Référence CESEDA", data.ceseda_ref)
    flow.field("Type de demande", data.request_kind)
    flow.space(L.GAP_SECTION_MM)

    keep = L.SIZE_LIST * L.LEADING
    received = f"Pièces reçues ({len(data.pieces_received)})"
    flow.heading(received, keep_with=keep)
    if data.pieces_received:
        flow.pieces(data.pieces_received, section=received)
    else:
        flow.text("Aucune pièce enregistrée.", size=L.SIZE_LIST)
    flow.space(L.GAP_SECTION_MM)
    if data.pieces_missing:
        due = f", à envoyer avant le {fr_date(data.pieces_due_by)}" if data.pieces_due_by else ""
        missing = f"Pièces à compléter ({len(data.pieces_missing)}{due})"
        flow.heading(missing, keep_with=keep)
        flow.pieces(data.pieces_missing, section=missing)
        flow.space(L.GAP_SECTION_MM)
    if data.handed_over:
        handed = "Remis par la préfecture"
        flow.heading(handed, keep_with=keep)
        flow.pieces(tuple(PieceLine(item) for item in data.handed_over), section=handed)
        flow.space(L.GAP_SECTION_MM)

    _timbres(flow, data.timbres)
    _handfill(flow)
    flow.boxed(
        [
            (notices.NOT_A_PERMIT, BOLD, L.SIZE_BODY + 0.5),
            (notices.silence_rule(data.decision_date, data.decision_months,
                                  data.pieces_due_by), BOLD, L.SIZE_BODY),
            (notices.KEEP_IT, REGULAR, L.SIZE_NOTE),
        ]
    )
    flow.text(notices.SEE_OVERLEAF, size=L.SIZE_NOTE, font=BOLD)
    # The verso: what the applicant may do and whom to ask (CRPA R112-5), their data (RGPD).
    flow.new_page()
    flow.heading(notices.RECOURS_TITLE)
    flow.text(notices.RECOURS, size=L.SIZE_NOTE, leading_factor=L.LEADING_LIST)
    flow.space(L.GAP_SECTION_MM)
    flow.heading("Service chargé de votre demande")
    flow.text(notices.contact_line(data.site), size=L.SIZE_NOTE, leading_factor=L.LEADING_LIST)
    flow.space(L.GAP_SECTION_MM)
    flow.heading(notices.RGPD_TITLE)
    flow.text(notices.rgpd_notice(data.site), size=L.SIZE_NOTE, leading_factor=L.LEADING_LIST)
    return flow.finish()


def _top_block(flow: Flow, data: AttestationData, left_width: float) -> None:
    """Site, title, number, date and identity, left of the QR."""
    flow.site_header(data.site, max_width=left_width)
    flow.space(L.GAP_SECTION_MM)
    flow.text(TITLE, font=BOLD, size=L.SIZE_TITLE, max_width=left_width)
    flow.space(L.GAP_SMALL_MM)
    flow.text("Numéro de dossier", size=L.SIZE_NOTE, grey=0.35)
    flow.text(data.dossier_number, font=BOLD, size=L.SIZE_NUMBER, max_width=left_width)
    flow.space(L.GAP_SMALL_MM)
    when = data.deposited_at
    flow.text(f"Déposé le {fr_date(when)} à {fr_time(when)}", font=BOLD, max_width=left_width)
    flow.text(f"Agent : {data.agent_id}", size=L.SIZE_NOTE, max_width=left_width)
    flow.space(L.GAP_SECTION_MM)
    flow.applicant(data.applicant, max_width=left_width)


def _timbres(flow: Flow, timbres: tuple[Timbre, ...]) -> None:
    size = L.SIZE_LIST
    leading = size * L.LEADING_LIST
    flow.heading("Timbres fiscaux", keep_with=leading)
    if not timbres:
        flow.text("Aucun timbre fiscal remis au dépôt.", size=size)
        flow.space(L.GAP_SECTION_MM)
        return
    c = flow.canvas
    amount_x = flow.left + 95 * MM
    for timbre in timbres:
        flow.ensure(leading)
        baseline = flow.y - leading * 0.8
        c.setFont(REGULAR, size)
        c.drawString(flow.left, baseline, "Timbre n°")
        c.setFont(REGULAR, size + 0.5)
        c.drawString(flow.left + 16 * MM, baseline, timbre.number)
        c.setFont(REGULAR, size)
        c.drawRightString(amount_x, baseline, fr_euros(timbre.amount_cents))
        flow.y -= leading
    total = sum(t.amount_cents for t in timbres)
    flow.ensure(leading)
    c.setFont(BOLD, size)
    c.drawString(flow.left, flow.y - leading * 0.8, "Total")
    c.drawRightString(amount_x, flow.y - leading * 0.8, fr_euros(total))
    flow.y -= leading
    flow.space(L.GAP_SECTION_MM)


def _handfill(flow: Flow) -> None:
    """Blank fields the agent fills by hand once AGDREF has the dossier."""
    size = L.SIZE_BODY
    leading = size * L.LEADING * 1.4
    flow.ensure(leading)
    c = flow.canvas
    baseline = flow.y - leading * 0.8
    x = flow.left
    for label in ("Code AGDREF :", "Remis le :"):
        c.setFont(BOLD, size)
        c.drawString(x, baseline, label)
        x += flow.label_width(label, size) + 2 * MM
        c.setLineWidth(0.6)
        c.setDash(1, 2)
        c.line(x, baseline - 1, x + L.HANDFILL_LINE_MM * MM, baseline - 1)
        c.setDash()
        x += L.HANDFILL_LINE_MM * MM + L.HANDFILL_GAP_MM * MM
    flow.y -= leading
    flow.space(L.GAP_SECTION_MM)
