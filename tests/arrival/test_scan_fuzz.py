"""Fuzzing the scan input: whatever arrives, a French answer and no state change."""

from __future__ import annotations

import string
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.counter.appointment_views import AppointmentView
from rdv_desktop.services.desk.scan_input import candidates
from rdv_desktop.services.setup import Services
from tests.arrival.conftest import Book, arrivals, audit_count

FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
CODE_ALPHABET = string.ascii_uppercase + string.digits + ":-"


def _check(services: Services, accueil: Actor, raw: str, valid: str) -> None:
    before, came = audit_count(services), arrivals(services)
    result = services.checkin.scan(accueil, raw)
    if valid in candidates(raw):  # the mutation happened to leave the code intact
        return
    assert result.kind == "red", (raw, result)
    assert result.headline and result.headline[0].isupper()
    assert all(isinstance(d, str) and d for d in result.details)
    assert audit_count(services) == before and arrivals(services) == came


@FUZZ
@given(raw=st.one_of(st.text(max_size=300), st.binary(max_size=200).map(
    lambda b: b.decode("latin-1"))))
def test_random_text_and_bytes(services: Services, accueil: Actor, book: Book,
                               code_of: Callable[[AppointmentView], str], raw: str) -> None:
    valid = code_of(book()) if not hasattr(services, "_fuzz_code") else services._fuzz_code
    services._fuzz_code = valid  # type: ignore[attr-defined]  # one appointment for all examples
    _check(services, accueil, raw, valid)


@FUZZ
@given(data=st.data())
def test_mutated_convocation_codes(services: Services, accueil: Actor, book: Book,
                                   code_of: Callable[[AppointmentView], str],
                                   data: st.DataObject) -> None:
    if not hasattr(services, "_fuzz_code"):
        services._fuzz_code = code_of(book())  # type: ignore[attr-defined]
    valid: str = services._fuzz_code  # type: ignore[attr-defined]
    cut = data.draw(st.integers(0, len(valid) - 1), label="truncate at")
    position = data.draw(st.integers(0, len(valid) - 1), label="position")
    char = data.draw(st.sampled_from(CODE_ALPHABET + "é&\"'(§!"), label="char")
    mutation = data.draw(st.sampled_from(["truncate", "replace", "insert", "delete"]))
    raw = {
        "truncate": valid[:cut],
        "replace": valid[:position] + char + valid[position + 1:],
        "insert": valid[:position] + char + valid[position:],
        "delete": valid[:position] + valid[position + 1:],
    }[mutation]
    _check(services, accueil, raw, valid)
