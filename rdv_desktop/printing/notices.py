"""The fixed French wording printed on the documents, kept apart from the layout code.

These sentences carry legal weight (what the paper is not, the silence rule, the RGPD notice):
one place to review them with the préfecture's legal service.
"""

from __future__ import annotations

from datetime import date

from rdv_desktop.printing.data import SiteInfo
from rdv_desktop.printing.french import fr_date

NOT_A_PERMIT = "Ce document ne vaut ni titre de séjour ni récépissé."
KEEP_IT = "Conservez cette attestation : elle prouve la date du dépôt de votre dossier."
MONTH_WORDS = {1: "un", 2: "deux", 3: "trois", 4: "quatre", 5: "cinq", 6: "six"}


def silence_rule(decision: date | None, months: int, pieces_due_by: date | None) -> str:
    """When silence becomes an implicit refusal (CRPA L112-3, R112-5; CESEDA R432-1, R432-2)."""
    span = f"{MONTH_WORDS.get(months, str(months))} mois"
    if decision is None:
        due = f" (à envoyer avant le {fr_date(pieces_due_by)})" if pieces_due_by else ""
        return (f"Des pièces vous sont demandées{due}. Le délai de {span} au terme duquel le "
                "silence de l'administration vaut décision implicite de rejet court à compter "
                "de la réception de la dernière pièce demandée (article L114-5 du code des "
                "relations entre le public et l'administration).")
    return (f"Sans réponse de l'administration au {fr_date(decision)}, soit {span} après ce "
            "dépôt, votre demande sera implicitement rejetée (articles R432-1 et R432-2 du "
            "CESEDA). Ce délai ne court pas si des pièces vous sont demandées ultérieurement : "
            "il reprend à la réception de la dernière pièce.")


SEE_OVERLEAF = ("Au verso : délais et voies de recours, service à contacter, vos données "
                "personnelles.")
RECOURS_TITLE = "Délais et voies de recours"
RECOURS = (
    "Contre une décision implicite de rejet, vous pouvez, dans un délai de deux mois à compter "
    "de la date où elle est née : former un recours gracieux auprès du préfet, ou un recours "
    "hiérarchique auprès du ministre de l'Intérieur ; saisir le tribunal administratif "
    "territorialement compétent (recours contentieux), y compris par l'application Télérecours "
    "citoyens (www.telerecours.fr). Un recours gracieux ou hiérarchique prolonge le délai du "
    "recours contentieux. Dans le même délai, vous pouvez demander la communication des motifs "
    "de la décision implicite (article L232-4 du code des relations entre le public et "
    "l'administration)."
)
VERIFY_HELP = (
    "Pour vérifier cette attestation : scanner le code QR avec l'outil de vérification de la "
    "préfecture, ou saisir le code ci-dessus. Le code ne contient aucune donnée personnelle."
)
NOT_DEPOSITED = "Votre dossier n'a PAS été enregistré comme déposé : il est incomplet."
WHY_BLOCKING = (
    "Sans ces pièces (identité, nationalité, formulaire de demande, ou pièce sans laquelle la "
    "demande ne peut pas être examinée), le dossier ne peut pas être enregistré (articles R431-10 "
    "et R431-11 du CESEDA). Les autres pièces manquantes pourront être demandées après "
    "l'enregistrement."
)
NOT_AN_ATTESTATION = (
    "Ce document ne vaut ni attestation de dépôt, ni titre de séjour, ni récépissé."
)
SHOW_AT_DESK = "Présentez cette convocation à l'accueil"
BRING_ID = "Munissez-vous de votre passeport ou de votre pièce d'identité."
BRING_HOW = (
    "Apportez les originaux et une photocopie A4 non agrafée de chaque pièce, "
    "dans l'ordre de la liste."
)
DAY_LIST_INTERNAL = (
    "Document interne : contient des données personnelles. Ne pas afficher, ne pas laisser "
    "sans surveillance, détruire après usage."
)
RGPD_TITLE = "Vos données personnelles (article 13 du RGPD)"


