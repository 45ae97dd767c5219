"""« Journal d'audit »: who did what, when, at which station; filtered by period, user, action
and object. The query runs in a worker and returns the newest rows first, at most
`AUDIT_LIMIT`; when the limit is reached the screen says so (« N premières lignes »).
"""

from __future__ import annotations

import json
from datetime import timedelta
from html import escape
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from ..errors import RdvError
from ..services.actor import Actor
from ..services.admin import AUDIT_LIMIT, AuditFilter
from ..services.audit import AuditEntry
from ..services.clock import fr_datetime, local_today
from ..services.setup import Services
from .table_model import ColumnTableModel, Index
from .worker import run_in_background

# Action code → French label; unknown codes are shown as they are.
ACTIONS = {
    "login": "Connexion", "login_failed": "Connexion refusée", "login_refused":
    "Connexion bloquée (verrouillage)", "permission_denied": "Action non autorisée",
    "appointment_created": "Rendez-vous créé", "appointments_imported": "Import de rendez-vous",
    "checkin": "Arrivée enregistrée", "ticket_printed": "Ticket imprimé", "call": "Appel",
    "recall": "Rappel", "send_back": "Renvoi en salle d'attente",
    "start_service": "Début du service", "outcome": "Issue du rendez-vous",
    "no_show": "Absent", "cancel": "Annulation", "undo": "Annulation d'une étape",
    "day_closed": "Clôture de la journée", "dossier_registered": "Dossier enregistré",
    "attestation_printed": "Attestation imprimée", "missing_list_printed":
    "Liste des pièces manquantes imprimée", "convocation_printed": "Convocation imprimée",
    "attestation_revoked": "Attestation révoquée", "dossier_reviewed": "Dossier contrôlé",
    "user_created": "Compte créé", "user_activated": "Compte réactivé",
    "user_deactivated": "Compte désactivé", "user_roles": "Rôles modifiés",
    "user_password_reset": "Mot de passe réinitialisé", "catalogue_loaded":
    "Version du catalogue chargée", "setting_changed": "Réglage modifié",
    "site_changed": "Site modifié", "counter_added": "Guichet ajouté",
    "counter_opened": "Guichet ouvert", "counter_closed": "Guichet fermé",
    "fee_added": "Tarif ajouté", "export": "Export", "purge": "Purge des données",
    "subject_access": "Droit d'accès", "backup": "Sauvegarde",
    "key_published": "Clé de signature publiée", "site_created": "Site créé",
    "demo_generated": "Données de démonstration", "motif_corrected": "Motif corrigé",
}
ENTITIES = {
    "appointment": "Rendez-vous", "dossier": "Dossier", "user": "Utilisateur",
    "catalogue": "Catalogue", "setting": "Réglage", "site": "Site", "counter": "Guichet",
    "fee": "Tarif", "day": "Journée", "import": "Import", "export": "Export",
    "permission": "Permission", "signing_key": "Clé de signature", "database": "Base",
    "demo": "Démonstration",
}


def action_label(code: str) -> str:
    return ACTIONS.get(code, code)


