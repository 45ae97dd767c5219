"""Administration: site settings and identity, counters, dated fees, and the audit-log viewer.

Users are managed by `UserService` and the catalogue by `CatalogueEditor`; this module holds the
rest. Every change is audited with its before and after values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from ...errors import NotFound, ValidationError
from ...models import AuditEvent, Counter, Fee, Setting, Site
from ..core.actor import Actor
from ..core.audit import AuditEntry, entry, record
from ..core.clock import PARIS
from ..core.context import ServiceContext
from ..core.site_settings import KEYS, SiteSettings, accepted, refusal
from ..core.text_limits import checked_text
from ..stats.service import check_range

AUDIT_PAGE = 500  # rows per page of the audit-log viewer, and the largest page served


@dataclass(frozen=True)
class SiteInfo:
    code: str
    name: str
    service: str
    address: str
    counters: tuple[tuple[int, str, bool], ...]  # number, label, active


@dataclass(frozen=True)
class FeeInfo:
    code: str
    label: str
    amount_cents: int
    valid_from: date


@dataclass(frozen=True)
class AuditFilter:
    start: date
    end: date
    login: str | None = None
    action: str | None = None
    entity_type: str | None = None


@dataclass(frozen=True)
class AuditCursor:
    """Where a page ended: the next page holds the rows that sort after this one."""

    at: datetime
    id: int


@dataclass(frozen=True)
class AuditPage:
    """One page of the log, newest first; `next` is the cursor of the following page."""

    entries: tuple[AuditEntry, ...]
    has_more: bool

    @property
    def next(self) -> AuditCursor | None:
        last = self.entries[-1] if self.has_more else None
        return AuditCursor(last.at, last.id) if last else None


class AdminService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- settings ----------------------------------------------------------------------------

    def settings(self, actor: Actor) -> dict[str, int | str | bool]:
        self.ctx.require(actor, "settings.manage")
        return self.ctx.read_settings().as_dict()

    def set_setting(self, actor: Actor, key: str, value: object) -> None:
        self.ctx.require(actor, "settings.manage")
        if key not in KEYS:
            raise ValidationError(f"Réglage inconnu : {key}")
        if isinstance(value, str):
            value = value.strip()
        if not accepted(key, value):
            raise ValidationError(refusal(key))
        with self.ctx.db.write() as s:
            before = getattr(SiteSettings.read(s), key)
            row = s.get(Setting, key)
            if row is None:
                s.add(Setting(key=key, value=value))
            else:
                row.value = value
            record(s, actor, self.ctx.clock.now(), "setting_changed", "setting", key,
                   before={"value": before}, after={"value": value})

    # -- site and counters -------------------------------------------------------------------

    def _site(self, s: Session) -> Site:
        site = s.scalar(select(Site).where(Site.code == self.ctx.site_code))
        if site is None:
            raise NotFound(f"Site {self.ctx.site_code} absent de la base.")
        return site

    def site(self, actor: Actor) -> SiteInfo:
        self.ctx.require(actor, "settings.manage")
        with self.ctx.db.read() as s:
            site = self._site(s)
            counters = tuple(s.execute(
                select(Counter.number, Counter.label, Counter.active)
                .where(Counter.site_id == site.id).order_by(Counter.number)).tuples())
            return SiteInfo(site.code, site.name, site.service, site.address, counters)

    def update_site(self, actor: Actor, name: str, service: str, address: str) -> SiteInfo:
        self.ctx.require(actor, "settings.manage")
        name = checked_text("Nom du site", name, 200)
        service = checked_text("Service", service, 200)
        address = checked_text("Adresse", address, 400)
        if not name:
            raise ValidationError("Le nom du site est obligatoire.")
        with self.ctx.db.write() as s:
            site = self._site(s)
            before = {"name": site.name, "service": site.service, "address": site.address}
            site.name, site.service, site.address = name.strip(), service.strip(), address.strip()
            record(s, actor, self.ctx.clock.now(), "site_changed", "site", site.code,
                   before=before,
                   after={"name": site.name, "service": site.service, "address": site.address})
        return self.site(actor)

    def add_counter(self, actor: Actor, label: str = "") -> int:
        self.ctx.require(actor, "settings.manage")
        label = checked_text("Libellé du guichet", label, 100)
        with self.ctx.db.write() as s:
            site = self._site(s)
            numbers = s.scalars(select(Counter.number).where(Counter.site_id == site.id)).all()
            number = max(numbers, default=0) + 1
            s.add(Counter(site_id=site.id, number=number,
                          label=label.strip() or f"Guichet {number}", active=True))
            record(s, actor, self.ctx.clock.now(), "counter_added", "counter", number)
        return number

    def set_counter_active(self, actor: Actor, number: int, active: bool) -> None:
        self.ctx.require(actor, "settings.manage")
        with self.ctx.db.write() as s:
            counter = s.scalar(select(Counter).where(Counter.number == number))
            if counter is None:
                raise NotFound(f"Guichet {number} inconnu.")
            before, counter.active = counter.active, active
            record(s, actor, self.ctx.clock.now(),
                   "counter_opened" if active else "counter_closed", "counter", number,
                   before={"active": before}, after={"active": active})

    # -- fees --------------------------------------------------------------------------------

    def fees(self, actor: Actor) -> list[FeeInfo]:
        self.ctx.require(actor, "settings.manage")
        with self.ctx.db.read() as s:
            return [FeeInfo(f.code, f.label, f.amount_cents, f.valid_from)
                    for f in s.scalars(select(Fee).order_by(Fee.code, Fee.valid_from))]

    def add_fee(self, actor: Actor, code: str, label: str, amount_cents: int,
                valid_from: date) -> FeeInfo:
        """A new amount from a date (a law changes it); older amounts stay for older days."""
        self.ctx.require(actor, "settings.manage")
        code = checked_text("Code du tarif", code, 40).upper()
        label = checked_text("Libellé du tarif", label, 200)
        if not code or not label:
            raise ValidationError("Le code et le libellé du tarif sont obligatoires.")
        if isinstance(amount_cents, bool) or not isinstance(amount_cents, int) \
                or amount_cents < 0:
            raise ValidationError("Montant invalide : un nombre entier de centimes, positif.")
        with self.ctx.db.write() as s:
            exists = s.scalar(select(Fee.id).where(Fee.code == code,
                                                   Fee.valid_from == valid_from))
            if exists is not None:
                raise ValidationError(
                    f"Un tarif {code} commence déjà le {valid_from:%d/%m/%Y}."
                )
            s.add(Fee(code=code, label=label.strip(), amount_cents=amount_cents,
                      valid_from=valid_from))
            record(s, actor, self.ctx.clock.now(), "fee_added", "fee", code,
                   after={"amount_cents": amount_cents, "valid_from": valid_from})
        return FeeInfo(code, label.strip(), amount_cents, valid_from)

    # -- the audit log -----------------------------------------------------------------------

    def _audit_query(self, actor: Actor, flt: AuditFilter) -> Select[tuple[AuditEvent]]:
        """The rows `flt` matches, after the permission check and the period check."""
        self.ctx.require(actor, "audit.view")
        start, end = check_range(flt.start, flt.end)
        low = datetime.combine(start, datetime.min.time(), PARIS)
        high = datetime.combine(end + timedelta(days=1), datetime.min.time(), PARIS)
        query = select(AuditEvent).where(AuditEvent.at >= low, AuditEvent.at < high)
        if flt.login:
            query = query.where(AuditEvent.user_login == flt.login.strip().lower())
        if flt.action:
            query = query.where(AuditEvent.action == flt.action)
        if flt.entity_type:
            query = query.where(AuditEvent.entity_type == flt.entity_type)
        return query

    def audit_count(self, actor: Actor, flt: AuditFilter) -> int:
        """How many rows match, so the screen can say how far the pages go."""
        query = self._audit_query(actor, flt)
        with self.ctx.db.read() as s:
            return s.scalar(query.with_only_columns(func.count())) or 0

    def audit_page(self, actor: Actor, flt: AuditFilter, cursor: AuditCursor | None = None,
                   size: int = AUDIT_PAGE) -> AuditPage:
        """The `size` newest matching rows after `cursor`, by time then id.

        A keyset on (at, id), not an offset: rows written meanwhile neither shift nor repeat
        the following pages, and each page walks the `at` index from where the last one
        stopped (ordering by id alone made SQLite sort the whole period for every page).
        """
        query = self._audit_query(actor, flt)
        if cursor is not None:
            query = query.where(AuditEvent.at <= cursor.at,
                                or_(AuditEvent.at < cursor.at, AuditEvent.id < cursor.id))
        size = max(1, min(size, AUDIT_PAGE))
        with self.ctx.db.read() as s:
            rows = [entry(e) for e in s.scalars(
                query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(size + 1))]
        return AuditPage(tuple(rows[:size]), len(rows) > size)

    def audit_log(self, actor: Actor, flt: AuditFilter) -> list[AuditEntry]:
        """Every matching row, newest first, read page by page (scripts and checks; the
        screen pages itself)."""
        rows: list[AuditEntry] = []
        cursor: AuditCursor | None = None
        while True:
            page = self.audit_page(actor, flt, cursor)
            rows.extend(page.entries)
            if not page.has_more:
                return rows
            cursor = page.next
