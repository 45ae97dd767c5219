"""What every service needs: the database, the clock, the site and station settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ...errors import PermissionDenied
from ...models.db import Database
from ...paths import user_data_dir
from .actor import PERMISSIONS, ROLE_LABELS, Actor
from .audit import record
from .clock import Clock, SystemClock
from .site_settings import SiteSettings


@dataclass
class ServiceContext:
    db: Database
    site_code: str
    clock: Clock
    station: str = "POSTE"
    key_dir: Path = field(default_factory=lambda: user_data_dir() / "keys")
    pdf_dir: Path = field(default_factory=lambda: user_data_dir() / "pdf")

    @classmethod
    def create(cls, db: Database, site_code: str, clock: Clock | None = None,
               station: str = "POSTE", key_dir: Path | None = None,
               pdf_dir: Path | None = None) -> ServiceContext:
        ctx = cls(db, site_code.upper(), clock or SystemClock(), station)
        if key_dir is not None:
            ctx.key_dir = key_dir
        if pdf_dir is not None:
            ctx.pdf_dir = pdf_dir
        return ctx

    def read_settings(self) -> SiteSettings:
        """The site's tunables in a read of their own: for screens, never inside an act."""
        with self.db.read() as s:
            return SiteSettings.read(s)

    def require(self, actor: Actor, permission: str) -> None:
        """Refuse (and audit the refusal, in its own transaction) unless the actor may."""
        if actor.may(permission):
            return
        with self.db.write() as s:
            record(s, actor, self.clock.now(), "permission_denied", "permission", permission)
        allowed = ", ".join(sorted(ROLE_LABELS[r] for r in PERMISSIONS[permission]))
        raise PermissionDenied(
            f"Action non autorisée pour {actor.display_name} (réservée aux rôles : {allowed})."
        )
