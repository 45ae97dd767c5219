"""Who is acting, and what each role may do. Services check this; menus only mirror it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, TypeGuard, get_args

Role = Literal["accueil", "agent", "manager", "admin"]
ROLES: tuple[Role, ...] = get_args(Role)
ROLE_LABELS: dict[Role, str] = {
    "accueil": "Accueil",
    "agent": "Agent de guichet",
    "manager": "Encadrement",
    "admin": "Administrateur",
}

# Use case → roles allowed to run it.
PERMISSIONS: dict[str, frozenset[Role]] = {
    "queue.view": frozenset({"accueil", "agent", "manager"}),
    "checkin": frozenset({"accueil", "agent", "manager"}),
    "appointment.create": frozenset({"accueil", "agent", "manager"}),
    "appointment.cancel": frozenset({"accueil", "manager"}),
    "appointment.import": frozenset({"accueil", "manager", "admin"}),
    "counter.serve": frozenset({"agent", "manager"}),
    "dossier.deposit": frozenset({"agent", "manager"}),
    "dossier.reprint": frozenset({"agent", "manager"}),
    "dossier.complete": frozenset({"accueil", "agent", "manager"}),  # pieces arriving later
    "dossier.revoke": frozenset({"manager", "admin"}),
    "day.close": frozenset({"agent", "manager"}),
    "review": frozenset({"manager"}),
    "stats": frozenset({"manager"}),
    "export": frozenset({"manager"}),
    "catalogue.edit": frozenset({"manager", "admin"}),
    "users.manage": frozenset({"admin"}),
    "keys.manage": frozenset({"admin"}),
    "data.purge": frozenset({"admin"}),
    "data.access": frozenset({"admin"}),
    "data.backup": frozenset({"admin"}),
    "settings.manage": frozenset({"admin"}),
    "audit.view": frozenset({"manager", "admin"}),
    "recepisse.record": frozenset({"agent", "manager"}),
    "recepisse.follow": frozenset({"manager"}),
}


@dataclass(frozen=True)
class Actor:
    """The signed-in user at a station; passed to every use case."""

    user_id: int | None
    login: str
    display_name: str
    roles: frozenset[Role]
    station: str
    counter_number: int | None = None

    def may(self, permission: str) -> bool:
        return bool(self.roles & PERMISSIONS[permission])


def system_actor(station: str = "rdv-admin") -> Actor:
    """The command-line administrator: every role, recorded as 'system' in the audit."""
    return Actor(None, "system", "Administration (ligne de commande)", frozenset(ROLES), station)


def is_role(value: str) -> TypeGuard[Role]:
    """A role name read from the database or typed at the command line."""
    return value in ROLES


def roles_of(values: Iterable[str]) -> frozenset[Role]:
    """The known roles among stored names (an unknown name grants nothing)."""
    return frozenset(v for v in values if is_role(v))
