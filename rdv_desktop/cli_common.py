"""What every `rdv-admin` command needs: the station's services and the person it acts as.

Commands that change the database act as a named administrator: `--admin LOGIN`, password
prompted (or read from the first line of stdin with `--admin-password-stdin`), checked like a
sign-in at a station (audited, lock-out included); their audit rows name that person. Only
while the database has no active administrator account yet (a new site) do they run as the
station, so the first one can be created. Read-only commands run as the station.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING

from .config import load_config
from .errors import PermissionDenied, RdvError

if TYPE_CHECKING:
    from .services.core.actor import Actor
    from .services.setup import Services

NEEDS_ADMIN = ("Cette commande modifie la base : elle est faite au nom d'un administrateur. "
               "Donnez --admin IDENTIFIANT (le mot de passe est demandé, ou lu sur l'entrée "
               "standard avec --admin-password-stdin).")


def services_for(args: argparse.Namespace, prepare: bool = True) -> Services:
    """Services on the database named by --db/--station (migrated unless `prepare` is off)."""
    from .services.setup import open_services

    config = load_config(args.db, args.station)
    return open_services(config, prepare=prepare)


def station_actor(args: argparse.Namespace) -> Actor:
    """Read-only commands act as the station (their refusals are audited under its name)."""
    from .services.core.actor import system_actor

    return system_actor(args.station or "rdv-admin")


def ask_password(prompt: str, option: str) -> str:
    """A hidden prompt; without a terminal (a script, a cron job, a pipe) one French sentence
    naming the option that reads the password from stdin, rather than getpass's traceback."""
    if not sys.stdin.isatty():
        raise RdvError(f"Pas de terminal pour taper le mot de passe : donnez-le sur l'entrée "
                       f"standard avec {option}.")
    try:
        return getpass.getpass(prompt)
    except EOFError:  # Ctrl+D at the prompt
        raise RdvError("Aucun mot de passe saisi.") from None


def read_secret(args: argparse.Namespace, prompt: str) -> str:
    """A password: the next line of stdin with --admin-password-stdin, else a hidden prompt."""
    if args.admin_password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return ask_password(prompt, "--admin-password-stdin")


def admin_actor(args: argparse.Namespace, services: Services) -> Actor:
    """The administrator a write command acts as (see the module's docstring)."""
    station = args.station or "rdv-admin"
    if not args.admin:
        if services.users.has_active_admin():
            raise PermissionDenied(NEEDS_ADMIN)
        return station_actor(args)  # a new site: nobody to sign in as yet
    password = read_secret(args, f"Mot de passe de {args.admin} : ")
    actor = services.users.authenticate(args.admin, password, station)
    if "admin" not in actor.roles:
        services.ctx.require(actor, "users.manage")  # refused, and the refusal audited
    return actor


def add_identity_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--admin", metavar="IDENTIFIANT",
                        help="administrateur au nom duquel agir (commandes qui modifient la base)")
    parser.add_argument("--admin-password-stdin", action="store_true",
                        help="lire son mot de passe sur la première ligne de l'entrée standard")
