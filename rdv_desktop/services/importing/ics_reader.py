"""iCalendar (.ics): one VEVENT per appointment.

What is read (docs/import-formats.md): DTSTART is the slot, converted to Europe/Paris (a floating
time is taken as Paris time); DESCRIPTION lines « Clé : valeur » use the CSV column names (Nom,
Prénom, Date de naissance, Motif, Téléphone, Référence…); SUMMARY is the person's full name when
DESCRIPTION names nobody; UID is the reference when DESCRIPTION gives none; CATEGORIES is the
motif when DESCRIPTION gives none; STATUS:CANCELLED cancels.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from typing import Any

from ...errors import ValidationError
from ..core.clock import PARIS
from .cancel import Cancelled, stop_if
from .csv_reader import decode
from .headers import field_of
from .limits import MAX_ICS_BYTES, MAX_ROWS, too_big, too_many_rows
from .rows import REFERENCE_LIMIT, ImportRow, ReadResult, RowProblem, RowRejected, drop_duplicates
from .table import build_row
from .values import text

_KEY_VALUE = re.compile(r"^\s*([^:]{1,60}?)\s*:\s*(.*)$")


def _event_lines(content: str) -> list[int]:
    return [i for i, ln in enumerate(content.splitlines(), start=1)
            if ln.strip().upper() == "BEGIN:VEVENT"]


def _values(event: Any) -> dict[str, object]:
    values: dict[str, object] = {}
    for raw in str(event.get("DESCRIPTION", "")).splitlines():
        m = _KEY_VALUE.match(raw)
        if m:
            name = field_of(m[1])
            if name is not None and name not in values:
                values[name] = m[2]
    if "family_name" not in values and "full_name" not in values and event.get("SUMMARY"):
        values["full_name"] = str(event.get("SUMMARY"))
    if "motif" not in values and event.get("CATEGORIES") is not None:
        cats = event.get("CATEGORIES")
        cats = cats[0] if isinstance(cats, list) else cats
        values["motif"] = ", ".join(str(c) for c in getattr(cats, "cats", [cats]))
    if "reference" not in values and event.get("UID"):
        uid = text(str(event.get("UID")))
        if len(uid) > REFERENCE_LIMIT:
            uid = "ICS-" + hashlib.sha256(uid.encode("utf-8")).hexdigest()[:16].upper()
        values["reference"] = uid
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        values["status"] = "revoked"
    return values


def _slot(event: Any) -> datetime:
    prop = event.get("DTSTART")
    if prop is None:
        raise RowRejected("DTSTART absent (date et heure du rendez-vous)")
    when = prop.dt
    if not isinstance(when, datetime):
        if isinstance(when, date):
            raise RowRejected(f"heure absente (événement sur la journée du {when:%d/%m/%Y})")
        raise RowRejected("DTSTART illisible")
    return when.replace(tzinfo=PARIS) if when.tzinfo is None else when.astimezone(PARIS)


def read_ics(data: bytes, cancelled: Cancelled | None = None) -> ReadResult:
    from icalendar import Calendar

    if len(data) > MAX_ICS_BYTES:
        raise too_big(len(data), MAX_ICS_BYTES, "Calendrier .ics trop volumineux")
    content, _ = decode(data)
    stop_if(cancelled)
    try:
        calendar = Calendar.from_ical(content)
        events = list(calendar.walk("VEVENT"))
    except Exception:  # icalendar raises ValueError and others, in English, on malformed input
        raise ValidationError("Calendrier .ics illisible : sa structure (BEGIN/END, propriétés) "
                              "est endommagée. Exportez-le à nouveau.") from None
    stop_if(cancelled)
    if len(events) > MAX_ROWS:
        raise too_many_rows()
    if not events:
        raise ValidationError("Le calendrier ne contient aucun rendez-vous (aucun VEVENT).")
    lines = _event_lines(content)
    if len(lines) != len(events):
        lines = list(range(1, len(events) + 1))
    rows: list[ImportRow] = []
    problems: list[RowProblem] = []
    for count, (line, event) in enumerate(zip(lines, events, strict=True)):
        if count % 256 == 0:
            stop_if(cancelled)
        try:
            slot = _slot(event)
            values = _values(event)
            values["slot_date"], values["slot_time"] = slot.date(), slot.time()
            rows.append(build_row(line, values, "ICS"))
        except RowRejected as exc:
            problems.append(RowProblem(line, str(exc)))
        except (ValueError, TypeError, AttributeError):
            problems.append(RowProblem(line, "événement illisible (propriété mal formée)"))
    kept, duplicates = drop_duplicates(rows)
    return ReadResult("calendrier iCalendar (.ics)", tuple(kept),
                      tuple(sorted(problems + duplicates, key=lambda p: p.line)))
