"""Random input at the service level: the verifier answers, never raises, and writes nothing.

The pure verifier is fuzzed in tests/signing; here the station's `KeyService.verify` (keys from
the database, revocations looked up) gets random text, damaged real codes and lookalikes, and
the database must be exactly as before: no row added, no audit row, no reprint counted.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from rdv_desktop.models import AuditEvent, Dossier, SigningKey
from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.desk.scan_input import candidates
from rdv_desktop.services.setup import Services
from rdv_desktop.services.signing.verifier import Verification
from tests.flows import at_counter, deposit

FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def _snapshot(services: Services) -> tuple[int, ...]:
    with services.ctx.db.read() as s:
        return (
            s.scalar(select(func.count()).select_from(AuditEvent)) or 0,
            s.scalar(select(func.max(AuditEvent.id))) or 0,
            s.scalar(select(func.count()).select_from(Dossier)) or 0,
            s.scalar(select(func.sum(Dossier.reprint_count))) or 0,
            s.scalar(select(func.count()).select_from(SigningKey)) or 0,
        )


def _real_payload(services: Services, accueil: Actor, agent: Actor) -> str:
    dossier = deposit(services, agent, at_counter(services, accueil, agent))
    assert dossier.qr_payload is not None
    return dossier.qr_payload


def _answers(result: Verification) -> None:
    assert isinstance(result, Verification)
    assert result.message.strip()


def test_verify_random_text_changes_nothing(services: Services, accueil: Actor,
                                            agent: Actor) -> None:
    payload = _real_payload(services, accueil, agent)
    before = _snapshot(services)

    @FUZZ
    @given(st.one_of(
        st.text(max_size=300),
        st.binary(max_size=300).map(lambda b: b.decode("latin-1")),
        st.from_regex(r"RDV1:[AC]:[A-Z2-7]{8}:[A-Z]{6}:[A-Z0-9-]{18}:[0-9]{12}:[A-Z2-7]{103}",
                      fullmatch=True),
    ))
    def check(raw: str) -> None:
        _answers(services.keys.verify(raw))
        _answers(services.keys.verify(raw, expected_kind=None))

    check()
    assert services.keys.verify(payload).ok  # the real one still verifies
    assert _snapshot(services) == before


def test_verify_damaged_codes_changes_nothing(services: Services, accueil: Actor,
                                              agent: Actor) -> None:
    payload = _real_payload(services, accueil, agent)
    before = _snapshot(services)

    @FUZZ
    @given(st.integers(0, len(payload)), st.integers(0, 8), st.text(max_size=6))
    def check(start: int, length: int, insert: str) -> None:
        damaged = payload[:start] + insert + payload[start + length:]
        result = services.keys.verify(damaged)
        _answers(result)
        if damaged.strip() != payload and result.ok:
            # Only a keyboard mangling or stray whitespace may be forgiven.
            assert payload in candidates(damaged)

    check()
    assert _snapshot(services) == before
