"""What every `rdv-admin` command needs: the station's services and the actor it acts as."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from .config import load_config

if TYPE_CHECKING:
    from .services.core.actor import Actor
    from .services.setup import Services


def services_for(args: argparse.Namespace, prepare: bool = True) -> Services:
    """Services on the database named by --db/--station (migrated unless `prepare` is off)."""
    from .services.setup import open_services

    config = load_config(args.db, args.station)
    return open_services(config, prepare=prepare)


def admin_actor(args: argparse.Namespace) -> Actor:
    """The command line acts as the station's system actor, so its changes are audited."""
    from .services.core.actor import system_actor

    return system_actor(args.station or "rdv-admin")
