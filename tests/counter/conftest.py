"""The counter's command tests start on a site that already has its signing key, as a real site
does after `rdv-admin keygen`: the footprint of an act must not include the site's first key."""

from __future__ import annotations

import pytest

from rdv_desktop.services.setup import Services


@pytest.fixture(autouse=True)
def site_key(services: Services) -> None:
    services.keys.signer(create_if_missing=True)
