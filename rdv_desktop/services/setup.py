"""Opening the app's storage: migrate, make sure the site and its counters exist, wire services."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy import select

from ..config import StationConfig
from ..models import Counter, Site
from ..models.db import Database
from ..models.migrate import ensure_schema
from .catalogue.service import CatalogueService, shipped_catalogue_version
from .core.actor import Actor, system_actor
from .core.audit import record
from .core.clock import Clock
from .core.context import ServiceContext
from .core.users import UserService
from .counter.appointments import AppointmentService
from .counter.booking import BookingService

if TYPE_CHECKING:  # services a station may not use before its first print, scan or deposit
    from .counter import CounterCommands
    from .counter.dossiers import DossierService
    from .counter.pieces_awaited import PiecesAwaitedService
    from .counter.waiting_room import WaitingRoomService
    from .desk import DeskCommands
    from .desk.checkin import CheckInService
    from .office.bundle import ManagerOffice
    from .papers.documents import DocumentService
    from .recepisse.service import RecepisseService
    from .signing.keys import KeyService

KNOWN_SITES = {
    "CANTAL": (
        "Préfecture du Cantal",
        "Bureau de l'immigration et de l'intégration",
        "2 cours Monthyon, 15000 Aurillac",
    ),
}
DEFAULT_COUNTERS = 4


@dataclass
class Services:
    """Everything the UI and the CLI call; built once per process."""

    ctx: ServiceContext
    users: UserService
    appointments: AppointmentService
    catalogue: CatalogueService
    booking: BookingService

    @classmethod
    def build(cls, ctx: ServiceContext) -> Services:
        appointments = AppointmentService(ctx)
        return cls(ctx, UserService(ctx), appointments, CatalogueService(ctx),
                   BookingService(appointments))

    # Signing keys, deposits and documents pull in cryptography and the PDF layouts (~30 ms of
    # imports): built on first use, i.e. at the first scan, deposit, print or verification.
    @cached_property
    def keys(self) -> KeyService:
        """The site's signing keys and the verification of signed codes."""
        from .signing.keys import KeyService

        return KeyService(self.ctx)

    @cached_property
    def dossiers(self) -> DossierService:
        """Deposits: the checklist, the dossier number and its signed code."""
        from .counter.dossiers import DossierService

        return DossierService(self.appointments, self.catalogue, self.keys)

    @cached_property
    def documents(self) -> DocumentService:
        """Attestations, convocations, tickets and the day's list, as PDFs."""
        from .papers.documents import DocumentService

        return DocumentService(self.appointments, self.catalogue, self.keys)

    @cached_property
    def pieces_awaited(self) -> PiecesAwaitedService:
        """Dossiers registered with pieces « à compléter », and the pieces arriving later."""
        from .counter.pieces_awaited import PiecesAwaitedService

        return PiecesAwaitedService(self.ctx)

    @cached_property
    def counter(self) -> CounterCommands:
        """The guichet's acts, one command and one transaction each."""
        from .counter import CounterCommands

        return CounterCommands(self.appointments, self.booking, self.dossiers, self.documents)

    @cached_property
    def desk(self) -> DeskCommands:
        """The arrival desk's walk-ins and later appointments, one command each."""
        from .desk import DeskCommands

        return DeskCommands(self.appointments, self.booking, self.documents, self.keys)

    @cached_property
    def office(self) -> ManagerOffice:
        """Statistics, review, exports, personal data and administration (built on first use)."""
        from .office.bundle import ManagerOffice

        return ManagerOffice.build(self.ctx, self.catalogue)

    @cached_property
    def checkin(self) -> CheckInService:
        """The arrival desk: scans, manual search, queue tickets."""
        from .desk.checkin import CheckInService

        return CheckInService(self.appointments, self.keys)

    @cached_property
    def recepisse(self) -> RecepisseService:
        """The récépissé follow-up: due dates, hand-overs, the manager's list."""
        from .recepisse.service import RecepisseService

        return RecepisseService(self.appointments)

    @cached_property
    def waiting_room(self) -> WaitingRoomService:
        """The waiting-room screen's feed of calls."""
        from .counter.waiting_room import WaitingRoomService

        return WaitingRoomService(self.appointments)


def ensure_site(ctx: ServiceContext, actor: Actor, counters: int = DEFAULT_COUNTERS) -> None:
    """Create the site row and its guichets on first start; later starts change nothing."""
    now = ctx.clock.now()
    with ctx.db.write() as s:
        if s.scalar(select(Site.id).where(Site.code == ctx.site_code)) is not None:
            return
        name, service, address = KNOWN_SITES.get(
            ctx.site_code, (f"Préfecture ({ctx.site_code})", "Service des étrangers", "")
        )
        site = Site(code=ctx.site_code, name=name, service=service, address=address)
        s.add(site)
        s.flush()
        for number in range(1, counters + 1):
            s.add(Counter(site_id=site.id, number=number, label=f"Guichet {number}"))
        record(s, actor, now, "site_created", "site", ctx.site_code,
               after={"name": name, "counters": counters})


def prepare_database(ctx: ServiceContext, *, load_catalogue: bool = True) -> None:
    """Migrate, create the site, load the shipped catalogue if its version is not there yet
    (first start, or a release that corrects the catalogue: dossiers keep their snapshot)."""
    ensure_schema(ctx.db)
    actor = system_actor(ctx.station)
    ensure_site(ctx, actor)
    catalogue = CatalogueService(ctx)
    if load_catalogue and not catalogue.has_version(shipped_catalogue_version()):
        catalogue.load_file(actor)


def open_services(config: StationConfig, clock: Clock | None = None,
                  prepare: bool = True) -> Services:
    db = Database(config.db_url)
    ctx = ServiceContext.create(db, config.site_code, clock, config.station_name,
                                config.key_dir, config.pdf_dir)
    if prepare:
        prepare_database(ctx)
    return Services.build(ctx)
