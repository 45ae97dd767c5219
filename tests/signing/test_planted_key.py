"""A key file planted on a station is neither used to sign nor trusted to verify.

Someone with access to one PC drops their own key into its key folder (or a whole folder of
their own). Before, the station published it into the database at its next signature, silently,
and every station trusted it from then on. Now only published keys count.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rdv_desktop.models import AuditEvent, SigningKey
from rdv_desktop.services.core.clock import PARIS
from rdv_desktop.services.core.context import ServiceContext
from rdv_desktop.services.setup import Services
from rdv_desktop.services.signing.keys import SigningError
from rdv_desktop.services.signing.signed_code import sign_code
from rdv_desktop.services.signing.signer import generate_site_key, load_signer


def test_a_planted_key_is_never_published_used_or_trusted(services: Services,
                                                          tmp_path: Path) -> None:
    genuine = services.keys.signer(create_if_missing=True)  # the site's published key
    planted_dir = tmp_path / "planted"
    generate_site_key(planted_dir, "CANTAL")
    forger = load_signer(planted_dir, site="CANTAL")
    forged = sign_code("A", "CANTAL", "CANTAL-2026-000001",
                       datetime(2026, 11, 26, 10, 0, tzinfo=PARIS), forger)
    with services.ctx.db.read() as s:
        keys_before = s.scalar(select(func.count(SigningKey.key_id)))
        audit_before = s.scalar(select(func.count(AuditEvent.id)))

    # The same database, a station whose key folder holds only the planted key.
    station = Services.build(ServiceContext.create(services.ctx.db, "CANTAL", services.ctx.clock,
                                                   "POSTE-PIÉGÉ", planted_dir))
    with pytest.raises(SigningError, match="n'est pas une clé active publiée"):
        station.keys.signer(create_if_missing=True)
    assert not station.keys.verify(forged).ok
    assert not services.keys.verify(forged).ok
    with services.ctx.db.read() as s:
        assert s.scalar(select(func.count(SigningKey.key_id))) == keys_before
        assert s.scalar(select(func.count(AuditEvent.id))) == audit_before
    assert services.keys.signer().key_id == genuine.key_id  # the genuine station still signs


def test_the_first_key_of_a_site_is_published_and_audited(services: Services) -> None:
    signer = services.keys.signer(create_if_missing=True)
    with services.ctx.db.read() as s:
        published = s.scalar(select(AuditEvent).where(AuditEvent.action == "key_published"))
    assert published is not None and published.entity_id == signer.key_id
    assert published.station == "TEST-1"