def contact_line(site: SiteInfo) -> str:
    """How to reach the service, as R112-5 asks: postal address, phone, e-mail."""
    parts = [site.address, f"téléphone {site.phone}" if site.phone else "",
             f"courriel {site.email}" if site.email else ""]
    return f"{site.prefecture} — {site.service} : " + ", ".join(p for p in parts if p) + "."


def rgpd_notice(site: SiteInfo) -> str:
    """The article 13 information: who, DPO, why, basis, mandatory, recipients, how long,
    rights, the CNIL. The retention printed is the one the site configured."""
    dpo = (f"Délégué à la protection des données : {site.dpo}. " if site.dpo else
           f"Délégué à la protection des données : joignable à l'adresse de {site.prefecture}. ")
    return (
        f"Responsable du traitement : le préfet ({site.prefecture}, {site.address}). " + dpo +
        "Finalité : gestion des rendez-vous et de l'accueil, enregistrement du dépôt de la "
        "demande de titre de séjour. "
        "Base légale : exécution d'une mission d'intérêt public relevant de l'exercice de "
        "l'autorité publique (article 6.1.e du RGPD) ; code de l'entrée et du séjour des "
        "étrangers et du droit d'asile (CESEDA). Les données d'identité, de nationalité et les "
        "pièces demandées sont obligatoires : sans elles la demande ne peut être enregistrée "
        "ni instruite ; les coordonnées (téléphone, courriel) sont facultatives. "
        "Destinataires : les seuls agents habilités de la préfecture. "
        f"Conservation : les données de rendez-vous et de dépôt de ce registre sont conservées "
        f"{site.retention_months} mois après le rendez-vous, puis effacées ou anonymisées ; le "
        "dossier de séjour lui-même suit les durées prévues par le CESEDA (article R142-21) et "
        "les règles d'archivage publiques. Vous pouvez exercer vos droits d'accès, de "
        "rectification et de limitation du traitement auprès du responsable du traitement ou "
        "du délégué. En cas de difficulté, vous pouvez adresser une réclamation à la CNIL "
        "(www.cnil.fr, 3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07)."
    )


# -- the request for pieces to complete and the convocation --------------------------------
REGISTERED_WITH_PIECES = (
    "Votre dossier est enregistré : la date de dépôt ci-dessus est acquise. Il reste "
    "incomplet : envoyez les pièces listées avant la date indiquée."
)
LATE_PIECES = (
    "Sans ces pièces à la date indiquée, la demande pourra être examinée en l'état ou faire "
    "l'objet d'un refus. Indiquez toujours le numéro de dossier."
)
TIMBRES_WHERE = (
    "Les timbres fiscaux s'achètent en ligne sur timbres.impots.gouv.fr (timbre électronique) "
    "ou chez un buraliste agréé. Apportez le timbre (numéro à 16 chiffres) le jour du rendez-vous."
)
IN_PERSON = "Votre présence personnelle est obligatoire : nul ne peut déposer à votre place."
MOTIF_TO_CONFIRM = (
    "Le motif de votre demande sera confirmé à l'accueil : seules les pièces demandées pour "
    "tous les motifs figurent ci-dessous ; d'autres pourront vous être demandées."
)


def renewal_booked(expires: date) -> str:
    """What a renewal's convocation proves (domain notes: shown to keep rights)."""
    return (f"Renouvellement : votre titre actuel expire le {fr_date(expires)}. Cette convocation "
            "atteste que vous avez pris rendez-vous pour déposer votre demande de renouvellement.")


def late_rule(minutes: int) -> str:
    return (f"Présentez-vous à l'heure : au-delà de {minutes} minutes de retard, vous pourrez "
            "être reçu(e) seulement si le planning le permet, ou invité(e) à reprendre "
            "rendez-vous.")


def cancel_rule(site: SiteInfo) -> str:
    reach = " ou ".join(p for p in (f"par téléphone au {site.phone}" if site.phone else "",
                                    f"par courriel à {site.email}" if site.email else "") if p)
    how = f" Prévenez le service {reach}." if reach else ""
    return ("Pour annuler ou déplacer ce rendez-vous, utilisez le lien reçu lors de la prise de "
            "rendez-vous en ligne, afin de libérer le créneau pour une autre personne." + how)