class AuditModel(ColumnTableModel):
    columns = ("Date et heure", "Utilisateur", "Poste", "Action", "Objet", "Identifiant",
               "Raison")

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[AuditEntry] = []

    def row_total(self) -> int:
        return len(self.entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        e = self.entries[index.row()]
        return (fr_datetime(e.at), e.user_login, e.station, action_label(e.action),
                ENTITIES.get(e.entity_type, e.entity_type), e.entity_id or "",
                e.reason or "")[index.column()]

    def set_entries(self, entries: list[AuditEntry]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.endResetModel()


def entry_html(e: AuditEntry) -> str:
    def block(title: str, value: dict | None) -> str:
        if not value:
            return ""
        text = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
        return f"<h4>{title}</h4><pre>{escape(text)}</pre>"

    return (f"<h3>{escape(action_label(e.action))}</h3>"
            f"<p>{fr_datetime(e.at)} — {escape(e.user_login)} (poste {escape(e.station)})<br>"
            f"{escape(ENTITIES.get(e.entity_type, e.entity_type))} {escape(e.entity_id or '')}"
            f"<br>Code de l'action : {escape(e.action)} · n° {e.id}</p>"
            + (f"<p>Raison : {escape(e.reason)}</p>" if e.reason else "")
            + block("Avant", e.before) + block("Après", e.after))


def _combo(name: str, everything: str, choices: dict[str, str]) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.addItem(everything, None)
    for code, label in sorted(choices.items(), key=lambda kv: kv[1]):
        combo.addItem(label, code)
    return combo


class AuditLogPanel(QWidget):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.admin = services.office.admin
        self.actor = actor
        self.limit = AUDIT_LIMIT  # the service's ceiling; lower it to page less
        self.loaded_once = False
        today = local_today(services.ctx.clock)
        start = today - timedelta(days=7)
        self.start = QDateEdit(QDate(start.year, start.month, start.day))
        self.end = QDateEdit(QDate(today.year, today.month, today.day))
        for edit, name in ((self.start, "Du"), (self.end, "Au")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setAccessibleName(name)
        self.login = QLineEdit()
        self.login.setAccessibleName("Utilisateur")
        self.login.setPlaceholderText("identifiant (tous)")
        self.action = _combo("Action", "Toutes les actions", ACTIONS)
        self.entity = _combo("Objet", "Tous les objets", ENTITIES)
        self.search = QPushButton("Afficher")
        self.search.setAccessibleName("Afficher le journal")
        self.count = QLabel("")
        self.count.setAccessibleName("Nombre de lignes du journal")
        bar = QHBoxLayout()
        for w in (QLabel("Du"), self.start, QLabel("au"), self.end, self.login, self.action,
                  self.entity, self.search):
            bar.addWidget(w)
        bar.addStretch(1)

        self.model = AuditModel()
        self.view = QTableView()
        self.view.setAccessibleName("Journal d'audit")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        self.detail = QTextBrowser()
        self.detail.setAccessibleName("Détail de l'événement")
        split = QSplitter()
        split.addWidget(self.view)
        split.addWidget(self.detail)
        split.setSizes([850, 350])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.count)
        layout.addWidget(split, 1)

        self.search.clicked.connect(self.load)
        self.login.returnPressed.connect(self.load)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())

    def showEvent(self, event: QShowEvent) -> None:  # Qt's name
        """The first look shows the last seven days without a click."""
        super().showEvent(event)
        if not self.loaded_once:
            self.loaded_once = True
            self.load()

    def current_filter(self) -> AuditFilter:
        return AuditFilter(self.start.date().toPython(), self.end.date().toPython(),
                           login=self.login.text().strip() or None,
                           action=self.action.currentData(),
                           entity_type=self.entity.currentData(), limit=self.limit)

    def load(self) -> None:
        self.loaded_once = True
        flt = self.current_filter()
        self.search.setEnabled(False)
        self.count.setStyleSheet("")
        self.count.setText("Recherche…")
        run_in_background(lambda: self.admin.audit_log(self.actor, flt), self._loaded,
                          self._failed)

    def _loaded(self, entries: list[AuditEntry]) -> None:
        if not isValid(self):  # the window closed while the query ran
            return
        self.search.setEnabled(True)
        self.model.set_entries(entries)
        self.view.resizeColumnsToContents()
        if len(entries) >= self.limit:
            self.count.setText(f"{len(entries)} premières lignes (les plus récentes) : "
                               "précisez la période ou les filtres pour voir les autres.")
        else:
            self.count.setText(f"{len(entries)} ligne(s).")
        if entries:
            self.view.selectRow(0)
        else:
            self.detail.clear()

    def _failed(self, exc: Exception) -> None:
        if not isValid(self):
            return
        self.search.setEnabled(True)
        self.count.setStyleSheet("color: #b00020; font-weight: bold")
        self.count.setText(exc.message if isinstance(exc, RdvError)
                           else f"Erreur inattendue : {exc}")

    def _show_current(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.detail.setHtml(entry_html(self.model.entries[index.row()]))
