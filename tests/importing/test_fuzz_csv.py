"""Hypothesis: whatever bytes or text arrive, the CSV import answers with rows, per-line
problems or one French ValidationError, and changes nothing it should not."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from import_helpers import counts

from rdv_desktop.errors import ValidationError
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.importing import ImportService, ReadResult, read_bytes
from rdv_desktop.services.setup import Services

HEADERS = ["Référence", "Nom", "Prénom", "Date de naissance", "Date", "Heure", "Motif",
           "Statut", "Téléphone", "nom complet", "date et heure"]
cell = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["26/11/2026", "31/02/2026", "2026-11-27", "09:30", "9h", "25:00", "",
                     "RETRAITE", "Annulé (excusé)", "Jean DUPONT", "\"", ";", "\x00", "R1"]),
)
line = st.lists(cell, max_size=9).map(lambda cells: ";".join(cells))
structured = st.tuples(
    st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8, unique=True),
    st.lists(line, max_size=12),
).map(lambda hb: "\n".join([";".join(hb[0]), *hb[1]]))


def check(data: bytes) -> ReadResult | None:
    try:
        result = read_bytes(data, "fuzz.csv")
    except ValidationError as exc:
        assert exc.message and exc.message[0].isupper()
        return None
    lines = [p.line for p in result.problems]
    assert lines == sorted(lines)
    assert all(p.line >= 1 and p.reason for p in result.problems)
    assert len({r.reference for r in result.rows}) == len(result.rows)
    return result


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    check(data)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400), st.sampled_from(["utf-8", "cp1252", "utf-16", "utf-8-sig"]))
def test_random_text(text: str, encoding: str) -> None:
    check(text.encode(encoding, errors="ignore"))


@settings(max_examples=300, deadline=None)
@given(structured, st.sampled_from(["utf-8", "cp1252"]))
def test_random_rows_under_real_headers(text: str, encoding: str) -> None:
    check(text.encode(encoding, errors="replace"))


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=300), structured.map(lambda t: t.encode("utf-8"))))
def test_service_changes_only_what_it_reports(services: Services, importer: ImportService,
                                              admin: Actor, tmp_path: Path,
                                              data: bytes) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    before = counts(services)
    try:
        dry = importer.import_file(admin, path, dry_run=True)
    except ValidationError:
        assert counts(services) == before
        return
    assert counts(services) == before
    report = importer.import_file(admin, path)
    appointments, audit = counts(services)
    assert appointments == before[0] + report.created
    assert audit == before[1] + report.created + report.updated + 1
    assert (dry.created, dry.updated, dry.rejected) == (report.created, report.updated,
                                                        report.rejected)
