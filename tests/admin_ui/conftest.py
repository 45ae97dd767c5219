"""Administration-screen fixtures: a real administrator account and a widget finder."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from rdv_desktop.services.core.actor import Actor
from rdv_desktop.services.setup import Services
from tests.conftest import make_actor
from tests.ui_thread_guard import ui_thread_guard  # noqa: F401 (autouse: UI code never opens a session on the main thread)


@pytest.fixture
def adm(services: Services) -> Actor:
    """A signed-in account holding only the admin role (not the system actor)."""
    return make_actor(services, "adm", {"admin"})


def by_name(parent: QWidget, cls: type, name: str):
    found = [w for w in parent.findChildren(cls) if w.accessibleName() == name]
    assert len(found) == 1, f"{name}: {len(found)} widget(s)"
    return found[0]
