"""Reading one cell: dates, times, names and statuses, with French reasons when it fails.

Every parser raises `RowRejected` with a phrase that completes « ligne N : … ».
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from .folding import clean, fold
from .rows import RowRejected

_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_HM = re.compile(r"^(\d{1,2})\s*[:hH]\s*(\d{2})?(?:\s*:\s*(\d{2}))?$")
_SPLIT_DT = re.compile(r"^(\S+)\s+(?:à\s+)?(\S+)$")
_UPPER_WORD = re.compile(r"^[^\W\d_]{2,}$")

MIN_SLOT_YEAR, MAX_SLOT_YEAR = 2000, 2100
MIN_BIRTH_YEAR = 1900

# Folded status labels → RDV Service Public status (its codes, its French labels, ours).
STATUS_LABELS: dict[str, str] = {
    "unknown": "unknown", "etat indetermine": "unknown", "indetermine": "unknown",
    "a renseigner": "unknown", "rendez vous a venir": "unknown", "a venir": "unknown",
    "rendez vous aujourd hui": "unknown", "waiting": "unknown",
    "en salle d attente": "unknown", "confirme": "unknown", "confirmed": "unknown",
    "seen": "seen", "rendez vous honore": "seen", "vu": "seen", "honore": "seen",
    "effectue": "seen",
    "excused": "excused", "annule excuse": "excused", "absent excuse": "excused",
    "annule a l initiative de l usager": "excused", "excuse": "excused",
    "revoked": "revoked", "annule par le service": "revoked", "annule": "revoked",
    "annule a l initiative du service": "revoked", "cancelled": "revoked",
    "canceled": "revoked", "revoque": "revoked",
    "noshow": "noshow", "no show": "noshow", "absence non excusee": "noshow",
    "absent non excuse": "noshow", "absent": "noshow",
}


def text(value: object) -> str:
    """A cell as clean text; spreadsheet numbers like 612345678.0 lose their « .0 »."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return clean(str(value))


def _make_date(year: int, month: int, day: int, raw: str, what: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise RowRejected(f"{what} impossible « {raw} »") from None


def parse_date(value: object, what: str = "date") -> date:
    """`jj/mm/aaaa` (also `-` or `.`), ISO `aaaa-mm-jj`, or a spreadsheet date cell."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = text(value)
    if not raw:
        raise RowRejected(f"{what} absente")
    if m := _DMY.match(raw):
        return _make_date(int(m[3]), int(m[2]), int(m[1]), raw, what)
    if m := _ISO.match(raw):
        return _make_date(int(m[1]), int(m[2]), int(m[3]), raw, what)
    raise RowRejected(f"{what} illisible « {raw[:40]} » (attendu jj/mm/aaaa)")


def parse_time(value: object) -> time:
    """`hh:mm`, `hh:mm:ss`, `hhhmm` (« 9h30 », « 14h »), or a spreadsheet time cell."""
    if isinstance(value, datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    raw = text(value)
    if not raw:
        raise RowRejected("heure absente")
    m = _HM.match(raw)
    if m is None:
        raise RowRejected(f"heure illisible « {raw[:40]} » (attendu hh:mm)")
    hour, minute = int(m[1]), int(m[2] or 0)
    if hour > 23 or minute > 59 or int(m[3] or 0) > 59:
        raise RowRejected(f"heure impossible « {raw} »")
    return time(hour, minute)


def parse_slot_datetime(value: object) -> tuple[date, time]:
    """One cell with both: « 26/11/2026 09:30 », « 2026-11-26T09:30 », a datetime cell."""
    if isinstance(value, datetime):
        return value.date(), parse_time(value)
    raw = text(value)
    if not raw:
        raise RowRejected("date et heure absentes")
    raw = raw.replace("T", " ", 1) if _ISO.match(raw) else raw
    m = _SPLIT_DT.match(raw)
    if m is None:
        raise RowRejected(f"date et heure illisibles « {raw[:40]} »")
    return parse_date(m[1], "date du rendez-vous"), parse_time(m[2][:5] if ":" in m[2] else m[2])


def check_slot_date(day: date, raw: object) -> date:
    if not MIN_SLOT_YEAR <= day.year <= MAX_SLOT_YEAR:
        raise RowRejected(f"date de rendez-vous impossible « {text(raw)} »")
    return day


def check_birth_date(day: date, slot: date, raw: object) -> date:
    if day.year < MIN_BIRTH_YEAR or day > slot:
        raise RowRejected(f"date de naissance impossible « {text(raw)} »")
    return day


def parse_status(value: object) -> str:
    """Unknown wording counts as « unknown »: a status never rejects a row."""
    return STATUS_LABELS.get(fold(text(value)), "unknown")


def first_item(value: str) -> str:
    """The first of a comma-separated list (RDV-SP joins several usagers with « , »)."""
    return value.split(",")[0].strip()


def split_full_name(full: str) -> tuple[str, str]:
    """« Jean DUPONT » or « DUPONT Jean » → (DUPONT, Jean): words in capitals are the family name.

    Without a word in capitals the last word is taken as the family name. A part in
    parentheses (a birth name) is dropped.
    """
    full = re.sub(r"\([^)]*\)", " ", full)
    words = full.split()
    if not words:
        return "", ""
    upper = [w for w in words if _UPPER_WORD.match(w.replace("-", "").replace("'", ""))
             and w.upper() == w]
    if upper and len(upper) < len(words):
        given = [w for w in words if w not in upper]
        return " ".join(upper), " ".join(given)
    if len(words) == 1:
        return words[0], ""
    if upper:  # everything in capitals: « DUPONT JEAN » is read family name first
        return words[0], " ".join(words[1:])
    return words[-1], " ".join(words[:-1])
