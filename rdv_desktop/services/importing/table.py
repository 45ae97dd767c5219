"""Turning one record (field → raw cell) into an `ImportRow`; shared by every reader."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .cancel import Cancelled, stop_if
from .headers import map_headers, require_columns
from .limits import MAX_CELL_CHARS, MAX_ROWS, too_long_cell, too_many_rows
from .rows import (
    IDENTITY_LIMITS,
    MOTIF_LABEL_LIMIT,
    REFERENCE_LIMIT,
    ImportRow,
    RowProblem,
    RowRejected,
    derived_reference,
    drop_duplicates,
    link_minors,
)
from .values import (
    check_birth_date,
    check_slot_date,
    first_item,
    parse_date,
    parse_slot_datetime,
    parse_status,
    parse_time,
    split_full_name,
    text,
)

LIMIT_LABELS = {
    "family_name": "nom", "given_names": "prénom", "birth_place": "lieu de naissance",
    "nationality": "nationalité", "phone": "téléphone", "email": "courriel",
    "foreign_number": "numéro étranger",
}


_PRESENT: dict[frozenset[str], frozenset[str]] = {}


def _shared(present: frozenset[str]) -> frozenset[str]:
    """One object per set of fields: a file's rows mostly carry the same (saves ~700 B a row)."""
    return _PRESENT.setdefault(present, present)


def _names(values: dict[str, object]) -> tuple[str, str, set[str]]:
    family = text(values.get("family_name"))
    given = text(values.get("given_names"))
    if not family and "full_name" in values:
        family, given_from_full = split_full_name(first_item(text(values["full_name"])))
        given = given or given_from_full
        return family, given, {"family_name", "given_names"}
    present = {f for f in ("family_name", "given_names") if f in values}
    return family, given, present


def build_row(line: int, values: dict[str, object], prefix: str) -> ImportRow:
    """Raise RowRejected (a French phrase) if the name, date or time is missing or impossible."""
    family, given, present = _names(values)
    if not family:
        raise RowRejected("nom absent")
    if "slot_datetime" in values and not ("slot_date" in values and "slot_time" in values):
        slot_date, slot_time = parse_slot_datetime(values["slot_datetime"])
    else:
        slot_date = parse_date(values.get("slot_date"), "date du rendez-vous")
        slot_time = parse_time(values.get("slot_time"))
    check_slot_date(slot_date, values.get("slot_date", values.get("slot_datetime")))
    present |= {"slot_date", "slot_time"}

    birth = None
    raw_birth = values.get("birth_date")
    if raw_birth is not None and text(raw_birth):
        raw_first = raw_birth if not isinstance(raw_birth, str) else first_item(raw_birth)
        birth = check_birth_date(parse_date(raw_first, "date de naissance"), slot_date,
                                 raw_birth)
    if "birth_date" in values:
        present.add("birth_date")

    identity = {"family_name": family, "given_names": given}
    for name in ("birth_place", "nationality", "phone", "email", "foreign_number"):
        if name in values:
            identity[name] = text(values[name])
            present.add(name)
    for name, value in identity.items():
        if len(value) > IDENTITY_LIMITS[name]:
            raise RowRejected(f"{LIMIT_LABELS[name]} trop long "
                              f"({IDENTITY_LIMITS[name]} caractères au plus)")
    motif = text(values.get("motif"))
    if len(motif) > MOTIF_LABEL_LIMIT:
        raise RowRejected(f"libellé du motif trop long ({MOTIF_LABEL_LIMIT} caractères au plus)")
    if "motif" in values:
        present.add("motif")

    reference = text(values.get("reference")).replace(" ", "")
    if len(reference) > REFERENCE_LIMIT:
        raise RowRejected(f"référence trop longue ({REFERENCE_LIMIT} caractères au plus)")
    derived = not reference
    if derived:
        reference = derived_reference(prefix, slot_date, slot_time, family, given, birth)
    return ImportRow(
        line=line, reference=reference, derived_reference=derived,
        family_name=family, given_names=given, slot_date=slot_date, slot_time=slot_time,
        birth_date=birth, birth_place=identity.get("birth_place", ""),
        nationality=identity.get("nationality", ""), phone=identity.get("phone", ""),
        email=identity.get("email", ""), foreign_number=identity.get("foreign_number", ""),
        motif_label=motif, status=parse_status(values.get("status")),
        present=_shared(frozenset(present)),
    )


