"""The manager's office services, bundled so the `Services` container gains one attribute only."""

from __future__ import annotations

from dataclasses import dataclass

from .actor import Actor
from .admin import AdminService
from .catalogue import CatalogueService
from .catalogue_edit import CatalogueEditor
from .context import ServiceContext
from .exports import ExportService
from .retention import RetentionService
from .review import ReviewService
from .stats import StatsService


@dataclass(frozen=True)
class ManagerOffice:
    stats: StatsService
    review: ReviewService
    exports: ExportService
    retention: RetentionService
    admin: AdminService
    catalogue_editor: CatalogueEditor

    @classmethod
    def build(cls, ctx: ServiceContext, catalogue: CatalogueService) -> ManagerOffice:
        return cls(StatsService(ctx), ReviewService(ctx), ExportService(ctx),
                   RetentionService(ctx), AdminService(ctx), CatalogueEditor(catalogue))

    def monthly_report(self, actor: Actor, year: int, month: int) -> bytes:
        """The printed monthly report (PDF bytes); reportlab is imported only when asked."""
        from .monthly_report import monthly_report

        return monthly_report(self.stats, actor, year, month)
