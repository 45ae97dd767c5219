"""The French words for the audit trail's codes: what each action did, on what kind of thing.

The audit rows keep stable English codes (« attestation_reprinted »); a person reads these
labels, in the audit log, the review's history and anywhere else a row is shown. A test walks
every action the code can write and fails on one without a label here.
"""

from __future__ import annotations

from typing import Any

ACTION_LABELS: dict[str, str] = {
    # sign-in and permissions
    "login": "Connexion",
    "login_failed": "Connexion refusée",
    "login_refused": "Connexion bloquée (verrouillage)",
    "logout": "Déconnexion",
    "session_locked": "Poste verrouillé",
    "session_unlocked": "Poste déverrouillé",
    "permission_denied": "Action non autorisée",
    "counter_changed": "Changement de guichet",
    # appointments and the queue
    "appointment_created": "Rendez-vous créé",
    "appointments_imported": "Import de rendez-vous",
    "import_update": "Rendez-vous mis à jour par un import",
    "import_withdrawn": "Rendez-vous retiré (import défait)",
    "import_removed": "Import défait (annulé ou interrompu)",
    "checkin": "Arrivée enregistrée",
    "scan_refused": "Scan refusé",
    "ticket_printed": "Ticket imprimé",
    "call": "Appel",
    "recall": "Rappel",
    "send_back": "Renvoi en salle d'attente",
    "start_service": "Début du service",
    "outcome": "Issue du rendez-vous",
    "no_show": "Absent",
    "cancel": "Annulation",
    "undo": "Annulation d'une étape",
    "day_closed": "Clôture de la journée",
    "motif_corrected": "Motif corrigé",
    # dossiers and papers
    "dossier_registered": "Dossier enregistré",
    "dossier_reviewed": "Dossier contrôlé",
    "attestation_printed": "Attestation imprimée",
    "attestation_reprinted": "Attestation réimprimée (duplicata)",
    "attestation_revoked": "Attestation révoquée",
    "missing_list_printed": "Liste des pièces manquantes imprimée",
    "missing_list_reprinted": "Liste des pièces manquantes réimprimée (duplicata)",
    "pieces_request_printed": "Demande de pièces complémentaires imprimée",
    "pieces_request_reprinted": "Demande de pièces complémentaires réimprimée (duplicata)",
    "dossier_pieces_received": "Pièces à compléter reçues",
    "attestation_reissued": "Attestation réémise (nouvelle clé)",
    "recepisse_handed": "Récépissé remis",
    "recepisse_cancelled": "Remise de récépissé annulée",
    "recepisse_visit_queued": "Venue pour le récépissé enregistrée",
    "assistance": "Priorité et accompagnants",
    "convocation_printed": "Convocation imprimée",
    "convocation_reprinted": "Convocation réimprimée (duplicata)",
    "verification_refused": "Vérification refusée",
    # signing keys
    "key_generated": "Clé de signature créée",
    "key_rotated": "Clé de signature renouvelée",
    "key_published": "Clé de signature publiée",
    "key_retired": "Clé de signature retirée",
    "key_compromised": "Clé de signature déclarée compromise",
    # administration
    "user_created": "Compte créé",
    "user_activated": "Compte réactivé",
    "user_deactivated": "Compte désactivé",
    "user_roles": "Rôles modifiés",
    "user_password_reset": "Mot de passe réinitialisé",
    "catalogue_loaded": "Version du catalogue chargée",
    "setting_changed": "Réglage modifié",
    "site_created": "Site créé",
    "site_changed": "Site modifié",
    "counter_added": "Guichet ajouté",
    "counter_opened": "Guichet ouvert",
    "counter_closed": "Guichet fermé",
    "fee_added": "Tarif ajouté",
    "export": "Export",
    "purge": "Purge des données",
    "subject_access": "Droit d'accès",
    "backup": "Sauvegarde",
    "demo_generated": "Données de démonstration",
}

ENTITY_LABELS: dict[str, str] = {
    "appointment": "Rendez-vous", "dossier": "Dossier", "user": "Utilisateur",
    "catalogue": "Catalogue", "setting": "Réglage", "site": "Site", "counter": "Guichet",
    "fee": "Tarif", "day": "Journée", "import": "Import", "export": "Export",
    "permission": "Permission", "signing_key": "Clé de signature", "database": "Base",
    "demo": "Démonstration", "scan": "Scan",
}

# A review mark is one action whose words depend on the mark given.
_REVIEW_MARKS = {"checked": "Dossier contrôlé", "to_redo": "Dossier à reprendre"}


def action_label(action: str, after: dict[str, Any] | None = None) -> str:
    """The French words for an audit row's action (the code itself if it has none)."""
    if action == "dossier_reviewed" and after:
        return _REVIEW_MARKS.get(str(after.get("review_state")), ACTION_LABELS[action])
    return ACTION_LABELS.get(action, action)