def each_usager(values: dict[str, object]) -> list[dict[str, object]]:
    """One record per person of a booking: RDV Service Public joins several usagers (and their
    birth dates, in the same order) with « , » in one row. Each is an applicant of their own:
    the first keeps the booking's reference, the next ones get « -2 », « -3 »… after it (or a
    reference derived from their own name when the source has none)."""
    if text(values.get("family_name")) or "full_name" not in values:
        return [values]
    names = [n.strip() for n in text(values["full_name"]).split(",") if n.strip()]
    if len(names) < 2:
        return [values]
    raw_births = values.get("birth_date")
    births = text(raw_births).split(",") if isinstance(raw_births, str) else None
    reference = text(values.get("reference")).replace(" ", "")
    people = []
    for i, name in enumerate(names):
        person = {**values, "full_name": name}
        if births is not None:
            person["birth_date"] = births[i].strip() if i < len(births) else ""
        if reference and i > 0:
            person["reference"] = f"{reference}-{i + 1}"
        people.append(person)
    return people


def _checked(records: Iterable[tuple[int, Sequence[object]]], cancelled: Cancelled | None
             ) -> Iterable[tuple[int, Sequence[object]]]:
    """The records, within the limits: rows counted, cells measured, the cancel flag read."""
    for count, (line, cells) in enumerate(records, start=1):
        if count % 256 == 0:
            stop_if(cancelled)
        if count > MAX_ROWS:
            raise too_many_rows()
        if any(isinstance(c, str) and len(c) > MAX_CELL_CHARS for c in cells):
            raise too_long_cell(line)
        yield line, cells


def rows_from_table(headers: Sequence[str], records: Iterable[tuple[int, Sequence[object]]],
                    prefix: str, cancelled: Cancelled | None = None
                    ) -> tuple[list[ImportRow], list[RowProblem], list[str]]:
    """Header row + (line, cells) records → rows, problems (sorted by line), ignored columns.

    Records are consumed as they come (a reader may stream them): only the rows are kept.
    """
    mapping, ignored = map_headers(headers)
    require_columns(headers, mapping)
    rows: list[ImportRow] = []
    problems: list[RowProblem] = []
    bookings: dict[str, list[int]] = {}  # rdv_id → positions in `rows` of its participants
    for line, cells in _checked(records, cancelled):
        if not any(text(c) for c in cells):
            continue
        values = {f: (cells[i] if i < len(cells) else None) for f, i in mapping.items()}
        booking = text(values.get("booking_id")).replace(" ", "")
        if booking and not text(values.get("reference")):
            # The participations export: the booking's id is the reference of its first
            # participant, « -2 », « -3 »… after it for the next ones, in the export's order.
            taken = len(bookings.get(booking, ()))
            values["reference"] = f"{prefix}-{booking}" + (f"-{taken + 1}" if taken else "")
        people = []
        for person in each_usager(values):
            try:
                people.append(build_row(line, person, prefix))
            except RowRejected as exc:
                problems.append(RowProblem(line, str(exc)))
        if booking and people:
            bookings.setdefault(booking, []).append(len(rows))
        rows.extend(link_minors(people))
    for positions in bookings.values():  # a minor booked with adults, one row each
        for position, row in zip(positions, link_minors([rows[p] for p in positions]),
                                 strict=True):
            rows[position] = row
    kept, duplicates = drop_duplicates(rows)
    return kept, sorted(problems + duplicates, key=lambda p: p.line), ignored
