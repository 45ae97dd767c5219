"""The catalogue in the database: loaded once with its version, a bad file loads nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from rdv_desktop.errors import ValidationError
from rdv_desktop.models import CatalogueVersion, Motif
from rdv_desktop.services.catalogue.service import default_catalogue_path
from rdv_desktop.services.setup import Services


def test_shipped_catalogue_is_loaded_at_first_start(services: Services) -> None:
    info = services.catalogue.current()
    paper = [m for m in info.motifs if not m.anef_redirect]
    assert len(paper) == 14 and len(info.motifs) == 17
    assert all(m.pieces for m in paper)
    assert services.catalogue.fee_on("DVR_DEPOT", info.valid_from) is not None


def test_same_version_twice_is_refused(services: Services, admin) -> None:
    with pytest.raises(ValidationError, match="déjà chargée"):
        services.catalogue.load_file(admin)


def test_broken_file_names_the_problem_and_loads_nothing(services: Services, admin,
                                                         tmp_path: Path) -> None:
    text = default_catalogue_path().read_text(encoding="utf-8")
    broken = tmp_path / "catalogue.toml"
    broken.write_text(text.replace('version = "2025.10-1"', 'version = "2099.1"')
                      .replace('condition = "hotel"', 'condition = "hotel and"', 1),
                      encoding="utf-8")
    with pytest.raises(ValidationError, match=r"catalogue\.toml.*condition"):
        services.catalogue.load_file(admin, broken)
    with services.ctx.db.read() as s:
        assert s.scalar(select(func.count()).select_from(CatalogueVersion)) == 1
        assert s.scalar(select(func.count()).select_from(Motif)) == 17
