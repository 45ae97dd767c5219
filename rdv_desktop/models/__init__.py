"""SQLAlchemy models, engine set-up and migrations. No Qt."""

from .appointment import OUTCOMES, PRIORITIES, SOURCES, Appointment
from .audit import AuditEvent
from .base import Base
from .catalogue import CatalogueVersion, Motif, MotifPiece, Piece, Situation
from .companion import COMPANION_ROLES, Companion
from .dossier import PIECE_STATUSES, Dossier, DossierPiece, Timbre
from .import_batch import BATCH_STATES, ImportBatch, ImportBatchItem
from .recepisse import WORK_MENTIONS, Recepisse
from .sequence import NumberSequence, SigningKey
from .site import Counter, Fee, Setting, Site, Station
from .stats import StatsDuration, StatsRollup, StatsState
from .user import User

__all__ = [
    "BATCH_STATES",
    "COMPANION_ROLES",
    "OUTCOMES",
    "PIECE_STATUSES",
    "PRIORITIES",
    "SOURCES",
    "WORK_MENTIONS",
    "Appointment",
    "AuditEvent",
    "Base",
    "CatalogueVersion",
    "Companion",
    "Counter",
    "Dossier",
    "DossierPiece",
    "Fee",
    "ImportBatch",
    "ImportBatchItem",
    "Motif",
    "MotifPiece",
    "NumberSequence",
    "Piece",
    "Recepisse",
    "Setting",
    "SigningKey",
    "Site",
    "Situation",
    "Station",
    "StatsDuration",
    "StatsRollup",
    "StatsState",
    "Timbre",
    "User",
]
