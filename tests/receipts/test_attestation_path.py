"""Deposit → printed attestation → scanned QR → verified, and the reprint/revocation rules."""

from __future__ import annotations

import io
from datetime import date, time

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader
from sqlalchemy import select

from rdv_desktop.errors import ValidationError
from rdv_desktop.models import AuditEvent
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.counter.booking import NewAppointment
from rdv_desktop.services.setup import Services
from rdv_desktop.services.signing.verifier import VerificationStatus
from tests.flows import at_counter, deposit


def qr_texts(pdf: bytes, dpi: int) -> list[str]:
    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=dpi / 72).to_pil()
    return [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def pdf_text(pdf: bytes) -> str:
    """The PDF's text with line breaks folded, so wrapped labels read as one line."""
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.mark.parametrize("dpi", [300, 150])
def test_printed_attestation_verifies_from_its_picture(services: Services, accueil: Actor,
                                                       agent: Actor, dpi: int) -> None:
    aid = at_counter(services, accueil, agent)
    dossier = deposit(services, agent, aid)
    assert dossier.complete and dossier.number == "CANTAL-2026-000001"
    doc = services.documents.attestation(agent, dossier.number, reprint=False)
    assert doc.kept_at is not None and doc.kept_at.read_bytes() == doc.pdf
    texts = qr_texts(doc.pdf, dpi)
    assert texts == [dossier.qr_payload]
    result = services.keys.verify(texts[0])
    assert result.status is VerificationStatus.AUTHENTIC
    assert result.reference == dossier.number and result.site == "CANTAL"
    text = pdf_text(doc.pdf)
    for mention in ("Ce document ne vaut ni titre de séjour ni récépissé", dossier.number,
                    "1234 5678 9012 3456" if "1234 5678" in text else "1234567890123456",
                    "NGUYỄN" if "NGUYỄN" in text else "Nguyễn", "agent1"):
        assert mention in text
    assert "DUPLICATA" not in text


def test_reprint_is_marked_counted_and_audited(services: Services, accueil: Actor,
                                               agent: Actor) -> None:
    dossier = deposit(services, agent, at_counter(services, accueil, agent))
    services.documents.attestation(agent, dossier.number, reprint=False)
    again = services.documents.attestation(agent, dossier.number, reprint=True)
    assert "DUPLICATA" in pdf_text(again.pdf)
    assert services.dossiers.get(dossier.number).reprint_count == 1
    with services.ctx.db.read() as s:
        actions = s.scalars(select(AuditEvent.action).where(
            AuditEvent.entity_id == dossier.number)).all()
    assert actions.count("attestation_reprinted") == 1
    assert actions.count("attestation_printed") == 1


def test_revoked_attestation_reports_revoked_and_cannot_be_printed(
        services: Services, accueil: Actor, agent: Actor, manager: Actor) -> None:
    dossier = deposit(services, agent, at_counter(services, accueil, agent))
    services.dossiers.revoke(manager, dossier.number, "erreur de saisie")
    result = services.keys.verify(dossier.qr_payload)
    assert result.status is VerificationStatus.REVOKED and not result.ok
    with pytest.raises(ValidationError, match="révoquée"):
        services.documents.attestation(agent, dossier.number, reprint=True)


def test_undoing_a_deposit_revokes_and_never_reuses_the_number(
        services: Services, accueil: Actor, agent: Actor) -> None:
    first = at_counter(services, accueil, agent)
    dossier = deposit(services, agent, first)
    services.appointments.undo(agent, first, "pièce mal contrôlée")
    assert services.dossiers.get(dossier.number).revoked
    assert services.appointments.get(first).outcome == "pending"
    again = deposit(services, agent, first)
    assert again.number == "CANTAL-2026-000002"
    assert services.keys.verify(dossier.qr_payload).status is VerificationStatus.REVOKED
    assert services.keys.verify(again.qr_payload).ok


def test_incomplete_dossier_has_no_number_and_a_missing_list(
        services: Services, accueil: Actor, agent: Actor) -> None:
    aid = at_counter(services, accueil, agent)
    # The passport blocks the registration (R431-10); the proof of address alone would not.
    dossier = deposit(services, agent, aid, missing=frozenset({"IDENTITE", "DOMICILE"}))
    assert not dossier.complete and dossier.number is None and dossier.qr_payload is None
    assert services.appointments.get(aid).outcome == "incomplete"
    doc = services.documents.missing_pieces(agent, dossier.id)
    text = pdf_text(doc.pdf)
    assert "Justificatif de domicile de moins de 6 mois" in text
    assert "Passeport (pages état civil" in text


def test_convocation_carries_a_signed_checkin_code(services: Services, accueil: Actor) -> None:
    from datetime import date, time

    from rdv_desktop.services.counter.booking import NewAppointment

    view = services.booking.create(accueil, NewAppointment(
        "Ørsted-Ali", "Léa", date(2026, 12, 3), time(9, 30), "RETRAITE", date(1950, 1, 2)))
    doc = services.documents.convocation(accueil, view.id)
    texts = qr_texts(doc.pdf, 150)
    assert len(texts) == 1
    result = services.keys.verify(texts[0], expected_kind="C")
    assert result.ok and result.reference == view.reference
    assert services.keys.verify(texts[0], expected_kind="A").status is VerificationStatus.NOT_OURS
    assert "03/12/2026" in pdf_text(doc.pdf) or "3 décembre 2026" in pdf_text(doc.pdf)


def test_payload_carries_no_personal_data(services: Services, accueil: Actor,
                                          agent: Actor) -> None:
    """Only the documented fields travel in the QR. Key id and signature are random-looking
    base32, so the identity is looked for in the other fields, not in those letters."""
    from rdv_desktop.services.signing.signed_code import parse_code

    dossier = deposit(services, agent, at_counter(services, accueil, agent))
    code = parse_code(dossier.qr_payload)
    assert dossier.qr_payload == code.payload
    assert (code.kind, code.site, code.reference) == ("A", "CANTAL", dossier.number)
    assert code.signed_text == ":".join((
        "RDV1", "A", code.key_id, "CANTAL", dossier.number,
        code.timestamp.strftime("%Y%m%d%H%M")))
    readable = f"{code.site}:{code.reference}".upper()
    for personal in ("NGUY", "ANH", "1991", "19910314", "VIETNAM", "AES", "SALARIE", "HA NOI"):
        assert personal not in readable
    assert len(code.signature) == 64


def test_second_station_without_the_site_key_refuses_to_make_its_own(
        services: Services, accueil: Actor, agent: Actor, tmp_path) -> None:
    from rdv_desktop.services.core.context import ServiceContext
    from rdv_desktop.services.signing.keys import KeyService, SigningError

    deposit(services, agent, at_counter(services, accueil, agent))  # station 1 makes the key
    other = ServiceContext.create(services.ctx.db, "CANTAL", services.ctx.clock, "POSTE-2",
                                  tmp_path / "empty-keys")
    with pytest.raises(SigningError, match="n'est pas sur ce poste"):
        KeyService(other).signer(create_if_missing=True)
    assert not (tmp_path / "empty-keys").exists() or not any((tmp_path / "empty-keys").iterdir())


def test_convocation_says_when_each_piece_applies_and_what_to_pay(
        services: Services, accueil: Actor, admin: Actor) -> None:
    services.office.admin.set_setting(admin, "late_after_minutes", 20)
    services.office.admin.set_setting(admin, "service_email", "pref-sejour@cantal.gouv.fr")
    view = services.booking.create(accueil, NewAppointment(
        "Ahmadi", "Karim", date(2026, 12, 3), time(9, 30), "AES_VPF"))
    text = pdf_text(services.documents.convocation(accueil, view.id).pdf)
    assert "Si : « Marié(e) ou pacsé(e) » ou « A un ou des enfants »" in text
    assert "Sauf si : « Hébergé(e) à l'hôtel » ou « Hébergé(e) chez un tiers »" in text
    assert "Sauf si : « Déjà titulaire d'un titre de séjour »" in text
    assert ("Droit de visa de régularisation – part payée au dépôt, non remboursable : "
            "100,00 €") in text
    assert "— si : « entrée ou séjour irrégulier » et « première demande »" in text
    assert "timbres.impots.gouv.fr" in text and "buraliste" in text
    assert "au-delà de 20 minutes de retard" in text
    assert "présence personnelle est obligatoire" in text
    assert "annuler ou déplacer ce rendez-vous" in text and "pref-sejour@cantal.gouv.fr" in text
    assert "4 photographies" in text


def test_convocation_without_a_motif_lists_the_common_pieces(services: Services,
                                                            accueil: Actor) -> None:
    view = services.booking.create(accueil, NewAppointment(
        "Ahmadi", "Karim", date(2026, 12, 3), time(9, 30), None))
    text = pdf_text(services.documents.convocation(accueil, view.id).pdf)
    assert "Le motif de votre demande sera confirmé à l'accueil" in text
    assert "Formulaire de demande daté et signé" in text and "Passeport" in text
    assert "Pièces à apporter (0)" not in text


def test_the_missing_list_says_which_pieces_block_and_why(services: Services, accueil: Actor,
                                                          agent: Actor) -> None:
    aid = at_counter(services, accueil, agent)
    dossier = deposit(services, agent, aid, missing=frozenset({"IDENTITE", "DOMICILE"}))
    text = pdf_text(services.documents.missing_pieces(agent, dossier.id).pdf)
    blocking = text.index("Pièces indispensables manquantes (1)")
    others = text.index("Autres pièces à apporter (1)")
    assert blocking < text.index("Passeport (pages état civil") < others
    assert others < text.index("Justificatif de domicile")
    assert "articles R431-10 et R431-11 du CESEDA" in text


def test_a_renewal_convocation_states_the_current_titre(services: Services,
                                                        accueil: Actor) -> None:
    view = services.booking.create(accueil, NewAppointment(
        "Ahmadi", "Karim", date(2026, 12, 3), time(9, 30), "SALARIE_TT",
        request_kind="Renouvellement", titre_expires_on=date(2026, 12, 20)))
    text = pdf_text(services.documents.convocation(accueil, view.id).pdf)
    assert "Renouvellement — titre actuel valable jusqu'au 20/12/2026" in text
    assert "Cette convocation atteste que vous avez pris rendez-vous" in text
    with pytest.raises(ValidationError, match="ne se donne que pour un renouvellement"):
        services.booking.create(accueil, NewAppointment(
            "Ahmadi", "Karim", date(2026, 12, 3), time(9, 45), "SALARIE_TT",
            request_kind="Première demande", titre_expires_on=date(2026, 12, 20)))
