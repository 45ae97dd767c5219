"""The fixed French wording printed on the documents, kept apart from the layout code.

These sentences carry legal weight (what the paper is not, the silence rule, the RGPD notice):
one place to review them with the préfecture's legal service.
"""

from __future__ import annotations

from rdv_desktop.printing.data import SiteInfo

NOT_A_PERMIT = "Ce document ne vaut ni titre de séjour ni récépissé."
SILENCE_RULE = (
    "Le silence gardé par l'administration pendant quatre mois vaut décision implicite de rejet."
)
KEEP_IT = "Conservez cette attestation : elle prouve la date du dépôt de votre dossier."
VERIFY_HELP = (
    "Pour vérifier cette attestation : scanner le code QR avec l'outil de vérification de la "
    "préfecture, ou saisir le code ci-dessus. Le code ne contient aucune donnée personnelle."
)
NOT_DEPOSITED = "Votre dossier n'a PAS été enregistré comme déposé : il est incomplet."
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


def rgpd_notice(site: SiteInfo) -> str:
    """The article 13 information: who, why, on which basis, how long, your rights, the CNIL."""
    return (
        f"Responsable du traitement : {site.prefecture}, {site.address}. "
        "Finalité : instruction de la demande de titre de séjour et gestion de l'accueil "
        "du public. "
        "Base légale : exécution d'une mission d'intérêt public relevant de l'exercice de "
        "l'autorité publique (article 6.1.e du RGPD) ; code de l'entrée et du séjour des "
        "étrangers et du droit d'asile (CESEDA). Destinataires : les seuls agents habilités de "
        "la préfecture. Conservation : les données de rendez-vous et de dépôt sont effacées ou "
        "anonymisées à l'issue de l'instruction ; le dossier de séjour suit les durées prévues "
        "par le CESEDA (article R142-21) et les règles d'archivage publiques. Vous pouvez "
        "exercer vos droits d'accès, de rectification et de limitation du traitement auprès "
        f"de {site.prefecture}, à l'adresse ci-dessus. En cas de difficulté, vous pouvez "
        "adresser une réclamation à la CNIL "
        "(www.cnil.fr, 3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07)."
    )
